"""Helpers of the fuzzing passes' spec tests: edit a copied model's files, and load one that
must be refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import PERIOD_FORM

from twin.errors import BadInput
from twin.spec import SpecError, load_model

#: three years in the energy-only period form: a load checks without a long horizon
E = [*PERIOD_FORM, ("horizon.years", 3)]


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in ``path`` by ``new`` (``old`` must be there)."""
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def refused(model: Path, *needles: str, overrides: list | None = None, **kw: object) -> str:
    """Load ``model`` over three years in periods: a SpecError holding every needle."""
    with pytest.raises(SpecError) as e:
        load_model(model, overrides=[*E, *(overrides or [])], **kw)  # type: ignore[arg-type]
    for needle in needles:
        assert needle in str(e.value), (needle, str(e.value))
    return str(e.value)


def raises_bad_input(call: Any, *needles: str) -> str:
    """``call()`` raises a BadInput (a TwinError, exit 2) whose message holds every needle."""
    with pytest.raises(BadInput) as info:
        call()
    msg = str(info.value)
    for needle in needles:
        assert needle in msg, msg
    return msg
