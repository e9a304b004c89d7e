"""Judging raw entries: unit names through the registry, scores into exact `Decimal`s
within their bounds, one submission per unit; criteria that do not apply to a unit (the
config's list, "Không áp dụng" in a cell, a ratio of 0 ÷ 0), scores computed from the unit's
figures (`rules`, each kept as a `Computation`), scores from source tables (`sources`);
verified scores (a form's "Điểm thẩm định" column, then the Sở's verification list) replace
self-assessed ones and each change is kept as an `Adjustment`. Every problem becomes a
finding."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from reportgen.config import Assessment, CriteriaSet, Criterion, EvidencePolicy, RatioRule
from reportgen.core.catalogue import finding
from reportgen.core.findings import Finding
from reportgen.core.legacy_text import detect_legacy
from reportgen.core.location import Location
from reportgen.core.numbers import NotANumber, format_number, parse, parse_or_none, places, shown
from reportgen.core.text import clean, closest, label_key
from reportgen.core.vnformat import short_date
from reportgen.judge import rules
from reportgen.judge.registry import Match, UnitRegistry
from reportgen.judge.score import Submission, grade_for, roll_up, total_of
from reportgen.judge.stated import grade_differs, total_differs
from reportgen.read import evidence
from reportgen.read.ingest import RawEntry, RawValue, RawVerification
from reportgen.read.sources import SourceTable


@dataclass(frozen=True)
class Answer:
    """A unit's answer to a preliminary notice, on one indicator."""

    agrees: bool  # Thống nhất; else Giải trình
    explanation: str
    evidence: str  # "Minh chứng bổ sung"
    location: Location  # the opinion cell


@dataclass(frozen=True)
class Conclusion:
    """The council's conclusion on an explanation."""

    accepted: bool  # Chấp nhận; else Giữ nguyên
    score: Decimal  # the final score: accepted (default the self-score) or kept
    location: Location


@dataclass(frozen=True)
class Adjustment:
    """A verified score that replaced a self-assessed one, and its history: the unit's
    answer to the notice and the council's conclusion, when there are."""

    unit: str
    key: str
    label: str
    self_score: Decimal | None  # None: the unit marked the criterion not applicable
    verified: Decimal  # the (preliminary) verified score
    reason: str
    location: Location  # the verified score's cell
    answer: Answer | None = None
    conclusion: Conclusion | None = None

    @property
    def open(self) -> bool:
        """Explained by the unit, not yet concluded on by the council."""
        return self.answer is not None and not self.answer.agrees and self.conclusion is None

    @property
    def final(self) -> Decimal:
        """The score published: the conclusion's, else the verified one."""
        return self.conclusion.score if self.conclusion else self.verified


@dataclass(frozen=True)
class Computation:
    """A score worked out from the unit's figures (a criterion's `rule`)."""

    unit: str
    key: str
    label: str
    working: str  # "20 × 45 ÷ 50 = 18"
    score: Decimal | None  # None: 0 ÷ 0 made the criterion not apply
    location: Location  # the first figure's cell


@dataclass
class Validated:
    submissions: list[Submission] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # registered units with no submission
    adjustments: list[Adjustment] = field(default_factory=list)
    computations: list[Computation] = field(default_factory=list)
    misnamed: dict[str, Location] = field(default_factory=dict)  # unit → its form, name typed
    # differently (a confident suggestion): the form arrived, its name cell must be corrected
    evidence: list[evidence.Cited] = field(default_factory=list)  # the register (forms only)
    decided: set[tuple[str, str]] = field(default_factory=set)  # (unit, key) the Sở scored
    unproven: list[evidence.Cited] = field(default_factory=list)  # EVIDENCE_MISSING rows


# Applies the units' answers to the adjustments, before missing evidence is judged:
# (registry, assessment, submissions by unit, the result so far, the verification list's
# conclusions by (unit, key)) — `answers.settler` makes one; validate does not import it.
Settle = Callable[
    [
        UnitRegistry,
        Assessment,
        dict[str, Submission],
        Validated,
        dict[tuple[str, str], RawVerification],
    ],
    None,
]


