"""What ``twin solve`` prints of a stochastic report (solved by :func:`twin.report.run.run`), its
show/compare, and ``twin clause``.

The extensive form is solved by HiGHS in one process (``--engine ef``, the default). Progressive
hedging (``--engine ph``) runs on every MPI rank::

    mpiexec -n 4 twin solve models/baseline.yaml -s lease_under_uncertainty --engine ph --out s.nc

each rank solving its share of the leaves; rank 0 gathers the leaves' reports and writes the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape

from twin.cli.app import ModelArg, ScenarioOpt, SetOpt, app, out
from twin.errors import NotOptimal
from twin.spec.errors import SpecError

if TYPE_CHECKING:
    import xarray as xr


def print_stochastic(ds: xr.Dataset, out_file: Path) -> None:
    """Print the figures of a written stochastic report; exit 3 if it is not proven optimal."""
    a = ds.attrs
    done = "[green]solved[/green]" if a["optimal"] else "[yellow]feasible, not optimal[/yellow]"
    out.print(
        f"{done} {escape(str(a['title']))} ({a['engine']}): {a['n_scenarios']} leaves, "
        f"E[NPV] {a['expected_npv_musd']:,.0f} $M, CVaR {a['cvar_level']:.0%} "
        f"{a['cvar_musd']:,.0f} $M, EVPI {_fig(a, 'evpi', 'ws')}, VSS {_fig(a, 'vss', 'eev')}; "
        f"wrote {escape(str(out_file))}"
    )
    for key in ("rp", "ws", "eev"):
        if f"note_{key}" in a:
            out.print(f"  note: {escape(str(a[f'note_{key}']))}", highlight=False)
    if not a["optimal"]:
        raise NotOptimal(str(a.get("termination_condition", "not optimal")), str(out_file))


def _fig(a: dict[str, Any], name: str, depends: str) -> str:
    """A figure of the report in $M, or why it is missing."""
    import math

    v = float(a[f"{name}_musd"])
    if math.isfinite(v):
        return f"{v:,.0f} $M"
    if math.isinf(v):
        return f"{'+' if v > 0 else '-'}inf (see note)"
    return "not computed (see note)" if f"note_{depends}" in a or "note_rp" in a else "-"


def show_any(ds: Any) -> None:
    """``twin show``: a stochastic report's summary, or a plan's."""
    from twin.report.stochastic_summary import is_stochastic, show
    from twin.report.summary import show as show_plan

    (show if is_stochastic(ds) else show_plan)(ds, out)


def compare_any(a: Any, b: Any) -> None:
    """``twin compare``: two stochastic reports figure by figure; otherwise B minus A of plans,
    a stochastic report entering with its expected values."""
    from twin.report.stochastic_summary import compare, expected, is_stochastic
    from twin.report.summary import compare as compare_plans

    if is_stochastic(a) and is_stochastic(b):
        compare(a, b, out)
    else:
        compare_plans(expected(a), expected(b), out)


@app.command()
def clause(
    model: ModelArg,
    contract: Annotated[str, typer.Option("--contract", help="Contract whose clause is priced")],
    which: Annotated[str, typer.Option("--clause", help="notice or renewal")] = "notice",
    scenario: ScenarioOpt = None,
    set_: SetOpt = None,
    out_file: Annotated[
        Path | None, typer.Option("--out", "-o", help="Also write the figures (.nc)")
    ] = None,
) -> None:
    """Value of a contract clause: the optimal NPV with it minus without it, both with the lease left to the plan; the expected NPV of the stochastic program when the model has an uncertainty section."""  # noqa: E501
    from twin.cli import _load
    from twin.cli.app import progress
    from twin.cli.outputs import check_not_input, check_out, input_files
    from twin.progress import reporting
    from twin.report import write
    from twin.report.study import clause_report
    from twin.study.clauses import CLAUSES, clause_value, npv_basis

    if which not in CLAUSES:
        raise SpecError("--clause", which, f"expected one of {sorted(CLAUSES)}")
    if out_file is not None:
        check_out(out_file)
    spec = _load(model, scenario, set_)
    if out_file is not None:
        check_not_input("--out", [out_file], input_files(spec))
    if contract not in spec.model.contracts:
        raise SpecError("--contract", contract, f"expected one of {sorted(spec.model.contracts)}")
    basis = npv_basis(spec)
    with reporting(progress()):  # each side's solve is a named phase
        v = clause_value(model, contract, which, scenario=scenario, overrides=list(spec.overrides))
    out.print(
        f"{escape(f'{which} clause of {contract} ({basis})')}: with {v.with_npv:,.1f} $M, without "
        f"{v.without_npv:,.1f} $M, value {round(v.value, 1) + 0.0:,.1f} $M"
    )
    if out_file is not None:
        write(clause_report(v, basis, spec.scenario), out_file)
