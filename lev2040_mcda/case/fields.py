"""The field types every model of a case folder shares: ids, paths, finite numbers, and the base
model that forbids unknown keys."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

__all__ = ["FilePath", "Finite", "Id", "Model", "NonNegative", "Positive"]

_ID = re.compile(r"^[a-z][a-z0-9_]*$")


def _check_id(value: str) -> str:
    if not _ID.match(value):
        raise ValueError(
            f"{value!r} is not a valid id (expected lower_snake_case: a letter, "
            "then lower-case letters, digits or _)"
        )
    return value


Id = Annotated[str, AfterValidator(_check_id)]


def _check_path(value: str) -> str:
    """A path the system can open: no NUL character, not longer than any system allows."""
    if "\0" in value:
        raise ValueError("holds a NUL character (expected the path of a YAML file)")
    if len(value) > 1024 or any(len(part) > 255 for part in re.split(r"[\\/]", value)):
        raise ValueError(f"is too long for a path ({len(value):,} characters; at most 1,024, 255 per name)")
    return value


FilePath = Annotated[str, AfterValidator(_check_path)]
Finite = Annotated[float, Field(allow_inf_nan=False)]
NonNegative = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Positive = Annotated[float, Field(gt=0, allow_inf_nan=False)]


class Model(BaseModel):
    """Strict, immutable base: unknown keys are errors (a typo must not pass silently)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