def validate(
    entries: list[RawEntry],
    assessment: Assessment,
    where: str,
    verifications: list[RawVerification] = (),
    sources: list[SourceTable] = (),
    settle: Settle | None = None,
) -> Validated:
    """Check every entry, add the scores of `sources` tables and apply verifications;
    `where` names the inputs in findings about units with no file. Units `not_assessed` are
    neither expected nor missing."""
    registry = UnitRegistry(assessment)
    result = Validated()
    seen: dict[str, RawValue] = {}  # unit → its name cell (a Location only when needed)
    by_unit: dict[str, Submission] = {}
    unknown: list[tuple[int, RawValue, str, Match]] = []  # (finding index, cell, written, match)
    set_of = {u.name: assessment.criteria_set(g) for g in assessment.groups for u in g.units}
    configured_not_applicable = {
        u.name: u.not_applicable for g in assessment.groups for u in g.units
    }
    for entry in entries:
        unit = _resolve(entry.name, registry, result.findings, unknown)
        if unit is None:
            continue
        if unit in seen:
            result.findings.append(
                finding("UNIT_DUPLICATE", entry.name.location, unit, other=seen[unit].location)
            )
            continue
        seen[unit] = entry.name
        criteria = set_of[unit]
        if entry.criteria_set != criteria.key:
            found = next(s for s in assessment.sets if s.key == entry.criteria_set)
            group = assessment.group_of(unit).name
            labels = ", ".join(c.label for c in found.criteria)
            result.findings.append(
                finding("FORM_WRONG_SET", entry.name.location, unit, found=labels, group=group)
            )
            continue
        _check_form(entry, unit, criteria, assessment.year, result.findings)
        exempt = criteria.skipped(configured_not_applicable[unit])  # the config says so
        own = _own_scores(entry, unit, criteria, exempt, assessment, result)
        if own is None:
            continue
        scores, skipped = own
        if assessment.scoring.evidence is not EvidencePolicy.OFF and entry.evidence is not None:
            result.evidence += _cited(entry, unit, scores, criteria, assessment, result.findings)
        verified = _scores(entry.verified, entry, unit, criteria, assessment, result.findings)
        verified = {k: v for k, v in (verified or {}).items() if k not in exempt}  # config wins
        skipped -= set(verified)  # the council scored what the unit marked not applicable
        submission = Submission(unit, scores, entry.order, not_applicable=frozenset(skipped))
        for key, value in verified.items():
            reason = clean(entry.reasons[key].value) if key in entry.reasons else ""
            submission = adjusted(
                submission,
                criteria,
                key,
                value,
                reason,
                entry.verified[key].location,
                result.adjustments,
            )
            result.decided.add((unit, key))
        by_unit[unit] = submission
    _add_sources(sources, registry, assessment, by_unit, result)
    for unit, submission in by_unit.items():  # what does not apply, with all it covers
        expanded = set_of[unit].skipped(submission.not_applicable)
        by_unit[unit] = replace(submission, not_applicable=expanded)
    concluded: dict[tuple[str, str], RawVerification] = {}  # a list's conclusion column
    for raw in verifications:
        _verify(raw, registry, assessment, by_unit, result, concluded)
    if settle is not None:  # the units' answers to the notices (answers.settler)
        settle(registry, assessment, by_unit, result, concluded)
    result.evidence.sort(key=_register_order(assessment))
    if assessment.scoring.evidence is EvidencePolicy.REQUIRED:
        result.findings += _missing_evidence(result, assessment)
    result.submissions = list(by_unit.values())
    _name_unknowns(unknown, seen, assessment, result)
    if registry.unsuggested:  # before the unknown names: on the first screen, not after them
        limited = finding(
            "UNIT_HINTS_LIMITED",
            Location(where),
            count=len(unknown),
            limit=registry.fuzzy_limit,
            rest=registry.unsuggested,
        )
        result.findings.insert(unknown[0][0], limited)
    for group in assessment.groups:
        for u in group.units:
            if u.name not in seen and u.name not in result.misnamed and not u.not_assessed:
                result.missing.append(u.name)
                result.findings.append(
                    finding("UNIT_MISSING", Location(where), u.name, group=group.name)
                )
    return result


