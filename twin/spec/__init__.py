"""Model files: schemas, loading with scenarios and overrides, consistency checks."""

from twin.spec.errors import SpecError, SpecErrors
from twin.spec.load import Spec, load_dict, load_model, parse_assignment

__all__ = ["Spec", "SpecError", "SpecErrors", "load_dict", "load_model", "parse_assignment"]
