"""Judging raw entries: unit names through the registry, scores into exact `Decimal`s
within their bounds, one submission per unit. Every problem becomes a finding."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal

from reportgen.config import Assessment
from reportgen.findings import Finding, Location, finding
from reportgen.ingest import RawEntry, RawValue
from reportgen.legacy_text import detect_legacy
from reportgen.numbers import NotANumber, format_number, parse, parse_or_none, places, shown
from reportgen.rank import Submission, grade_for, total_of
from reportgen.registry import Match, UnitRegistry
from reportgen.text import clean, fold


@dataclass
class Validated:
    submissions: list[Submission] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # registered units with no submission
    misnamed: dict[str, Location] = field(default_factory=dict)  # unit → its form, name typed
    # differently (a confident suggestion): the form arrived, its name cell must be corrected


def validate(entries: list[RawEntry], assessment: Assessment, where: str) -> Validated:
    """Check every entry; `where` names the inputs in findings about units with no file."""
    registry = UnitRegistry(assessment)
    result = Validated()
    seen: dict[str, Location] = {}
    unknown: list[tuple[int, RawValue, str, Match]] = []  # (finding index, cell, written, match)
    for entry in entries:
        unit = _resolve(entry.name, registry, result.findings, unknown)
        if unit is None:
            continue
        if unit in seen:
            result.findings.append(
                finding("UNIT_DUPLICATE", entry.name.location, unit, other=seen[unit])
            )
            continue
        seen[unit] = entry.name.location
        _check_form(entry, unit, assessment, result.findings)
        scores = _scores(entry, unit, assessment, result.findings)
        if scores is not None:
            result.submissions.append(Submission(unit, scores, entry.order))
            _check_stated(entry, unit, scores, assessment, result.findings)
    _name_unknowns(unknown, seen, assessment, result)
    for group in assessment.groups:
        for u in group.units:
            if u.name not in seen and u.name not in result.misnamed:
                result.missing.append(u.name)
                result.findings.append(
                    finding("UNIT_MISSING", Location(where), u.name, group=group.name)
                )
    return result


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
    seen: dict[str, Location],
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
    entry: RawEntry, unit: str, assessment: Assessment, out: list[Finding]
) -> dict[str, Decimal] | None:
    """The entry's scores, or None when any of them is wrong (each problem reported)."""
    decimals = assessment.scoring.decimals
    scores: dict[str, Decimal] = {}
    for c in assessment.criteria:
        raw = entry.scores[c.key]
        if raw.error:
            out.append(
                finding("SCORE_ERROR_CELL", raw.location, unit, criterion=c.label, error=raw.error)
            )
            continue
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
            continue
        if value is None and c.key in entry.absent:
            continue  # no row for the criterion at all: FORM_CRITERIA_DIFFER says so
        if value is None:
            code = "FORMULA_NO_VALUE" if raw.formula else "SCORE_MISSING"
            out.append(finding(code, raw.location, unit, criterion=c.label))
            continue
        if 0 <= value <= c.max and places(value) <= decimals:
            scores[c.key] = value
            continue
        if value < 0:
            out.append(
                finding("SCORE_NEGATIVE", raw.location, unit, criterion=c.label, value=shown(value))
            )
        elif value > c.max:
            out.append(
                finding(
                    "SCORE_ABOVE_MAX",
                    raw.location,
                    unit,
                    criterion=c.label,
                    value=shown(value),
                    max=format_number(c.max, decimals),
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
    return scores if len(scores) == len(assessment.criteria) else None


def _check_form(entry: RawEntry, unit: str, assessment: Assessment, out: list[Finding]) -> None:
    """A score sheet of another year (its year cell), or whose criterion rows are not this
    year's (rows naming no criterion, criteria with no row)."""
    year = re.search(r"\b(19|20)\d\d\b", clean(entry.year.value)) if entry.year else None
    if entry.year and year and int(year.group()) != assessment.year:
        out.append(
            finding(
                "FORM_WRONG_YEAR",
                entry.year.location,
                unit,
                stated=year.group(),
                year=assessment.year,
                cell=entry.year.location.cell,
            )
        )
    absent = [c.label for c in assessment.criteria if c.key in entry.absent]
    if not entry.foreign_rows and not absent:
        return
    parts = [
        f"dòng {raw.location.row} '{clean(raw.value)}' không phải tiêu chí năm nay"
        for raw in entry.foreign_rows
    ] + [f"thiếu dòng tiêu chí '{label}'" for label in absent]
    where = entry.foreign_rows[0].location if entry.foreign_rows else entry.name.location
    if not entry.foreign_rows:  # the sheet, not the name cell
        where = Location(where.file, where.sheet)
    out.append(
        finding("FORM_CRITERIA_DIFFER", where, unit, year=assessment.year, rows="; ".join(parts))
    )


def _check_stated(
    entry: RawEntry,
    unit: str,
    scores: dict[str, Decimal],
    assessment: Assessment,
    out: list[Finding],
) -> None:
    """Compare a stated total and grade with the computed ones (warnings: ours are used)."""
    decimals = assessment.scoring.decimals
    total = total_of(scores.values())
    if entry.total is not None:
        stated = parse_or_none(entry.total.value)
        if stated is not None and stated != total:
            out.append(
                finding(
                    "TOTAL_MISMATCH",
                    entry.total.location,
                    unit,
                    stated=shown(stated),
                    computed=format_number(total, decimals),
                )
            )
    if entry.grade is not None and clean(entry.grade.value):
        computed = grade_for(total, assessment.grades)
        if fold(entry.grade.value) != fold(computed):
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