def _own_scores(
    entry: RawEntry,
    unit: str,
    criteria: CriteriaSet,
    exempt: frozenset[str],
    assessment: Assessment,
    result: Validated,
) -> tuple[dict[str, Decimal], set[str]] | None:
    """The unit's own scores and what does not apply to it (`exempt` by the config, marked
    "Không áp dụng", a ratio of 0 ÷ 0): cells read as numbers, rule leaves computed from the
    figures (the score written there compared), stated totals checked; None when any of it
    is wrong (reported)."""
    skipped = set(exempt)
    asked = _rule_leaves(entry, criteria, skipped)
    raws = {
        k: raw
        for k, raw in entry.scores.items()
        if not (k in asked and (_blank(raw) or _own_answer(criteria.by_key[k], raw)))
    }
    scores = _scores(raws, entry, unit, criteria, assessment, result.findings, skipped)
    computed = _computed(entry, unit, criteria, asked, assessment, result)
    if scores is None or computed is None:
        return None
    for key, value in ((k, v) for k, v in computed.items() if k not in skipped):
        _rule_score(entry, unit, criteria.by_key[key], scores, value, skipped, result)
    _check_stated(entry, unit, scores, criteria, assessment, result.findings, skipped)
    return scores, skipped


def _resolve(
    name: RawValue,
    registry: UnitRegistry,
    out: list[Finding],
    unknown: list[tuple[int, RawValue, str, Match]],
) -> str | None:
    """The registered unit a written name means; text typed in a legacy encoding (TCVN3,
    VNI) is read as the text it stands for, with a warning. An unknown name is reported
    (and noted in `unknown`, for `_name_unknowns` to complete once every name is known)."""
    written = clean(name.value)
    match = registry.match(written)
    if match.unit:
        return match.unit
    legacy = detect_legacy(written)
    if legacy:
        encoding, intended = legacy
        out.append(
            finding(
                "LEGACY_ENCODING", name.location, text=written, encoding=encoding, intended=intended
            )
        )
        written, match = intended, registry.match(intended)
        if match.unit:
            return match.unit
    hint = f" Có phải '{match.suggestion}'?" if match.suggestion else ""
    unknown.append((len(out), name, written, match))
    out.append(finding("UNIT_UNKNOWN", name.location, name=written, hint=hint))
    return None


def _name_unknowns(
    unknown: list[tuple[int, RawValue, str, Match]],
    seen: dict[str, RawValue],
    assessment: Assessment,
    result: Validated,
) -> None:
    """An unknown name whose confident suggestion sent no other form is that unit's form with
    its name typed differently: the finding is the unit's, and gives both ways to fix it."""
    for index, cell, written, match in unknown:
        unit = match.suggestion
        if not match.confident or unit is None or unit in seen or unit in result.misnamed:
            continue
        result.misnamed[unit] = cell.location
        where = f"ô {cell.location.cell}" if cell.location.cell else "ô tên đơn vị"
        hint = (
            f" Có phải '{unit}'? Biểu đã đến nhưng chưa được tính cho đến khi sửa {where} "
            f"trong tệp thành '{unit}'"
        )
        if written.isprintable():  # a name with control characters is no alias to keep
            line = alias_line(assessment, unit, written)
            hint += (
                ", hoặc thêm tên đã ghi vào danh sách tên khác của đơn vị trong "
                f"assessment.toml: {line}"
            )
        else:
            hint += "."
        result.findings[index] = finding(
            "UNIT_UNKNOWN", cell.location, unit, name=written, hint=hint
        )


def alias_line(assessment: Assessment, unit: str, written: str) -> str:
    """The line of assessment.toml that registers `written` as another name of `unit`."""
    registered = next(u for g in assessment.groups for u in g.units if u.name == unit)
    aliases = ", ".join(_toml_string(a) for a in (*registered.aliases, written))
    return f"{{ name = {_toml_string(unit)}, aliases = [{aliases}] }},"


