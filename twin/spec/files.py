"""Reading input files safely: regular files only, bounded size, UTF-8 with a named bad byte,
and paths confined to the model's folder tree.

Rules (the README's "Bad input" section states them for users):

- Only regular files are read. A directory, a device (``/dev/zero``), a FIFO or a socket is
  refused from ``os.stat`` before it is opened, so an endless or blocking input cannot hang a run.
- A file larger than :data:`MAX_INPUT_BYTES` (32 MiB; environment variable ``TWIN_MAX_INPUT_MB``
  changes it) is refused from its size; at most that many bytes plus one are ever read.
- Text is UTF-8. A UTF-8 byte-order mark (spreadsheets write one) is dropped. A UTF-16/32 mark,
  a NUL byte (a binary file) or an invalid UTF-8 sequence is an error naming the line and column
  (1-based, columns counted in characters) of the first bad byte.
- A dataset path resolves (symlinks followed) inside the model's project: the nearest folder
  above the model file that holds a project marker (:data:`PROJECT_MARKERS`: an empty
  ``.twin-project`` file, a ``pyproject.toml`` or a ``.git``); without one, the working directory
  if it holds the model, else the parent of the model's folder (``scenarios/`` or ``models/``
  beside ``datasets/``, whatever their names). The model's own folder is always allowed. Other
  roots are allowed with ``--data-root DIR`` or the environment variable ``TWIN_DATA_ROOT``
  (paths separated by ``os.pathsep``). A refused path is named with the key that holds it and
  how to allow it; its content is never read, so never echoed.
"""

from __future__ import annotations

import codecs
import math
import os
import re
import stat
from collections.abc import Sequence
from pathlib import Path

from twin.atomic import kind_of
from twin.spec.errors import SpecError

#: Largest input file read by default [bytes] (32 MiB; the shipped datasets are ~10 kB).
MAX_INPUT_BYTES = 32 * 1024 * 1024

#: A decimal number as an environment variable gives it (``32``, ``0.5``, ``1e3``).
_DECIMAL = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")

#: Byte-order marks of encodings other than UTF-8, with their names (checked longest first).
_OTHER_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32 (little-endian)"),
    (codecs.BOM_UTF32_BE, "UTF-32 (big-endian)"),
    (codecs.BOM_UTF16_LE, "UTF-16 (little-endian)"),
    (codecs.BOM_UTF16_BE, "UTF-16 (big-endian)"),
)


def max_input_bytes() -> int:
    """The size limit in bytes: ``TWIN_MAX_INPUT_MB`` (MiB) if set, else the default. A value
    that is no decimal number of at least one byte and below 1,000,000 MiB (``abc``, ``0``,
    ``-1``, ``nan``, ``1e-9``) is a :class:`SpecError` naming the variable, not the default."""
    text = os.environ.get("TWIN_MAX_INPUT_MB", "").strip()
    if not text:
        return MAX_INPUT_BYTES
    mb = float(text) if _DECIMAL.fullmatch(text) else math.nan
    if not 0 < mb < 1e6 or int(mb * 1024 * 1024) < 1:
        raise SpecError(
            "TWIN_MAX_INPUT_MB",
            text,
            "expected the largest input file in MiB: a decimal number of at least one byte and "
            f"below 1,000,000 (unset: {MAX_INPUT_BYTES // 1024 // 1024})",
        )
    return int(mb * 1024 * 1024)


def env_roots() -> list[Path]:
    """The folders of ``TWIN_DATA_ROOT`` (separated by ``os.pathsep``; each entry stripped of
    white space around it, as ``TWIN_DEBUG`` and ``TWIN_MAX_INPUT_MB`` are; empty entries
    skipped), resolved; an entry that is no existing folder is a :class:`SpecError` naming the
    variable, as ``--data-root`` refuses it (it would allow nothing, or a file's parent by
    mistake)."""
    roots = []
    for entry in os.environ.get("TWIN_DATA_ROOT", "").split(os.pathsep):
        if not entry.strip():
            continue
        folder = Path(entry.strip()).expanduser()
        if not folder.is_dir():
            raise SpecError(
                "TWIN_DATA_ROOT",
                entry,
                f"expected existing folders of dataset files, separated by '{os.pathsep}'",
            )
        roots.append(folder.resolve())
    return roots


