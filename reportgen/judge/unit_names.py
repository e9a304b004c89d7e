"""The unit a form's name cell means: a name resolved through the registry (text typed in a
legacy encoding read as what it stands for), an unknown name reported with a suggestion, and
a confidently suggested unit's form with its name typed differently counted as misnamed."""

from __future__ import annotations

import json

from reportgen.config import Assessment
from reportgen.core.catalogue import finding
from reportgen.core.findings import Finding
from reportgen.core.legacy_text import detect_legacy
from reportgen.core.location import Location
from reportgen.core.text import clean
from reportgen.judge.registry import Match, UnitRegistry
from reportgen.read.raw import RawValue


def resolve(
    name: RawValue,
    registry: UnitRegistry,
    out: list[Finding],
    unknown: list[tuple[int, RawValue, str, Match]],
) -> str | None:
    """The registered unit a written name means; text typed in a legacy encoding (TCVN3,
    VNI) is read as the text it stands for, with a warning. An unknown name is reported
    (and noted in `unknown`, for `name_unknowns` to complete once every name is known)."""
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
    unknown.append((len(out), name, written, match))
    if match.suggestion:
        made = finding(
            "UNIT_UNKNOWN",
            name.location,
            name=written,
            case="suggested",
            suggestion=match.suggestion,
        )
    else:
        made = finding("UNIT_UNKNOWN", name.location, name=written, case="plain")
    out.append(made)
    return None


def name_unknowns(
    unknown: list[tuple[int, RawValue, str, Match]],
    seen: dict[str, RawValue],
    assessment: Assessment,
    misnamed: dict[str, Location],
    out: list[Finding],
) -> None:
    """An unknown name whose confident suggestion sent no other form is that unit's form with
    its name typed differently (noted in `misnamed`): its finding in `out` becomes the unit's,
    and gives both ways to fix it."""
    for index, cell, written, match in unknown:
        unit = match.suggestion
        if not match.confident or unit is None or unit in seen or unit in misnamed:
            continue
        misnamed[unit] = cell.location
        where = f"ô {cell.location.cell}" if cell.location.cell else "ô tên đơn vị"
        said = dict(name=written, suggestion=unit, cell=where)
        if written.isprintable():  # a name with control characters is no alias to keep
            line = alias_line(assessment, unit, written)
            out[index] = finding(
                "UNIT_UNKNOWN", cell.location, unit, case="misnamed", line=line, **said
            )
        else:
            out[index] = finding(
                "UNIT_UNKNOWN", cell.location, unit, case="misnamed_unprintable", **said
            )


def alias_line(assessment: Assessment, unit: str, written: str) -> str:
    """The line of assessment.toml that registers `written` as another name of `unit`."""
    registered = next(u for g in assessment.groups for u in g.units if u.name == unit)
    aliases = ", ".join(_toml_string(a) for a in (*registered.aliases, written))
    return f"{{ name = {_toml_string(unit)}, aliases = [{aliases}] }},"


def _toml_string(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(text, ensure_ascii=False)
