"""The unit registry: the one place where a written unit name becomes a registered unit.

A name matches when its key equals the key of a registered name or alias. The key ignores
case, spacing, punctuation, Unicode normalisation and tone placement (hóa/hoá), drops a
leading "UBND"/"Ủy ban nhân dân" and spells out the prefixes clerks abbreviate ("TP." →
"Thành phố", "TX." → "Thị xã", "H." → "Huyện"): see `text.name_key`. Anything else is
not matched: the closest registered name is offered as a suggestion (an acronym such as
"Sở GTVT" first, then rapidfuzz), never taken silently. A suggestion is *confident* when the
written name is the registered one typed differently: the same letters without their
diacritics, the registered name followed by more words ("Sở Nội vụ tỉnh Quảng Nam"), its
one acronym, or a near-identical spelling with no close second.

The registry also says where an earlier year's name went (`heirs`, for year over year): to
the unit of that name or alias, and to every unit listing it among its `predecessors`."""

from __future__ import annotations

from dataclasses import dataclass

from reportgen.config import Assessment, Group
from reportgen.core.text import closest, name_key, plain_key

CONFIDENT_RATIO = 90  # rapidfuzz ratio of plain keys from which a typo is taken as confident
CONFIDENT_MARGIN = 5  # ... when the second closest name is at least this much further
FUZZY_LIMIT = 2000  # unknown names compared by rapidfuzz in one run (~90 µs each); past this
# a file is not a list of typos (a sheet of another province?): no more close-name hints
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
    confident: bool = False  # the suggestion is surely the unit meant (a name typed differently)


@dataclass(frozen=True)
class Heir:
    """A registered unit an earlier year's name leads to."""

    unit: str
    own: bool  # by the unit's name or an alias; False: named among its `predecessors`
    place: int  # where: among the unit's names (its name 0, then aliases) or its predecessors


class UnitRegistry:
    def __init__(self, assessment: Assessment):
        self._by_key: dict[str, str] = {}
        self._place: dict[str, int] = {}  # key → its place among its unit's names
        self._successors: dict[str, dict[str, int]] = {}  # predecessor key → unit → place
        self._group: dict[str, Group] = {}
        for group in assessment.groups:
            for unit in group.units:
                self._group[unit.name] = group
                for place, written in enumerate((unit.name, *unit.aliases)):
                    key = name_key(written)
                    if key not in self._by_key:
                        self._by_key[key], self._place[key] = unit.name, place
                for place, written in enumerate(unit.predecessors):
                    self._successors.setdefault(name_key(written), {}).setdefault(unit.name, place)
        self._index: _SuggestionIndex | None = None  # made on the first unknown name

    def match(self, written: str) -> Match:
        unit = self._by_key.get(name_key(written))
        if unit:
            return Match(unit)
        suggestion, confident = self._suggest(written)
        return Match(None, suggestion, confident)

    def heirs(self, written: str) -> list[Heir]:
        """The registered units an earlier year's name leads to: the unit of that name or
        alias, then those listing it among their `predecessors` (none: a unit now gone).
        Matched as `match` matches, never by suggestion."""
        key = name_key(written)
        own = [Heir(self._by_key[key], True, self._place[key])] if key in self._by_key else []
        later = self._successors.get(key, {})
        return own + [Heir(unit, False, place) for unit, place in later.items()]

    def suggest(self, written: str) -> str | None:
        """The registered name the writer most likely meant, if any is close."""
        return self._suggest(written)[0]

    def _suggest(self, written: str) -> tuple[str | None, bool]:
        if self._index is None:
            self._index = _SuggestionIndex(list(self._group))
        return self._index.suggest(plain_key(written))

    @property
    def fuzzy_limit(self) -> int:
        return FUZZY_LIMIT

    @property
    def unsuggested(self) -> int:
        """Unknown names given no close-name hint because `FUZZY_LIMIT` was reached."""
        return self._index.unsuggested if self._index else 0

    def group_of(self, unit: str) -> Group:
        return self._group[unit]

    @property
    def units(self) -> list[str]:
        return list(self._group)


class _SuggestionIndex:
    """The registered names by plain key, by every shorter prefix ending a word and by
    acronym, so that a suggestion costs a few lookups and two rapidfuzz scans (a sheet of
    100 000 unknown names is judged in seconds)."""

    def __init__(self, names: list[str]):
        self.names = {plain_key(name): name for name in names}
        self.keys = list(self.names)
        self.forms: dict[tuple[str, str], set[str]] = {}
        self.fuzzy = 0  # names compared with rapidfuzz so far
        self.unsuggested = 0  # names not compared: past FUZZY_LIMIT
        for key, name in self.names.items():
            for form in _acronyms(key):
                self.forms.setdefault(form, set()).add(name)

    def suggest(self, key: str) -> tuple[str | None, bool]:
        if key in self.names:  # the same letters, diacritics or tones typed differently
            return self.names[key], True
        words = key.split()
        for n in range(len(words) - 1, 1, -1):  # the registered name with words added
            head = " ".join(words[:n])  # ("... tỉnh Quảng Nam"), the longest first
            if head in self.names:
                return self.names[head], True
        same = set().union(*(self.forms.get(form, ()) for form in _acronyms(key)))
        if len(same) == 1:
            return same.pop(), True
        if self.fuzzy >= FUZZY_LIMIT:
            self.unsuggested += 1
            return None, False
        self.fuzzy += 1
        from rapidfuzz import fuzz, process  # only for names that did not match

        cutoff = CONFIDENT_RATIO - CONFIDENT_MARGIN  # a second name below it leaves the margin
        close = process.extract(key, self.keys, scorer=fuzz.ratio, limit=2, score_cutoff=cutoff)
        if close and close[0][1] >= CONFIDENT_RATIO:
            second = close[1][1] if len(close) > 1 else 0
            if close[0][1] - second >= CONFIDENT_MARGIN:
                return self.names[close[0][0]], True
        best = closest(key, self.keys)
        return (self.names[best], False) if best else (None, False)