def read_bytes(path: Path, key: str, what: str) -> bytes:
    """The bytes of the regular file ``path``, refused (a :class:`SpecError` naming ``path`` and
    ``key``) if missing, not a regular file, unreadable or over the size limit."""
    limit = max_input_bytes()
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise SpecError(path, key, f"expected an existing {what}; none found") from None
    except OSError as exc:
        raise SpecError(path, key, f"expected a readable {what}: {exc.strerror}") from None
    except ValueError:  # a NUL byte: no file system takes it (an API caller's path)
        where = repr(str(path))
        raise SpecError(where, key, f"expected a path without a NUL byte ({what})") from None
    if not stat.S_ISREG(st.st_mode):
        raise SpecError(path, key, f"expected a regular file ({what}), found {kind_of(st.st_mode)}")
    if st.st_size > limit:
        raise SpecError(
            path,
            key,
            f"expected a {what} of at most {limit:,} bytes, found {st.st_size:,} bytes "
            "(TWIN_MAX_INPUT_MB raises the limit)",
        )
    try:
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise SpecError(path, key, f"expected a readable {what}: {exc.strerror}") from None
    if len(data) > limit:
        raise SpecError(path, key, f"expected a {what} of at most {limit:,} bytes")
    return data


def _line_col(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters of the valid text before it) of byte ``offset``."""
    line = data.count(b"\n", 0, offset) + 1
    start = data.rfind(b"\n", 0, offset) + 1
    col = len(data[start:offset].decode("utf-8", errors="replace")) + 1
    return line, col


def decode(data: bytes, path: Path) -> str:
    """UTF-8 text of ``data`` without a UTF-8 byte-order mark; a :class:`SpecError` naming the
    file, line and column of the first byte that is not text."""
    for bom, name in _OTHER_BOMS:
        if data.startswith(bom):
            raise SpecError(
                path,
                "line 1, column 1",
                f"expected UTF-8 text, found a {name} byte-order mark; save the file as UTF-8",
            )
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    nul = data.find(b"\x00")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        at = exc.start if nul < 0 else min(exc.start, nul)
        line, col = _line_col(data, at)
        raise SpecError(
            path,
            f"line {line}, column {col}",
            f"expected UTF-8 text, found byte 0x{data[at]:02x} (a binary file or another "
            "encoding; save it as UTF-8)",
        ) from None
    if nul >= 0:
        line, col = _line_col(data, nul)
        raise SpecError(
            path, f"line {line}, column {col}", "expected text, found a NUL byte (a binary file)"
        )
    return text


def read_text(path: Path, key: str, what: str) -> str:
    """:func:`read_bytes` then :func:`decode`."""
    return decode(read_bytes(path, key, what), path)


#: Files or folders that mark the top folder of a project (checked nearest first).
PROJECT_MARKERS = (".twin-project", "pyproject.toml", ".git")


def project_root(model_path: Path) -> Path:
    """The top folder of the model's project (module docstring): the nearest ancestor of the
    model file holding a :data:`PROJECT_MARKERS` entry; else the working directory if it holds
    the model; else the parent of the model's folder (never the filesystem root)."""
    folder = model_path.resolve().parent
    for above in (folder, *folder.parents):
        if any((above / marker).exists() for marker in PROJECT_MARKERS):
            return above
    cwd = Path.cwd().resolve()
    if folder.is_relative_to(cwd) and cwd != Path(cwd.anchor):
        return cwd
    parent = folder.parent
    return parent if parent != Path(parent.anchor) else folder


def data_roots(model_path: Path, extra: Sequence[str | Path] = ()) -> list[Path]:
    """The folders dataset paths may resolve into: the model's project (:func:`project_root`)
    and its own folder, the ``extra`` roots and ``TWIN_DATA_ROOT``'s."""
    folder = model_path.resolve().parent
    roots = [project_root(model_path), folder]
    roots += [Path(p).expanduser().resolve() for p in extra]
    return roots + env_roots()


def confine(path: Path, roots: Sequence[Path], source: Path, key: str) -> Path:
    """``path`` resolved (symlinks followed), if it lies inside one of ``roots``; else a
    :class:`SpecError` naming ``source`` (the model file) and ``key``, never the content."""
    try:
        real = path.resolve()
    except (OSError, RuntimeError) as exc:  # a symlink loop
        raise SpecError(
            source, key, f"expected a path that resolves, got '{path}': {exc}"
        ) from None
    for root in roots:
        if real == root or real.is_relative_to(root):
            return real
    raise SpecError(
        source,
        key,
        f"'{path}' resolves to '{real}', outside the model's project "
        f"({', '.join(str(r) for r in dict.fromkeys(roots))}); expected a path inside it: allow "
        "its folder with --data-root DIR (or TWIN_DATA_ROOT), or put an empty .twin-project file "
        "in a folder above both the model and the data",
    )