def _toml_string(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(text, ensure_ascii=False)


def _scores(
    raws: dict[str, RawValue],
    entry: RawEntry,
    unit: str,
    criteria: CriteriaSet,
    assessment: Assessment,
    out: list[Finding],
    skipped: set[str] | None = None,
) -> dict[str, Decimal] | None:
    """The scores of `raws` (criterion key → cell), or None when any of them is wrong (each
    problem reported). A leaf lies between its `min` and `max`; a top-level criterion read
    from a table that gives no leaves between the sums of its leaves' bounds.

    With `skipped` (the unit's own scores): keys in it are not read (the config says they do
    not apply), and a cell marked "Không áp dụng" adds its key to it — or, for a criterion
    that may not be skipped, is NOT_APPLICABLE_REFUSED."""
    nodes = criteria.by_key
    scores: dict[str, Decimal] = {}
    wanted = 0
    for key, raw in raws.items():
        if skipped is not None and key in skipped:
            continue
        if skipped is not None and assessment.scoring.says_not_applicable(raw.value):
            if criteria.may_skip(key):
                skipped.add(key)
                continue
            out.append(
                finding(
                    "NOT_APPLICABLE_REFUSED",
                    raw.location,
                    unit,
                    criterion=nodes[key].label,
                    value=clean(raw.value),
                )
            )
            wanted += 1
            continue
        wanted += key not in entry.absent
        value = cell_score(raw, nodes[key], key in entry.absent, unit, assessment, out)
        if value is not None:
            scores[key] = value
    return scores if len(scores) == wanted else None


def _blank(raw: RawValue) -> bool:
    """An empty cell with no error in it (a rule leaf's score cell left to reportgen)."""
    return not raw.error and not clean(raw.value)


def _own_answer(c: Criterion, raw: RawValue) -> bool:
    """A yes/no leaf whose own score cell holds the answer (Có/Không), not a number."""
    return (
        c.figure_keys == [c.key]
        and rules.answer(raw.value) is not None
        and not isinstance(raw.value, (int, float))
    )


def _rule_leaves(entry: RawEntry, criteria: CriteriaSet, skipped: set[str]) -> list[str]:
    """The rule leaves the form asks figures for (a row of each figure, or — for a yes/no
    leaf reading its own cell — an answer there); the others keep the score as written."""
    out = []
    for c in criteria.leaves:
        if c.rule is None or c.key in skipped:
            continue
        keys = c.figure_keys
        if keys == [c.key]:
            raw = entry.scores.get(c.key)
            if raw is not None and _own_answer(c, raw):
                out.append(c.key)
        elif any(k in entry.figures for k in keys):
            out.append(c.key)
    return out


def _computed(
    entry: RawEntry,
    unit: str,
    criteria: CriteriaSet,
    asked: list[str],
    assessment: Assessment,
    result: Validated,
) -> dict[str, rules.Computed] | None:
    """The rule leaves' results from the unit's figures (each kept as a `Computation`), or
    None when a figure is missing or wrong (each reported where it was written)."""
    out = result.findings
    values: dict[str, Decimal | bool] = {}
    bad = False
    for key in dict.fromkeys(k for leaf in asked for k in criteria.by_key[leaf].figure_keys):
        raw = entry.scores[key] if key in criteria.by_key else entry.figures.get(key)
        figure = criteria.figure_by_key.get(key)
        label = figure.label if figure else criteria.by_key[key].label
        value = _figure(raw, label, figure is None or figure.yes_no, unit, out)
        if value is None:
            bad = True
        else:
            values[key] = value
    computed = {}
    for leaf in asked:
        c = criteria.by_key[leaf]
        if any(k not in values for k in c.figure_keys):
            continue
        if isinstance(c.rule, RatioRule):
            a, b = (values[k] for k in c.rule.inputs)
            if a > b:
                label_a, label_b = (criteria.figure_by_key[k].label for k in c.rule.inputs)
                raw = entry.figures[c.rule.inputs[0]]
                out.append(
                    finding(
                        "FIGURE_ABOVE_TOTAL",
                        raw.location,
                        unit,
                        figure=label_a,
                        value=shown(a),
                        total=label_b,
                        total_value=shown(b),
                        criterion=c.label,
                    )
                )
                bad = True
                continue
        computed[leaf] = rules.compute(c, values, assessment.scoring.decimals)
        first = c.figure_keys[0]
        cell = entry.scores[first] if first in criteria.by_key else entry.figures[first]
        result.computations.append(
            Computation(
                unit, leaf, c.label, computed[leaf].working, computed[leaf].score, cell.location
            )
        )
    return None if bad else computed


def _figure(
    raw: RawValue | None, label: str, yes_no: bool, unit: str, out: list[Finding]
) -> Decimal | bool | None:
    """One figure: a number ≥ 0, or an answer Có/Không; None when wrong (reported)."""
    if raw is None or _blank(raw):
        if raw is not None:
            out.append(finding("FIGURE_MISSING", raw.location, unit, figure=label))
        return None
    if yes_no:
        yes = rules.answer(raw.value)
        if yes is None:
            why = "cần ghi Có hoặc Không"
            out.append(
                finding(
                    "FIGURE_INVALID",
                    raw.location,
                    unit,
                    figure=label,
                    value=clean(raw.value),
                    why=why,
                )
            )
        return yes
    why = ""
    try:
        value = parse(raw.value)
    except NotANumber:
        value, why = None, "không phải là số"
    if value is not None and value < 0:
        why = "là số âm"
    if why or raw.error:
        shown_value = raw.error or clean(raw.value)
        out.append(
            finding(
                "FIGURE_INVALID",
                raw.location,
                unit,
                figure=label,
                value=shown_value,
                why=why or "là lỗi của bảng tính",
            )
        )
        return None
    return value


def _rule_score(
    entry: RawEntry,
    unit: str,
    c: Criterion,
    scores: dict[str, Decimal],
    computed: rules.Computed,
    skipped: set[str],
    result: Validated,
) -> None:
    """The computed score replaces what the unit wrote (SCORE_RULE_MISMATCH when they
    differ); a ratio of 0 ÷ 0 that does not apply takes the leaf out."""
    stated = scores.pop(c.key, None)
    if computed.score is None:
        skipped.add(c.key)
        return
    scores[c.key] = computed.score
    if stated is not None and stated != computed.score:
        result.findings.append(
            finding(
                "SCORE_RULE_MISMATCH",
                entry.scores[c.key].location,
                unit,
                criterion=c.label,
                stated=shown(stated),
                computed=shown(computed.score),
                working=computed.working,
            )
        )


def cell_score(
    raw: RawValue,
    c: Criterion,
    absent: bool,
    unit: str,
    assessment: Assessment,
    out: list[Finding],
) -> Decimal | None:
    """One cell as a score within the criterion's bounds, or None (reported)."""
    decimals = assessment.scoring.decimals
    if raw.error:
        out.append(
            finding("SCORE_ERROR_CELL", raw.location, unit, criterion=c.label, error=raw.error)
        )
        return None
    try:
        value = parse(raw.value)
    except NotANumber as exc:
        out.append(
            finding(
                "SCORE_NOT_NUMBER",
                raw.location,
                unit,
                criterion=c.label,
                value=str(exc),
                note=exc.note,
            )
        )
        return None
    if value is None and absent:
        return None  # no row for the criterion at all: FORM_CRITERIA_DIFFER says so
    if value is None:
        code = "FORMULA_NO_VALUE" if raw.formula else "SCORE_MISSING"
        out.append(finding(code, raw.location, unit, criterion=c.label))
        return None
    if c.floor <= value <= c.ceiling and places(value) <= decimals:
        return value
    if value < c.floor and c.floor == 0:
        out.append(
            finding("SCORE_NEGATIVE", raw.location, unit, criterion=c.label, value=shown(value))
        )
    elif value < c.floor:
        out.append(
            finding(
                "SCORE_BELOW_MIN",
                raw.location,
                unit,
                criterion=c.label,
                value=shown(value),
                min=format_number(c.floor, decimals),
            )
        )
    elif value > c.ceiling:
        out.append(
            finding(
                "SCORE_ABOVE_MAX",
                raw.location,
                unit,
                criterion=c.label,
                value=shown(value),
                max=format_number(c.ceiling, decimals),
            )
        )
    else:
        out.append(
            finding(
                "SCORE_TOO_PRECISE",
                raw.location,
                unit,
                criterion=c.label,
                value=shown(value),
                decimals=decimals,
            )
        )
    return None


def adjusted(
    submission: Submission,
    criteria: CriteriaSet,
    key: str,
    value: Decimal,
    reason: str,
    location: Location,
    out: list[Adjustment],
) -> Submission:
    """The submission with the verified `value` for `key`; a change is kept in `out`. A
    criterion the unit marked not applicable and the council scored counts 0 in the unit's
    own total (its self-score in the change: None)."""
    own = dict(submission.self_scores or submission.scores)
    before = submission.scores.get(key)
    if value != before:
        label = next(c.label for _, c in criteria.nodes if c.key == key)
        out.append(Adjustment(submission.unit, key, label, own.get(key), value, reason, location))
    own.setdefault(key, Decimal(0))
    return replace(submission, scores={**submission.scores, key: value}, self_scores=own)


def _add_sources(
    tables: list[SourceTable],
    registry: UnitRegistry,
    assessment: Assessment,
    by_unit: dict[str, Submission],
    result: Validated,
) -> None:
    """Add to each submission the scores of its criteria with a `source`, from the row of
    the source's table naming the unit; a source with no table (optional, not run) does not
    apply. A unit without its row (or score) loses its submission: SOURCE_SCORE_MISSING."""
    out = result.findings
    rows: dict[str, dict[str, RawEntry]] = {}  # source → unit → its row
    for table in tables:
        out.extend(table.findings)
        mine = rows.setdefault(table.name, {})
        for entry in table.entries:
            written = clean(entry.name.value)
            match = registry.match(written)
            if match.unit is None:
                hint = f" Có phải '{match.suggestion}'?" if match.suggestion else ""
                where = f"Bảng điểm {table.file}"
                out.append(
                    finding(
                        "VERIFY_UNIT_UNKNOWN",
                        entry.name.location,
                        name=written,
                        hint=hint,
                        list=where,
                    )
                )
            elif match.unit in mine:
                other = mine[match.unit].name.location
                out.append(finding("UNIT_DUPLICATE", entry.name.location, match.unit, other=other))
            else:
                mine[match.unit] = entry
    by_name = {t.name: t for t in tables}
    for unit, submission in list(by_unit.items()):
        criteria = assessment.set_of(unit)
        sourced = [c for c in criteria.leaves if c.source]
        if not sourced:
            continue
        top_of = {n.key: top.key for top in criteria.criteria for _, n in top.walk()}
        skipped = set(submission.not_applicable)
        covered = criteria.skipped(skipped)
        scores, ok, told = dict(submission.scores), True, set()
        for c in sourced:
            table = by_name.get(c.source)
            if c.key in covered or top_of[c.key] in scores:
                continue  # does not apply, or a table gave its area's score already
            if table is None:
                skipped.add(c.key)
                continue
            row = rows.get(c.source, {}).get(unit)
            raw = row.scores.get(c.key) if row else None
            if raw is None or _blank(raw):
                where = raw.location if raw else table.location
                if (c.source, row is None) not in told:
                    what = f"điểm tiêu chí '{c.label}'" if row else "dòng"
                    out.append(
                        finding("SOURCE_SCORE_MISSING", where, unit, what=what, source=table.file)
                    )
                told.add((c.source, row is None))
                ok = False
                continue
            value = cell_score(raw, c, False, unit, assessment, out)
            if value is None:
                ok = False
            else:
                scores[c.key] = value
        if not ok:
            del by_unit[unit]
            continue
        own = submission.self_scores
        added = {k: v for k, v in scores.items() if k not in submission.scores}
        by_unit[unit] = replace(
            submission,
            scores=scores,
            self_scores={**own, **added} if own else None,
            not_applicable=frozenset(skipped),
        )


def _verify(
    raw: RawVerification,
    registry: UnitRegistry,
    assessment: Assessment,
    by_unit: dict[str, Submission],
    result: Validated,
    concluded: dict[tuple[str, str], RawVerification],
) -> None:
    """Apply one row of the Sở's verification list, or say why it cannot be applied."""
    out = result.findings
    written = clean(raw.unit.value)
    match = registry.match(written)
    if match.unit is None or match.unit not in by_unit:
        hint = f" Có phải '{match.suggestion}'?" if match.unit is None and match.suggestion else ""
        where = "Danh sách thẩm định"
        out.append(
            finding("VERIFY_UNIT_UNKNOWN", raw.unit.location, name=written, hint=hint, list=where)
        )
        return
    unit = match.unit
    submission = by_unit[unit]
    criteria = assessment.set_of(unit)
    item = clean(raw.item.value)
    node = scored_node(criteria, submission, item)
    if node is None:
        group = assessment.group_of(unit).name
        labels = [c.label for _, c in criteria.nodes if c.key in submission.scores]
        hint = _closest(item, labels)
        hint = f" Có phải '{hint}'?" if hint else ""
        out.append(
            finding(
                "VERIFY_ITEM_UNKNOWN", raw.item.location, unit, item=item, group=group, hint=hint
            )
        )
        return
    value = cell_score(raw.score, node, False, unit, assessment, out)
    if value is not None:
        result.decided.add((unit, node.key))
        if raw.conclusion is not None and clean(raw.conclusion.value):
            concluded[(unit, node.key)] = raw
        by_unit[unit] = adjusted(
            submission,
            criteria,
            node.key,
            value,
            clean(raw.reason.value),
            raw.score.location,
            result.adjustments,
        )


def _cited(
    entry: RawEntry,
    unit: str,
    scores: dict[str, Decimal],
    criteria: CriteriaSet,
    assessment: Assessment,
    out: list[Finding],
) -> list[evidence.Cited]:
    """The evidence of every scored leaf of a form; a reference dated outside the assessed
    period is EVIDENCE_OUT_OF_PERIOD (a warning naming the date as written)."""
    start, end = assessment.period
    cells = entry.evidence or {}
    cited = []
    for key in scores:
        node = criteria.by_key[key]
        if node.items:
            continue
        raw = cells.get(key)  # none: the form has no evidence column
        refs = tuple(evidence.references(raw.value)) if raw is not None else ()
        explanation = clean(entry.explanations[key].value) if key in entry.explanations else ""
        for ref in refs:
            if ref.date is not None and not start <= ref.date <= end:
                out.append(
                    finding(
                        "EVIDENCE_OUT_OF_PERIOD",
                        raw.location,
                        unit,
                        criterion=node.label,
                        date=ref.written_date,
                        start=short_date(start),
                        end=short_date(end),
                    )
                )
        location = (raw or entry.scores[key]).location
        cited.append(
            evidence.Cited(unit, key, node.label, scores[key], refs, explanation, location)
        )
    return cited


def _register_order(assessment: Assessment):
    """The evidence register's order: indicator by indicator (sets in config order, leaves in
    tree order), the units of each in config order — one indicator across units together."""
    sets = {s.key: i for i, s in enumerate(assessment.sets)}
    leaves = {(s.key, c.key): i for s in assessment.sets for i, c in enumerate(s.leaves)}
    units = {u.name: i for i, u in enumerate(u for g in assessment.groups for u in g.units)}

    def key(c: evidence.Cited) -> tuple[int, int, int]:
        criteria = assessment.set_of(c.unit).key
        return sets[criteria], leaves[(criteria, c.key)], units[c.unit]

    return key


def _missing_evidence(result: Validated, assessment: Assessment) -> list[Finding]:
    """EVIDENCE_MISSING for every cited leaf scored above zero (and above its minimum) with
    neither evidence nor an explanation, unless the Sở has scored it (a verified score)."""
    out = []
    for c in result.evidence:
        node = assessment.set_of(c.unit).by_key[c.key]
        if c.given or c.score <= max(node.min, 0) or (c.unit, c.key) in result.decided:
            continue
        decimals = assessment.scoring.decimals
        result.unproven.append(c)
        out.append(
            finding(
                "EVIDENCE_MISSING",
                c.location,
                c.unit,
                criterion=c.label,
                value=format_number(c.score, decimals),
            )
        )
    return out


def scored_node(criteria: CriteriaSet, submission: Submission, item: str) -> Criterion | None:
    """The node of `criteria` that `item` names (key, label or alias) among the scores the
    unit sent."""
    return next(
        (
            c
            for _, c in criteria.nodes
            if c.key in submission.scores
            and (c.key == item or label_key(item) in {label_key(t) for t in (c.label, *c.aliases)})
        ),
        None,
    )


def _closest(written: str, labels: list[str]) -> str | None:
    """The label a misspelt indicator most likely means, if any."""
    return closest(written, labels, label_key)


def _check_form(
    entry: RawEntry, unit: str, criteria: CriteriaSet, year: int, out: list[Finding]
) -> None:
    """A score sheet of another year (its year cell), or whose criterion rows are not this
    year's (rows naming no criterion, criteria with no row)."""
    stated = re.search(r"\b(19|20)\d\d\b", clean(entry.year.value)) if entry.year else None
    if entry.year and stated and int(stated.group()) != year:
        out.append(
            finding(
                "FORM_WRONG_YEAR",
                entry.year.location,
                unit,
                stated=stated.group(),
                year=year,
                cell=entry.year.location.cell,
            )
        )
    absent = [c.label for _, c in criteria.nodes if c.key in entry.absent]
    if not entry.foreign_rows and not absent:
        return
    parts = [
        f"dòng {raw.location.row} '{clean(raw.value)}' không phải tiêu chí năm nay"
        for raw in entry.foreign_rows
    ] + [f"thiếu dòng tiêu chí '{label}'" for label in absent]
    where = entry.foreign_rows[0].location if entry.foreign_rows else entry.name.location
    if not entry.foreign_rows:  # the sheet, not the name cell
        where = Location(where.file, where.sheet)
    out.append(finding("FORM_CRITERIA_DIFFER", where, unit, year=year, rows="; ".join(parts)))


def _check_stated(
    entry: RawEntry,
    unit: str,
    scores: dict[str, Decimal],
    criteria: CriteriaSet,
    assessment: Assessment,
    out: list[Finding],
    skipped: set[str] = frozenset(),
) -> None:
    """Compare a stated total and grade with the computed ones (warnings: ours are used).
    The stated total is the sum of what the unit scored (before any rescaling)."""
    decimals = assessment.scoring.decimals
    total = total_of(scores.values())
    rolled = roll_up(criteria.criteria, scores, criteria.skipped(skipped))
    for key, raw in entry.subtotals.items():
        stated = parse_or_none(raw.value)
        if key in rolled and total_differs(stated, rolled[key]):
            label = next(c.label for _, c in criteria.nodes if c.key == key)
            out.append(
                finding(
                    "SUBTOTAL_MISMATCH",
                    raw.location,
                    unit,
                    criterion=label,
                    stated=shown(stated),
                    computed=format_number(rolled[key], decimals),
                )
            )
    if entry.total is not None:
        stated = parse_or_none(entry.total.value)
        if total_differs(stated, total):
            out.append(
                finding(
                    "TOTAL_MISMATCH",
                    entry.total.location,
                    unit,
                    stated=shown(stated),
                    computed=format_number(total, decimals),
                )
            )
    if entry.grade is not None and clean(entry.grade.value) and not skipped:
        computed = grade_for(total, criteria.grades, criteria.max_total)
        if grade_differs(entry.grade.value, computed):
            out.append(
                finding(
                    "GRADE_MISMATCH",
                    entry.grade.location,
                    unit,
                    stated=clean(entry.grade.value),
                    computed=computed,
                    total=format_number(total, decimals),
                )
            )
