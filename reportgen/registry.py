"""The unit registry: the one place where a written unit name becomes a registered unit.

A name matches when its key equals the key of a registered name or alias. The key ignores
case, spacing, punctuation, Unicode normalisation and tone placement (hóa/hoá), drops a
leading "UBND"/"Ủy ban nhân dân" and spells out the prefixes clerks abbreviate ("TP." →
"Thành phố", "TX." → "Thị xã", "H." → "Huyện"): see `text.name_key`. Anything else is
not matched: the closest registered name is offered as a suggestion (an acronym such as
"Sở GTVT" first, then rapidfuzz), never taken silently."""

from __future__ import annotations

from dataclasses import dataclass

from reportgen.config import Assessment, Group
from reportgen.text import name_key, plain_key

SUGGEST_CUTOFF = 60  # rapidfuzz WRatio below this is no useful hint
_HEADS = ("so", "ban", "huyen", "thanh pho", "thi xa", "van phong", "xa", "phuong", "thi tran")
_LINKS = {"va"}  # "và" is left out of acronyms: Tài nguyên và Môi trường → TNMT


def _acronyms(key: str) -> set[tuple[str, str]]:
    """The ways a plain key may abbreviate: (head, letters) with the words after the head
    joined ("so gtvt" → "gtvt"; "so vhtt dl" → "vhttdl") or as initials ("so giao thong
    van tai" → "gtvt"; "và" left out)."""
    for head in _HEADS:
        if key.startswith(head + " "):
            words = key[len(head) + 1 :].split()
            initials = "".join(w[0] for w in words if w not in _LINKS)
            return {(head, "".join(words)), (head, initials)}
    return set()


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
                    self._by_key.setdefault(name_key(written), unit.name)
        self._names = {plain_key(name): name for name in self._group}

    def match(self, written: str) -> Match:
        unit = self._by_key.get(name_key(written))
        if unit:
            return Match(unit)
        return Match(None, self.suggest(written))

    def suggest(self, written: str) -> str | None:
        """The registered name the writer most likely meant, if any is close."""
        key = plain_key(written)
        written_forms = _acronyms(key)
        same = [
            name
            for k, name in self._names.items()
            if any(form in written_forms for form in _acronyms(k))
        ]
        if len(same) == 1:
            return same[0]
        from rapidfuzz import fuzz, process  # only for names that did not match

        best = process.extractOne(key, list(self._names), scorer=fuzz.WRatio)
        if best and best[1] >= SUGGEST_CUTOFF:
            return self._names[best[0]]
        return None

    def group_of(self, unit: str) -> Group:
        return self._group[unit]

    @property
    def units(self) -> list[str]:
        return list(self._group)
