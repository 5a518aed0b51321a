"""The planning notebooks: committed with their outputs, computed against today's results, their
imports alive; executed top to bottom (their cells assert what they show).

Executing all five takes several minutes of solves (notebook 03 alone sweeps ~40 plans), more than
CI's budget allows beside the rest of the suite. So the suite executes the two the README leads
with (01, 02) on every run and all five with ``pytest --notebooks``; what keeps the other three
honest on every run is cheaper: each saved notebook records the SHA-256 of the golden results it
was executed against (``notebooks/execute.py``), and a change of results without re-running the
notebooks fails :func:`test_notebook_outputs_match_todays_results`; every ``from twin... import``
in them must still resolve.
"""

from __future__ import annotations

import ast
import importlib
import sys
from pathlib import Path

import nbclient
import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
#: executed on every run of the suite; the rest with ``--notebooks`` (module docstring)
EXECUTED_BY_DEFAULT = {"01_colossus_neocloud.ipynb", "02_orbital_2035.ipynb"}

sys.path.insert(0, str(ROOT / "notebooks"))
from execute import golden_sha256  # noqa: E402  (notebooks/ is not a package)


def _ids(paths: list[Path]) -> list[str]:
    return [p.name for p in paths]


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_notebook_executes(
    path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    if path.name not in EXECUTED_BY_DEFAULT and not request.config.getoption("--notebooks"):
        pytest.skip(
            "minutes of solves each, too long for every CI run: executed with `pytest "
            "--notebooks` or `python notebooks/execute.py`; test_notebook_outputs_match_todays_"
            "results checks their saved outputs against today's golden results in every run"
        )
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
    """The notebooks the README names are the ones the suite checks."""
    names = {p.name for p in NOTEBOOKS}
    assert {
        "01_colossus_neocloud.ipynb",
        "02_orbital_2035.ipynb",
        "03_terafab_make_vs_buy.ipynb",
        "04_lease_as_option.ipynb",
        "05_alternatives_sensitivity.ipynb",
    } <= names
    assert EXECUTED_BY_DEFAULT <= names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_notebooks_are_committed_with_their_outputs(path: Path) -> None:
    """A reader sees the results without running anything: every code cell was executed, in
    order, by ``notebooks/execute.py``, and the notebook shows its tables."""
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1))
    assert sum(bool(c.outputs) for c in code) >= len(code) // 2
    assert not any(o.get("output_type") == "error" for c in code for o in c.outputs)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_notebook_outputs_match_todays_results(path: Path) -> None:
    """The outputs were computed against the golden results as they are now: regenerating the
    golden file (results changed on purpose) without ``python notebooks/execute.py`` fails here."""
    assert stale(nbformat.read(path, as_version=4), path.name) is None


def stale(nb: nbformat.NotebookNode, name: str) -> str | None:
    """Why the notebook's outputs are not today's results, or None when they are."""
    recorded = nb.metadata.get("twin", {}).get("golden_sha256")
    if recorded == golden_sha256():
        return None
    return (
        f"{name} was executed against other golden results: run "
        f"`python notebooks/execute.py {name}` and commit it"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_notebook_imports_resolve(path: Path) -> None:
    """Every ``from twin... import name`` and ``import twin...`` in the notebook still exists."""
    nb = nbformat.read(path, as_version=4)
    missing = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("twin"):
                module = importlib.import_module(node.module or "")
                missing += [
                    f"{node.module}.{a.name}" for a in node.names if not hasattr(module, a.name)
                ]
            elif isinstance(node, ast.Import):
                for a in node.names:
                    if a.name.startswith("twin"):
                        importlib.import_module(a.name)
    assert not missing, f"{path.name} imports names twin no longer has: {missing}"


def test_a_stale_or_unrecorded_notebook_is_named() -> None:
    """The freshness check can fail: other results recorded, or none, name the notebook."""
    nb = nbformat.read(NOTEBOOKS[0], as_version=4)
    nb.metadata["twin"] = {"golden_sha256": "0" * 64}
    assert "execute.py x.ipynb" in (stale(nb, "x.ipynb") or "")
    del nb.metadata["twin"]
    assert stale(nb, "x.ipynb") is not None
