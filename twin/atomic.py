"""Every output file twin writes is written whole or not at all: :func:`write_atomic`.

The content goes to a temporary file with a short name (``.twin-``, eight random characters,
``.tmp``: the user's name may be as long as the file system allows) in the folder of the file it
replaces, so that the final rename stays on one file system and is atomic. A failed write (an
exception, Ctrl-C) removes the temporary file and leaves an existing file as it was. The write
itself and the rename run under :func:`twin.interrupt.deferred`: a signal lets a C library
(HDF5) finish and close the temporary file, and is raised before the rename (the file is
dropped) or, when it arrives during the rename, right after it (the new file is complete).

A path that is a symbolic link is written *through* the link, as ``cp`` and shell redirection
do: the new content replaces the file the link points to, and the link stays a link
(:func:`destination`). What the path (or its link) names must be a regular file if it exists: a
FIFO, a device (``/dev/null``) or a socket would be replaced by a regular file -- as root, a
system file -- so it is the caller's error (a folder is left to the rename, which fails). An
:class:`OSError` (no space left, no permission, a name too long, a
folder at the path) becomes the caller's error, built by its ``fail`` function from the reason,
so that the message names the user's path and option rather than the temporary file.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from twin.interrupt import deferred


def _read_umask() -> int:
    """The process's umask, read once at import: reading it means setting it and setting it
    back, which races a thread making a file meanwhile."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


#: The umask at import: new outputs get 0666 less it.
UMASK = _read_umask()

#: Builds the caller's error (naming the user's path and option) from the reason a write failed.
Fail = Callable[[str], Exception]


def destination(path: Path, fail: Fail) -> Path:
    """The file that writing ``path`` replaces: ``path`` itself, or the final target of a
    symbolic link (followed through every link, relative targets read from the link's folder;
    a dangling link gives the path it names). A link whose target's folder does not exist, a
    loop of links, or a destination that exists and is neither a regular file nor a folder (a
    FIFO, a device, a socket: :func:`special_kind`) is ``fail``'s error."""
    if not path.is_symlink():
        kind = special_kind(path)
        if kind:
            raise fail(f"{kind}, which is not a regular file")
        return path
    target = Path(os.path.realpath(path))
    if target.is_symlink():  # realpath stops where links loop
        raise fail("a loop of symbolic links")
    if not target.parent.is_dir():
        raise fail(f"a symbolic link to {target}, whose folder '{target.parent}' does not exist")
    kind = special_kind(target)
    if kind:
        raise fail(f"a symbolic link to {target}: {kind}, which is not a regular file")
    return target


def special_kind(path: Path) -> str | None:
    """What ``path`` is if it exists and is neither a regular file nor a folder (``a FIFO
    (named pipe)``, ``a character device``, ...), else None. A folder is left to the caller
    (the rename over it fails: nothing is lost)."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):  # missing, unreadable, a NUL byte: the write says why
        return None
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    return kind_of(mode)


def kind_of(mode: int) -> str:
    """What a file of ``st_mode`` ``mode`` that is not a regular file is, in words (``a
    directory``, ``a FIFO (named pipe)``, ``a character device``, ...), for messages."""
    for test, name in (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "a special file"


def write_atomic(
    path: Path, write: Callable[[Path], object], fail: Fail, prefix: str = ".twin-"
) -> Path:
    """Write ``path`` through ``write(temporary_path)`` atomically (see the module docstring);
    the file written (``path``, or the target of a link at ``path``).

    A file replaced keeps its permissions (a ``chmod 600`` report stays private); a new file
    gets those of an ordinary new file (0666 less the umask, :data:`UMASK`). An
    :class:`OSError` anywhere (making the temporary file, writing, renaming) is re-raised as
    ``fail(reason)``; any other exception or signal propagates. In every failure the temporary
    file is removed.
    """
    dest = destination(path, fail)
    mode = _mode(dest)
    try:
        fd, name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=dest.parent)
    except OSError as exc:
        raise fail(_reason(exc)) from None
    os.close(fd)
    tmp = Path(name)
    try:
        with deferred():  # a signal waits for the writer to close the file, then drops it
            write(tmp)
        os.chmod(tmp, mode)  # mkstemp makes 0600: the old file's mode, or an ordinary file's
        with deferred():
            os.replace(tmp, dest)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise fail(_reason(exc)) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return dest


def _reason(exc: OSError) -> str:
    """Why a write failed, without the temporary file's name: ``No space left on device``."""
    return exc.strerror or str(exc)


def _mode(dest: Path) -> int:
    """The permissions the new file gets: those of the file it replaces, else 0666 less the
    umask."""
    try:
        return stat.S_IMODE(os.stat(dest).st_mode)
    except (OSError, ValueError):  # none there (or a NUL byte: the write says why)
        return 0o666 & ~UMASK
