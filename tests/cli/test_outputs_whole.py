"""Output files on the command line are written whole or not at all (twin.atomic): a chart that
fails to save leaves no partial image and keeps the old one, and ``--out`` on a symbolic link
writes through the link to its target, as ``cp`` and shell redirection do."""

# ruff: noqa: F811 - pytest fixtures imported from tests.cli.runner are parameters
from __future__ import annotations

import errno
from pathlib import Path

import pytest

import twin
from tests.cli.runner import (
    OUTPUTS,
    out_args,
    twin_main,  # noqa: F401 - the fixture; tests take it as a parameter
)
from tests.conftest import write_tiny


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
    res = twin_main("plot", write_tiny(tmp_path / "model"), "--kind", "map", "--out", image)
    assert res.code == 2, (res.code, res.err)
    assert "--out" in res.err and "map.png" in res.err and "No space left" in res.err
    assert image.read_bytes() == b"old image"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.png", "model"]


@pytest.mark.parametrize(("command", "name"), OUTPUTS)
def test_out_on_a_link_writes_through_it(
    twin_main, tmp_path: Path, command: str, name: str
) -> None:
    """The rename replaced a link at --out by a regular file and left the file it pointed to as
    it was. Now the target gets the new content and the link stays a link."""
    model = write_tiny(tmp_path / "model")
    real = tmp_path / "store" / name
    real.parent.mkdir()
    real.write_bytes(b"old")
    link = tmp_path / name
    link.symlink_to(Path("store") / name)
    res = twin_main(*out_args(command, model, link))
    assert res.code == 0, (res.code, res.err)
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert real.read_bytes() != b"old" and real.stat().st_size > 100
    assert sorted(p.name for p in real.parent.iterdir()) == [name]
    if command == "solve":
        assert twin.open(link).attrs["npv_musd"] == twin.open(real).attrs["npv_musd"]


def test_out_on_a_dangling_link(twin_main, tmp_path: Path) -> None:
    """A link to a file not yet made is written through (the file is made); a link into a folder
    that does not exist is refused before the solve (or the export's build), naming --out."""
    model = write_tiny(tmp_path / "model")
    link = tmp_path / "r.nc"
    link.symlink_to(tmp_path / "new.nc")
    res = twin_main("solve", model, "--out", link)
    assert res.code == 0, (res.code, res.err)
    assert link.is_symlink() and (tmp_path / "new.nc").is_file()
    gone = tmp_path / "g.nc"
    gone.symlink_to(tmp_path / "no-such" / "r.nc")
    res = twin_main("solve", model, "--out", gone)
    assert res.code == 2, (res.code, res.err)
    assert "--out" in res.err and "no-such' does not exist" in " ".join(res.err.split())
    assert "solve" not in res.err  # refused before any work
    assert gone.is_symlink() and not (tmp_path / "no-such").exists()
    gone_lp = tmp_path / "g.lp"
    gone_lp.symlink_to(tmp_path / "no-such" / "r.lp")
    res = twin_main("export", model, "--out", gone_lp)
    assert res.code == 2 and "--out" in res.err and "does not exist" in res.err, res.err
