"""The base of every schema: frozen, unknown keys are errors."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Frozen(BaseModel):
    """A frozen pydantic model that rejects unknown keys (``extra='forbid'``)."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=False)
