"""The base of every schema: frozen, unknown keys are errors, every number in a sane range."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from twin.spec.ranges import check_value


class Frozen(BaseModel):
    """A frozen pydantic model that rejects unknown keys (``extra='forbid'``), non-finite floats
    (``allow_inf_nan=False``) and numbers or dates outside their unit's sane range
    (:mod:`twin.spec.ranges`), for every field of every schema."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", populate_by_name=False, allow_inf_nan=False
    )

    @field_validator("*", mode="before")
    @classmethod
    def _no_bool_numbers(cls, value: Any, info: ValidationInfo) -> Any:
        """``true``/``false`` where a number is expected is an error, not 1/0."""
        if isinstance(value, bool):
            fld = cls.model_fields.get(info.field_name or "")
            ann = str(fld.annotation) if fld else ""
            if ("int" in ann or "float" in ann) and "bool" not in ann and "object" not in ann:
                raise ValueError(f"expected a number, got {str(value).lower()}")
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _sane(cls, value: Any, info: ValidationInfo) -> Any:
        name = info.field_name or ""
        fld = cls.model_fields.get(name)
        return check_value(name, fld.description if fld else None, value)


#: The ``source`` field every dataset row carries.
Source = Field(min_length=3, description="Publisher and date, or 'assumption: <why>' [text]")
