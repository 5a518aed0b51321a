"""``twin export``: the plan's LP as MPS or LP with readable names (:mod:`twin.plan.export`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from twin.cli.app import ModelArg, ScenarioOpt, SetOpt, app, out


@app.command()
def export(
    model: ModelArg,
    out_file: Annotated[Path, typer.Option("--out", "-o", help="LP file (.mps or .lp)")],
    scenario: ScenarioOpt = None,
    set_: SetOpt = None,
) -> None:
    """Write the plan's LP (MPS or LP format, by the file's suffix) with readable names: columns by variable and index, rows by constraint family and index, for inspection or another solver."""  # noqa: E501
    from twin.cli import _load
    from twin.cli.outputs import check_not_input, input_files, writable_dir, written_file
    from twin.plan.export import export_lp, lp_format

    lp_format(out_file)
    # before the build: the file written (a link's target) is no FIFO or device, and its folder
    # (not the link's) takes a new file
    folder = written_file(out_file, "--out").parent
    writable_dir("--out", out_file, folder if str(folder) else Path("."))
    spec = _load(model, scenario, set_)
    check_not_input("--out", [out_file], input_files(spec))
    size = export_lp(spec, out_file)
    out.print(f"wrote {escape(str(out_file))}: {size['columns']:,} columns, {size['rows']:,} rows")
