"""The unit registry: the one place where a written unit name becomes a registered unit.

Names are matched by their folded form (case, spacing, diacritics and Unicode normalisation
do not matter), then by the aliases in the config. Anything else is not matched; the closest
registered name is offered as a suggestion, never taken silently."""

from __future__ import annotations

from dataclasses import dataclass

from reportgen.config import Assessment, Group
from reportgen.text import fold

SUGGEST_CUTOFF = 60  # rapidfuzz WRatio below this is no useful hint


@dataclass(frozen=True)
class Match:
    unit: str | None  # the registered name, or None
    suggestion: str | None = None  # the closest registered name when unmatched


class UnitRegistry:
    def __init__(self, assessment: Assessment):
        self._by_key: dict[str, str] = {}
        self._group: dict[str, Group] = {}
        for group in assessment.groups:
            for unit in group.units:
                self._group[unit.name] = group
                for written in (unit.name, *unit.aliases):
                    self._by_key.setdefault(fold(written), unit.name)
        self._names = {fold(name): name for name in self._group}

    def match(self, written: str) -> Match:
        unit = self._by_key.get(fold(written))
        if unit:
            return Match(unit)
        return Match(None, self.suggest(written))

    def suggest(self, written: str) -> str | None:
        from rapidfuzz import fuzz, process  # only for names that do not match

        best = process.extractOne(fold(written), list(self._names), scorer=fuzz.WRatio)
        if best and best[1] >= SUGGEST_CUTOFF:
            return self._names[best[0]]
        return None

    def group_of(self, unit: str) -> Group:
        return self._group[unit]

    @property
    def units(self) -> list[str]:
        return list(self._group)
