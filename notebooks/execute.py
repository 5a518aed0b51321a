"""Run every planning notebook top to bottom and save it with its outputs, so that a reader sees
the tables and figures without running anything (``python notebooks/execute.py [NAME...]``).

Each notebook runs in its own folder with the ``python3`` kernel, as the test suite runs it
(tests/test_notebooks.py); figures go to a temporary folder, not next to the notebooks. The
saved notebook keeps its outputs and execution counts, with the run's timing metadata dropped,
so a re-run that changes nothing leaves the file as it was. Run it after a change of results
(golden results regenerated on purpose) and commit the notebooks with the change.

Each saved notebook records, in ``metadata.twin.golden_sha256``, the SHA-256 of
``tests/golden/scenarios.json`` it ran against: the test suite (``tests/test_notebooks.py``)
checks it against the golden file, so results that changed on purpose without the notebooks
being re-run fail a test without executing them.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from pathlib import Path

import nbclient
import nbformat

HERE = Path(__file__).resolve().parent
GOLDEN = HERE.parent / "tests" / "golden" / "scenarios.json"


def golden_sha256() -> str:
    """SHA-256 of the golden results file: what the notebooks' outputs were computed against."""
    return hashlib.sha256(GOLDEN.read_bytes()).hexdigest()


def execute(path: Path) -> None:
    """Execute ``path`` in place (module docstring)."""
    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory() as figures:
        os.environ["TWIN_FIGURES"] = figures
        nbclient.NotebookClient(
            nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(HERE)}}
        ).execute()
    for cell in nb.cells:
        cell.metadata.pop("execution", None)  # wall-clock stamps of this run
    nb.metadata.pop("widgets", None)
    nb.metadata["twin"] = {"golden_sha256": golden_sha256()}
    nbformat.write(nb, path)


def main(names: list[str]) -> int:
    """Execute the notebooks named (default: all of ``notebooks/``); 0 when all ran."""
    paths = [HERE / n for n in names] if names else sorted(HERE.glob("*.ipynb"))
    for path in paths:
        print(f"running {path.name}", flush=True)
        execute(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
