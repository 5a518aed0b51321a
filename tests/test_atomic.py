"""twin.atomic.write_atomic, the one way twin writes an output file: whole or not at all, through
a symbolic link to its target, and an OSError as the caller's error naming the user's path."""

from __future__ import annotations

import errno
import json
from collections.abc import Callable
from pathlib import Path

import pytest
import xarray as xr

import twin
from twin.atomic import write_atomic
from twin.report.member import _write_json


class Refused(Exception):
    """The caller's error in these tests."""


def _fail(why: str) -> Refused:
    return Refused(f"out.txt: {why}")


def _text(text: str) -> Callable[[Path], object]:
    """A writer for write_atomic that writes ``text``."""
    return lambda tmp: tmp.write_text(text)


def test_a_file_is_replaced_whole_with_ordinary_permissions(tmp_path: Path) -> None:
    path = tmp_path / "out.txt"
    path.write_text("old")
    assert write_atomic(path, _text("new"), _fail) == path
    assert path.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]
    assert path.stat().st_mode & 0o777 == 0o666 & ~_umask()


def _umask() -> int:
    import os

    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@pytest.mark.parametrize("error", [OSError(errno.ENOSPC, "No space left on device"),
                                   KeyboardInterrupt(), ValueError("bad data")])  # fmt: skip
def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(
    tmp_path: Path, error: BaseException
) -> None:
    """No space (the caller's error, naming why), Ctrl-C or a bug in the writer: the
    temporary file, written in part, is removed and the old file is kept."""
    path = tmp_path / "out.txt"
    path.write_text("old")

    def partial(tmp: Path) -> None:
        tmp.write_text("half")
        raise error

    expected = Refused if isinstance(error, OSError) else type(error)
    with pytest.raises(expected) as info:
        write_atomic(path, partial, _fail)
    if isinstance(error, OSError):
        assert str(info.value) == "out.txt: No space left on device"
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_a_folder_at_the_path_is_the_callers_error(tmp_path: Path) -> None:
    (tmp_path / "out.txt").mkdir()
    with pytest.raises(Refused, match="Is a directory"):
        write_atomic(tmp_path / "out.txt", _text("new"), _fail)
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_a_name_as_long_as_the_file_system_allows_is_written(tmp_path: Path) -> None:
    """The temporary name is short: ``.<name>.XXXX.tmp`` was too long for a 250-byte name."""
    path = tmp_path / ("b" * 250 + ".nc")
    twin.write(xr.Dataset({"x": ("t", [1.0])}), path)
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_a_member_row_that_fails_to_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    """A sweep's summary row (``--no-reports``) was dumped into a temporary file that an error
    left behind."""
    path = tmp_path / "m0.json"
    path.write_text("{}")
    with pytest.raises(TypeError):
        _write_json(path, {"member_row": object()})
    assert [p.name for p in tmp_path.iterdir()] == ["m0.json"]
    assert path.read_text() == "{}"
    _write_json(path, {"member_row": {"member": "m0"}})
    assert json.loads(path.read_text()) == {"member_row": {"member": "m0"}}


def test_a_symbolic_link_is_written_through_to_its_target(tmp_path: Path) -> None:
    """The rename replaced the link itself with a regular file; the file it pointed to kept
    the old content. Now the target is replaced (atomically, in its folder) and the link
    stays a link, relative or through a chain of links."""
    real = tmp_path / "data"
    real.mkdir()
    (real / "r.txt").write_text("old")
    first = tmp_path / "first.txt"
    first.symlink_to(Path("data") / "r.txt")  # relative to the link's folder
    link = tmp_path / "out.txt"
    link.symlink_to(first)
    assert write_atomic(link, _text("new"), _fail) == real / "r.txt"
    assert link.is_symlink() and first.is_symlink()
    assert (real / "r.txt").read_text() == "new"
    assert sorted(p.name for p in real.iterdir()) == ["r.txt"]


def test_a_dangling_link_is_written_to_its_target_if_its_folder_exists(tmp_path: Path) -> None:
    link = tmp_path / "out.txt"
    link.symlink_to(tmp_path / "new.txt")
    write_atomic(link, _text("new"), _fail)
    assert link.is_symlink() and (tmp_path / "new.txt").read_text() == "new"
    gone = tmp_path / "gone.txt"
    gone.symlink_to(tmp_path / "no-such-folder" / "r.txt")
    with pytest.raises(Refused, match=r"whose folder .*no-such-folder' does not exist"):
        write_atomic(gone, _text("new"), _fail)
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    with pytest.raises(Refused, match="a loop of symbolic links"):
        write_atomic(loop, _text("new"), _fail)
    assert loop.is_symlink() and gone.is_symlink()
