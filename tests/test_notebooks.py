"""Every notebook in notebooks/ runs top to bottom (their cells assert what they show)."""

from __future__ import annotations

from pathlib import Path

import nbclient
import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_executes(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TWIN_FIGURES", str(tmp_path))
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        nb,
        timeout=900,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    assert list(tmp_path.glob("*.png")), "the notebook saves its figures"


def test_the_planning_notebooks_are_all_collected() -> None:
    """The notebooks the README names are the ones the suite executes."""
    names = {p.name for p in NOTEBOOKS}
    assert {
        "01_colossus_neocloud.ipynb",
        "02_orbital_2035.ipynb",
        "03_terafab_make_vs_buy.ipynb",
    } <= names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebooks_are_committed_with_their_outputs(path: Path) -> None:
    """A reader sees the results without running anything: every code cell was executed, in
    order, by ``notebooks/execute.py``, and the notebook shows its tables."""
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1))
    assert sum(bool(c.outputs) for c in code) >= len(code) // 2
    assert not any(o.get("output_type") == "error" for c in code for o in c.outputs)
