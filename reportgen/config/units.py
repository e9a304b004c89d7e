"""`[[groups]]`: the groups of units ranked together, each unit with its aliases, status
this year and predecessors."""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, Field

from reportgen.config.fields import CleanText, Model


class Unit(Model):
    name: CleanText
    aliases: list[CleanText] = []
    not_assessed: CleanText = ""  # why it is not assessed this year (a note under the table)
    not_ranked: CleanText = ""  # why it is assessed but not ranked (shown without a rank)
    predecessors: list[CleanText] = []  # last year's names it continues (renamed, merged)
    not_applicable: list[str] = []  # keys of criteria that do not apply to it this year


def _unit(value: object) -> object:
    return {"name": value} if isinstance(value, str) else value


class Group(Model):
    key: str = Field(pattern=r"^[a-z0-9_-]+$")
    name: CleanText  # Sở, Ban, ngành
    heading: CleanText  # the annex section heading above the table
    name_column: CleanText = "Tên đơn vị"  # the annex's name-column heading
    criteria_set: str = ""  # key of its criteria set; "" = the top-level [[criteria]]
    units: list[Annotated[Unit, BeforeValidator(_unit)]] = Field(min_length=1)
