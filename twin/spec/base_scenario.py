"""``base``: the name of the model without a scenario, wherever a scenario is named.

``twin validate`` lists it among the scenarios it checked, a sweep names its member so, and
``-s base`` (``--scenario base``, ``load_model(..., scenario="base")``) asks for it: the model
as its file states it, no scenario's ``set`` applied. No scenario of a model file may take the
name (nor one that prints like it, ``Base``: :func:`twin.spec.load` refuses it). A leaf module:
the command line imports it before any model is read.
"""

from __future__ import annotations

#: The name of the model without a scenario: no scenario may take it.
BASE_SCENARIO = "base"


def scenario_or_none(name: str | None) -> str | None:
    """``name`` as the loader takes it: None (no scenario) for :data:`BASE_SCENARIO`, else
    ``name`` unchanged (an unknown name is refused where the model's scenarios are known)."""
    return None if name == BASE_SCENARIO else name
