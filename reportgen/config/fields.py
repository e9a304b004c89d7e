"""What the schema's tables are built from: the strict frozen base model, text cleaned at
the edge and numbers kept exact."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict
from pydantic_core import PydanticCustomError

from reportgen.core.numbers import exact
from reportgen.core.text import clean

CleanText = Annotated[str, BeforeValidator(lambda v: clean(v) if isinstance(v, str) else v)]


def _number(value: object) -> object:
    """A TOML integer or float as an exact Decimal (0.5 stays 0.5); text, booleans and dates
    are refused rather than coerced (`max = "36"`)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise PydanticCustomError("decimal_type", "not a number")
    return exact(value)


Number = Annotated[Decimal, BeforeValidator(_number)]  # strict: a TOML number, never text


class Model(BaseModel):
    """A table of the assessment file: unknown keys refused, values frozen once valid."""

    model_config = ConfigDict(extra="forbid", frozen=True)
