"""Whole-process commands for end-to-end timing: ``twin solve`` against HiGHS alone on its LP.

Time each command as a whole process (``/usr/bin/time -v`` or any process timer), several runs::

    python benchmarks/e2e.py mps models/baseline.yaml /tmp/baseline.mps   # the LP twin solves
    twin solve models/baseline.yaml -o /tmp/baseline.nc                    # twin, end to end
    python benchmarks/e2e.py highs /tmp/baseline.mps simplex               # HiGHS alone (hours)

    python benchmarks/e2e.py synthetic-mps 70 20 8 12 quarter /tmp/s.mps   # ~1M nonzeros
    python benchmarks/e2e.py synthetic-solve 70 20 8 12 quarter /tmp/s.nc  # twin solve's steps
    python benchmarks/e2e.py highs /tmp/s.mps

``highs`` imports nothing but highspy: it reads the MPS file and solves it with twin's options
(one thread; interior point with crossover above 100,000 nonzeros, as ``method: choose``).
``synthetic-solve`` runs what ``twin solve`` runs (:func:`twin.plan.plan`, ``to_dataset``,
``write``) on :func:`benchmarks.synthetic.synthetic_spec`, which has no model file.
"""

from __future__ import annotations

import sys
from pathlib import Path


def highs(mps: str, method: str = "choose") -> None:
    """Read ``mps`` and solve it with twin's options; print the status and objective.
    ``method`` as ``solver.method``; pass ``simplex`` for an hourly LP, as twin does
    (``twin.plan.solver_options``: dual simplex on the hourly form)."""
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.readModel(mps)
    h.setOptionValue("threads", 1)
    if method == "choose":
        method = "ipm" if len(h.getLp().a_matrix_.value_) > 100_000 else "choose"
    h.setOptionValue("solver", method)
    h.run()
    info = h.getInfo()
    print(h.modelStatusToString(h.getModelStatus()), info.objective_function_value)


def write_mps(spec: object, out: str) -> None:
    """Build ``spec``'s plan and write the LP twin hands to HiGHS as an MPS file."""
    from twin.plan import build_model, plan_data
    from twin.plan.solve import _highs, to_highs_lp

    m = build_model(plan_data(spec))
    h = _highs(spec.model.solver)
    h.passModel(to_highs_lp(m)[0])
    h.writeModel(out)


def _synthetic(args: list[str]) -> object:
    root = Path(__file__).resolve().parents[1]
    sys.path.insert(0, str(root))
    from benchmarks.synthetic import synthetic_spec

    sites, years, chips, tenants = (int(a) for a in args[:4])
    return synthetic_spec(sites, years, chips, tenants, period=args[4])


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    cmd, args = argv[0], argv[1:]
    if cmd == "highs":
        highs(*args[:2])
    elif cmd == "mps":
        from twin.spec import load_model

        write_mps(load_model(args[0]), args[1])
    elif cmd == "synthetic-mps":
        write_mps(_synthetic(args), args[5])
    elif cmd == "synthetic-solve":
        from twin.cli import without_dask

        without_dask()  # as the twin command does for solve
        from twin.plan import plan
        from twin.report import to_dataset, write

        write(to_dataset(plan(_synthetic(args))), args[5])
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
