"""Faults a seventh fuzzing pass found on the command line: a second link between two nodes
another link of ``links.csv`` already joins (either way round) was accepted, and one of the two
carried nothing (the path graph holds one edge per pair of nodes); ``twin alternatives
--metric fab_share`` on a model without a fab solved every alternative and then ended in an
internal error (exit 70) drawing its chart, ``--metric orbit_mw`` without an orbital site
solved the same plan over and over."""

# ruff: noqa: F811 - pytest fixtures imported from tests.cli.runner are parameters
from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
import yaml
from traffic_model import traffic_model

from tests.cli.runner import Run, twin_main  # noqa: F401 - the fixture; tests take it as a parameter
from tests.cli.runner import bad_input as _bad_input
from tests.conftest import tiny_model

OLD = b"an earlier report"


def _with_links_csv(folder: Path, data: dict[str, Any]) -> tuple[Path, Path]:
    """``data`` as a model file whose links are a ``links.csv`` beside it: (model, links)."""
    (folder / ".twin-project").touch()
    links = folder / "links.csv"
    rows = [{"name": n, **row} for n, row in data.pop("links").items()]
    with links.open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    data["datasets"] = {"links": "links.csv"}
    model = folder / "m.yaml"
    model.write_text(yaml.safe_dump(data, allow_unicode=True))
    return model, links


@pytest.mark.parametrize(
    ("ends", "seen"), [(("region:r1", "site:s1"), "region:r1 and site:s1"),
                       (("site:s1", "region:r1"), "site:s1 and region:r1")],
)  # fmt: skip
def test_a_second_link_between_the_same_two_nodes_is_refused(
    twin_main, tmp_path: Path, ends: tuple[str, str], seen: str
) -> None:
    """A second row r1_s1_b between region r1 and site s1 (as r1_s1 is, either way round)
    validated and solved: the routes took r1_s1_b alone, and r1_s1's 10 Gbit/s carried nothing.
    Now validate and solve exit 2 naming links.csv, the row and key, and one link per pair; the
    report already there is left as it was."""
    data = traffic_model()
    data["links"]["r1_s1_b"] = {**data["links"]["r1_s1"], "from_node": ends[0], "to_node": ends[1]}
    model, links = _with_links_csv(tmp_path, data)
    _bad_input(twin_main("validate", model), str(links), "links.r1_s1_b.to_node",
               f"joins {seen} as link 'r1_s1' does", "expected one link per pair")  # fmt: skip
    out = tmp_path / "r.nc"
    out.write_bytes(OLD)
    _bad_input(twin_main("solve", model, "--out", out), str(links), "links.r1_s1_b.to_node")
    assert out.read_bytes() == OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == [".twin-project", "links.csv", "m.yaml",
                                                          "r.nc"]  # fmt: skip


@pytest.mark.parametrize(
    ("metric", "missing"),
    [("fab_share", "no enabled fab"), ("orbit_mw", "no enabled orbital site"),
     ("leased_share", "no enabled external tenant"),
     ("power_mw:nuclear_ppa", "no enabled power project of technology nuclear_ppa")],
)  # fmt: skip
def test_a_metric_of_something_the_model_lacks_is_refused(
    twin_main, tmp_path: Path, metric: str, missing: str
) -> None:
    """``--metric fab_share`` on the tiny model (no fab) solved the optimum and both
    alternatives, then drawing the all-NaN range raised (exit 70, 'internal error');
    ``orbit_mw``, ``leased_share`` and ``power_mw:nuclear_ppa`` (no orbital site, no external
    tenant, no power project) solved three plans to report a range of 0 to 0. Now each is
    refused before any solve (exit 2) naming --metric, the metric and what the model lacks; no
    folder is made."""
    (tmp_path / ".twin-project").touch()
    model = tmp_path / "m.yaml"
    model.write_text(yaml.safe_dump(tiny_model(horizon={"years": 2})))
    out = tmp_path / "alts"
    res = twin_main("alternatives", model, "--out-dir", out, "--metric", metric, "--spores", "0")
    text = _bad_input(res, f"--metric: {metric}: the model has {missing}")
    if not metric.startswith("power_mw"):  # no power project: power_mw:TECH is no way out
        assert "expected a metric that can vary" in text and "power_mw" not in text, text
    assert "solve" not in res.out + text and not out.exists()
