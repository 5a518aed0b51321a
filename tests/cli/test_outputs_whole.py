"""Output files on the command line are written whole or not at all (twin.atomic): a chart that
fails to save leaves no partial image and keeps the old one."""

# ruff: noqa: F811 - pytest fixtures imported from tests.cli.runner are parameters
from __future__ import annotations

import errno
from pathlib import Path

import pytest
import yaml

from tests.cli.runner import twin_main  # noqa: F401 - the fixture; tests take it as a parameter
from tests.conftest import tiny_model


def _tiny(folder: Path) -> Path:
    """A three-year tiny model written as YAML into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    model = folder / "m.yaml"
    model.write_text(yaml.safe_dump(tiny_model(horizon={"years": 3})))
    return model


def test_a_chart_that_fails_to_save_leaves_the_old_image(
    twin_main, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``twin plot`` saved straight into --out: a full disk left half an image in place of the
    old one and ended in 'error: <file>: No space left on device'. Now the old image is kept,
    no temporary file is left and the error names --out."""
    from matplotlib.figure import Figure

    image = tmp_path / "map.png"
    image.write_bytes(b"old image")

    def full_disk(self: Figure, fname: object, **kwargs: object) -> None:
        Path(str(fname)).write_bytes(b"half an im")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Figure, "savefig", full_disk)
    res = twin_main("plot", _tiny(tmp_path / "model"), "--kind", "map", "--out", image)
    assert res.code == 2, (res.code, res.err)
    assert "--out" in res.err and "map.png" in res.err and "No space left" in res.err
    assert image.read_bytes() == b"old image"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.png", "model"]
