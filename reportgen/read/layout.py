"""What reading looks for on a sheet, derived from the assessment: every criteria set's
labels (`SetLayout`), the name headings and which table headers name a whole level
(`Layout`)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from reportgen.config import Assessment, CriteriaSet, Criterion
from reportgen.core.text import label_key
from reportgen.read.headings import NAME_HEADERS, heading_kind

_YEAR = re.compile(r"nam \d{4}")  # "Năm 2017" over a published ranking's column


class SetLayout:
    """The labels of one criteria set: every node of its tree, by matching key. Leaves whose
    scores come from a `source` table are not the unit's to give: not asked for in its
    submissions (they are in a published annex: `sourced`)."""

    def __init__(self, criteria: CriteriaSet, sourced: bool = False):
        self.key = criteria.key
        given = {c.key for c in criteria.leaves if sourced or not c.source}
        self.leaves = [c for c in criteria.leaves if c.key in given]
        self.criteria = [  # the top level, but for areas scored wholly from a source table
            c for c in criteria.criteria if any(n.key in given for _, n in c.walk())
        ]
        self.parents = {c.key for _, c in criteria.nodes if c.items}
        self.size = len(criteria.nodes)
        self._by_label: dict[str, str] = {}
        for _, c in criteria.nodes:
            for label in (c.label, *c.aliases):
                self._by_label[label_key(label)] = c.key
        for _, c in criteria.nodes:  # reportgen's own ket-qua.csv names columns by key
            self._by_label.setdefault(label_key(c.key), c.key)
        self._figures = {label_key(f.label): f.key for f in criteria.figures}

    def figure(self, value: object) -> str | None:
        """The key of the figure (số liệu) a row label names."""
        if not isinstance(value, str) or not self._figures:
            return None
        return self._figures.get(label_key(value))

    def criterion(self, value: object) -> str | None:
        if not isinstance(value, str) or not value.strip():
            return None
        return self._by_label.get(label_key(value))


class Layout:
    """What ingest looks for on a sheet, derived from the assessment."""

    def __init__(
        self,
        assessment: Assessment,
        sets: Sequence[CriteriaSet] | None = None,
        sourced: bool = False,
        published: bool = False,
    ):
        """The layout of `sets` (by default every set of the assessment); `sourced`: with the
        criteria scored from a source table (a published annex has their columns);
        `published`: also the tables a ranking is published as with no criterion column
        (`_valued`)."""
        sets = assessment.sets if sets is None else sets
        self.sets = [SetLayout(s, sourced) for s in sets]
        self.name_headers = NAME_HEADERS | {label_key(g.name_column) for g in assessment.groups}
        self.year = assessment.year
        self.published = published
        self.columns = {label_key(h): k.value for h, k in assessment.audit.columns.items()}

    def criterion(self, value: object) -> str | None:
        """The key of the first set's criterion a label names."""
        return self.sets[0].criterion(value)

    def kind(self, heading: str) -> str | None:
        """What a column heading (its `label_key`) holds: the config's `[audit] columns` first,
        then the usual headings (`heading_kind`)."""
        return self.columns.get(heading) or heading_kind(heading)

    def headers(self, row: list[object]) -> list[tuple[SetLayout, list[Criterion], dict[str, int]]]:
        """Each criteria set and level a row names every criterion of, with each criterion's
        column, the largest level first (a commune header names the whole of a smaller set
        too); empty when the row is no table header."""
        texts = [(j, cell) for j, cell in enumerate(row) if isinstance(cell, str) and cell]
        out = []
        for set_layout in self.sets:
            if len(texts) < min(len(set_layout.leaves), len(set_layout.criteria)):
                continue  # a header names every criterion of a level: a form's rows never do
            found: dict[str, int] = {}
            for j, cell in texts:
                key = set_layout.criterion(cell)
                if key and key not in found:
                    found[key] = j
            for level in (set_layout.leaves, set_layout.criteria):
                if all(c.key in found for c in level):
                    out.append((set_layout, level, {c.key: found[c.key] for c in level}))
        if not out and self.published:
            out = self._valued(row)
        return sorted(out, key=lambda m: -len(m[1]))  # stable: set order among equals

    def _valued(self, row: list[object]) -> list[tuple[SetLayout, list[Criterion], dict]]:
        """A published ranking of one value (a set of one criterion, maximum 1: the national
        index) printed with no criterion column — a name column and a "Chỉ số" column or a
        rank column whose cells carry the value, "01 (0,727)" under "Năm 2017": the set, its
        criterion, and no column (`consolidated_table` finds where the value is)."""
        heads = [label_key(c) for c in row if isinstance(c, str) and c.strip()]
        named = any(h in self.name_headers or self.kind(h) == "name" for h in heads)
        valued = any(self.kind(h) in ("index", "rank") or _YEAR.fullmatch(h) for h in heads)
        if not (named and valued):
            return []
        return [
            (s, s.leaves, {})
            for s in self.sets
            if len(s.criteria) == 1 and not s.criteria[0].items and s.criteria[0].max == 1
        ]

    def labels(self) -> str:
        """The top-level labels of every set, for a finding that found none of them."""
        return "; ".join(", ".join(c.label for c in s.criteria) for s in self.sets)
