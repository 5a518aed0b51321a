"""Build + hand-off of one synthetic hourly LP, CPU seconds, min over repeats in one process.

For an A/B of two commits, run it against each checkout in turn (alternated; copy it into an
older one), e.g.::

    .venv/bin/python benchmarks/hourly_build.py --sites 70 --steps 24 --repeat 3

The LP is :mod:`benchmarks.synthetic_hours`'s ladder fleet (``--sites`` sites, 20 yearly
periods, 8 chips, 12 tenants) on 4 typical + 2 extreme days of ``--steps`` time steps: 448k
nonzeros at 6 steps, 1.47M at 24 (70 sites). Plan data is made once, outside the clock; the
build is :func:`twin.plan.build_model`, the hand-off :func:`twin.plan.solve.to_highs_lp`.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make ``benchmarks`` importable
    sys.path.insert(0, str(ROOT))

from benchmarks.synthetic_hours import ladder_data, ladder_inputs  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sites", type=int, default=70)
    ap.add_argument("--steps", type=int, default=24, help="time steps a day (6 or 24)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    from twin.plan import build_model
    from twin.plan.solve import to_highs_lp

    spec, days = ladder_inputs([args.sites, 20, 8, 12, "year", 0, (4, args.steps, True)])
    d = ladder_data(spec, days)
    best = (float("inf"), float("inf"))
    nnz = 0
    for _ in range(args.repeat):
        gc.collect()
        gc.disable()  # as twin.plan.plan does
        c0 = time.process_time()
        m = build_model(d)
        c1 = time.process_time()
        lp = to_highs_lp(m)[0]
        c2 = time.process_time()
        gc.enable()
        nnz = len(lp.a_matrix_.value_)
        if c2 - c0 < sum(best):
            best = (c1 - c0, c2 - c1)
        del m, lp
    print(f"nonzeros {nnz:,}  build {best[0]:.2f} s  hand-off {best[1]:.2f} s  CPU, min of "
          f"{args.repeat}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
