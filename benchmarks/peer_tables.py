"""The markdown tables of :mod:`benchmarks.peer`: build and hand-off (CPU and wall), spec to
report per tool, and the scaling exponents fitted over the sizes."""

from __future__ import annotations

import math

TOOLS = ("twin", "linopy", "highs")


def slope(xs: list[float], ys: list[float]) -> float | None:
    """Least-squares exponent b of ``y = a x^b`` (log-log), or None with fewer than 2 points."""
    pts = [(math.log(x), math.log(y)) for x, y in zip(xs, ys, strict=True) if x > 0 and y > 0]
    if len(pts) < 2:
        return None
    mx = sum(p[0] for p in pts) / len(pts)
    my = sum(p[1] for p in pts) / len(pts)
    den = sum((p[0] - mx) ** 2 for p in pts)
    return sum((p[0] - mx) * (p[1] - my) for p in pts) / den if den > 0 else None


def _fmt(x: object, f: str = "{:.2f}") -> str:
    return f.format(x) if isinstance(x, int | float) else "-"


def _ratio(x: object, y: object) -> str:
    ok = isinstance(x, float) and isinstance(y, float) and y > 0
    return f"{x / y:.2f}" if ok else "-"


def _sum(t: dict, *keys: str) -> float | None:
    vals = [t.get(k) for k in keys]
    return sum(vals) if all(isinstance(v, float) for v in vals) else None


def build_table(results: list[dict]) -> list[str]:
    """Build and hand-off of twin and linopy, each in its own process: CPU s (wall s)."""
    lines = [
        "| form | nonzeros | twin build | twin hand-off | linopy build | linopy hand-off "
        "| (build+hand-off) twin / linopy, CPU | same, wall | peak MB twin / linopy | same LP |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for r in results:
        tw, li = r.get("twin_build", {}), r.get("linopy_build", {})
        if "error" in tw or "error" in li:
            err = str(tw.get("error", li.get("error")))[:80]
            lines.append(f"| {_form(r)} | {r['nnz']:,} | failed: {err} |")
            continue

        def cell(t: dict, k: str) -> str:
            return f"{t[k + '_cpu_s']:.2f} ({t[k + '_s']:.2f})"

        same = r.get("check", {}).get("same_lp", "not checked")
        if same == "same" and "objective_rel_diff" in r["check"]:
            same = f"same (optimum {r['check']['objective_rel_diff']:.0e})"
        cpu = ("build_cpu_s", "handoff_cpu_s")
        wall = ("build_s", "handoff_s")
        lines.append(
            f"| {_form(r)} | {r['nnz']:,} | {cell(tw, 'build')} | {cell(tw, 'handoff')} "
            f"| {cell(li, 'build')} | {cell(li, 'handoff')} "
            f"| {_ratio(_sum(tw, *cpu), _sum(li, *cpu))} "
            f"| {_ratio(_sum(tw, *wall), _sum(li, *wall))} "
            f"| {tw['peak_mb']:.0f} / {li['peak_mb']:.0f} = {_ratio(tw['peak_mb'], li['peak_mb'])} "
            f"| {same if isinstance(same, str) else 'DIFFERENT: ' + '; '.join(same)[:100]} |"
        )
    return lines


def solve_table(results: list[dict]) -> list[str]:
    """Spec to report for each tool (wall s), and twin against HiGHS alone."""
    stages = ("build_s", "handoff_s", "solve_s", "report_s", "peak_mb")
    lines = [
        "| form | nonzeros | tool | build s | hand-off s | solve s | report s | peak MB "
        "| solve / HiGHS alone | peak / HiGHS alone |",
        "|---|--:|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for r in results:
        if not r.get("solved"):
            continue
        hi = r.get("highs", {})
        for tool in TOOLS:
            t = r.get(tool, {})
            if "error" in t:
                lines.append(f"| {_form(r)} | {r['nnz']:,} | {tool} | failed: {t['error'][:80]} |")
                continue
            cells = " | ".join(
                _fmt(t.get(s), "{:.0f}" if s == "peak_mb" else "{:.2f}") for s in stages
            )
            vs = _ratio(t.get("solve_s"), hi.get("solve_s"))
            lines.append(
                f"| {_form(r)} | {r['nnz']:,} | {tool} | {cells} | {vs} "
                f"| {_ratio(t.get('peak_mb'), hi.get('peak_mb'))} |"
            )
    return lines


def _form(r: dict) -> str:
    return str(r.get("form", "period"))


def exponent_table(results: list[dict]) -> list[str]:
    """Least-squares exponents b of ``y = a nnz^b`` per tool and stage, per form (period;
    hourly: every day setting together)."""
    lines = ["| form | tool | build CPU | hand-off CPU | solve | report | peak MB |"]
    lines.append("|---|---|--:|--:|--:|--:|--:|")
    for form in ("period", "hourly"):
        rs = [r for r in results if (_form(r) == "period") == (form == "period")]
        lines += [f"| {form} | {line}" for line in _exponents(rs)] if rs else []
    return lines


def _exponents(results: list[dict]) -> list[str]:
    lines = []
    for tool in TOOLS:
        cells = []
        for src, key in (
            ("_build", "build_cpu_s"),
            ("_build", "handoff_cpu_s"),
            ("", "solve_s"),
            ("", "report_s"),
            ("", "peak_mb"),
        ):
            pts = [
                (r["nnz"], r[tool + src][key])
                for r in results
                if isinstance(r.get(tool + src, {}).get(key), float)
            ]
            cells.append(_fmt(slope([p[0] for p in pts], [p[1] for p in pts])))
        lines.append(f"{tool} | {' | '.join(cells)} |")
    return lines


def tables(results: list[dict]) -> str:
    """The three markdown tables of the README (build, spec to report, exponents)."""
    return "\n".join(
        [
            "Build and hand-off, each tool in its own process, CPU s (wall s); form: the period "
            "(energy-only) LP, or the hourly LP on typical + extreme days x time steps:",
            "",
            *build_table(results),
            "",
            "Spec to report, each tool in its own process (wall s):",
            "",
            *solve_table(results),
            "",
            "Scaling exponent b of y = a x nonzeros^b (least squares over the sizes):",
            "",
            *exponent_table(results),
        ]
    )
