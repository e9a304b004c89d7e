"""The catalogue owns every message (issue 18, item 3): each code's words are real words with
named fields, and every call that makes a finding passes exactly the parameters its message
asks for — read from the source, so a call no test runs is checked too."""

from __future__ import annotations

import ast
import string

import pytest

from reportgen.core.catalogue import CATALOG, FindingType, finding, message
from reportgen.core.location import Location
from reportgen.safety import verdict
from tests.conftest import ROOT


def fields(text: str) -> set[str]:
    """The named fields of a `str.format` template ("{name!r}" → "name")."""
    names = set()
    for _, name, _, _ in string.Formatter().parse(text):
        if name is not None:
            assert name.isidentifier(), f"{text!r}: field {name!r} is not a plain name"
            names.add(name)
    return names


def asked(kind: FindingType, case: str | None) -> set[str]:
    """The parameters a message of `kind` (and `case`) is filled from."""
    names = fields(kind.template) - {"case", "unit"}
    if kind.cases:
        assert case is not None, f"{kind.code} is said by case: a call must name the case"
        names |= fields(kind.cases[case]) - {"case"}
    return names


def all_asked(kind: FindingType) -> set[str]:
    """What some case of `kind` asks for: all a call with a case chosen at run time may pass."""
    return set().union(
        asked(kind, None) if not kind.cases else set(), *(asked(kind, case) for case in kind.cases)
    )


@pytest.mark.parametrize("code", sorted(CATALOG))
def test_every_message_is_words_with_named_fields(code):
    kind = CATALOG[code]
    texts = [kind.template, *kind.cases.values()]
    for text in texts:
        fields(text)  # plain names only, no "{}" or "{0}"
    if kind.cases:
        assert "case" in fields(kind.template), f"{code}: the template has no {{case}}"
        assert "case" not in set().union(*(fields(c) for c in kind.cases.values()))
    words = string.Formatter()
    bare = "".join(literal for literal, *_ in words.parse(kind.template)).strip(" .:")
    if not kind.cases or fields(kind.template) - {"case"}:
        assert bare, f"{code}: the message is a bare field, its words built by the caller"
    for case in kind.cases:  # each filled, the words of that case in the message
        params = {name: f"<{name}>" for name in asked(kind, case)}
        said = kind.words(case=case, **params)
        assert kind.clause(case, **params) in said


# Calls that make a catalogued message: the function → (where its code is: the index of the
# argument, or the code itself; the index of its `case` argument, or None; the parameters it
# adds itself; whether it fills only the case's words)
MAKERS = {
    "finding": (0, None, set(), False),
    "message": (0, None, set(), False),
    "refused": (1, None, {"name"}, False),  # safety/verdict.py
    "corrupt": ("FILE_CORRUPT", 1, {"name"}, False),  # safety/verdict.py
    "bomb": ("FILE_ZIP_BOMB", 1, {"name"}, False),  # safety/verdict.py
    "_CfbError": ("FILE_CORRUPT", 0, {"name"}, False),  # safety/cfb.py
    "_invalid": ("ANSWER_INVALID", 1, set(), False),  # judge/answers.py
    "_unreadable": ("FILE_UNREADABLE", 1, {"name"}, False),  # read/published.py
    "UnreadableTemplate": ("TEMPLATE_UNREADABLE", 0, {"name"}, False),  # render/templatecheck.py
    "UnsafeOperation": ("TEMPLATE_UNSAFE", 0, set(), True),  # render/sandbox.py
    "unsafe_use": ("TEMPLATE_UNSAFE", 0, {"name"}, False),  # render/sandbox.py
}


def constant(node: ast.expr | None) -> str | None:
    """A string the call names: a literal, or a module constant spelled as its value
    (`FILE_CORRUPT = "FILE_CORRUPT"`)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name) and node.id in CATALOG:
        return node.id
    return None


def calls() -> list[tuple[str, ast.Call, str]]:
    """Every call of a maker in reportgen/, with its code: (where, call, code)."""
    found = []
    for path in sorted((ROOT / "reportgen").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name not in MAKERS:
                continue
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            code_at = MAKERS[name][0]
            if isinstance(code_at, str):
                code = code_at
            else:
                arg = node.args[code_at] if len(node.args) > code_at else None
                code = constant(arg)
                if code is None:
                    continue  # a code passed through (a wrapper's own body): its callers are read
            found.append((where, node, code))
    return found


def disagreement(call: ast.Call, code: str) -> str | None:
    """How the call's parameters differ from what its message asks for, or None."""
    func = call.func
    name = func.id if isinstance(func, ast.Name) else func.attr
    _, case_at, adds, clause_only = MAKERS[name]
    kind = CATALOG[code]
    given = {k.arg for k in call.keywords if k.arg is not None} - {"unit"}
    spread = any(k.arg is None for k in call.keywords)  # **params: only what is named is read
    case = None
    if case_at is not None:
        case = constant(call.args[case_at]) if len(call.args) > case_at else None
    elif "case" in given:
        case = constant(next(k.value for k in call.keywords if k.arg == "case"))
        given.discard("case")
    given |= adds
    if kind.cases and case is None:  # chosen at run time: whatever some case asks for
        frame = fields(kind.template) - {"case", "unit"}
        extra = given - all_asked(kind)
        short = set() if spread else frame - given
        return f"unknown {sorted(extra)}, missing {sorted(short)}" if extra or short else None
    if kind.cases and case not in kind.cases:
        return f"no case {case!r}"
    wanted = fields(kind.cases[case]) - {"case"} if clause_only else asked(kind, case)
    extra, short = given - wanted, set() if spread else wanted - given
    return f"unknown {sorted(extra)}, missing {sorted(short)}" if extra or short else None


def test_every_caller_passes_what_its_message_asks_for():
    found = calls()
    assert len(found) > 100  # the walk sees the callers (a renamed maker would hide them)
    wrong = {f"{where} {code}": d for where, call, code in found if (d := disagreement(call, code))}
    assert not wrong, wrong


def test_every_case_is_made_somewhere():
    """A case no call names is words no clerk reads (or a call that lost its case)."""
    named = set()
    for _, call, code in calls():
        func = call.func
        case_at = MAKERS[func.id if isinstance(func, ast.Name) else func.attr][1]
        case = None
        if case_at is not None and len(call.args) > case_at:
            case = constant(call.args[case_at])
        for keyword in call.keywords:
            if keyword.arg == "case":
                case = constant(keyword.value)
        named.add((code, case))
    chosen_at_run_time = {("TEMPLATE_TOO_COSTLY", c) for c in CATALOG["TEMPLATE_TOO_COSTLY"].cases}
    chosen_at_run_time |= {("FILE_NOT_SPREADSHEET", case) for _, case in verdict._WHAT.values()}
    unmade = {
        (code, case)
        for code, kind in CATALOG.items()
        for case in kind.cases
        if (code, case) not in named | chosen_at_run_time
    }
    assert not unmade, unmade


def test_the_check_catches_a_caller_that_disagrees():
    """The walk's judgement itself: a missing, an extra and a misnamed parameter are caught."""

    def judge(source: str) -> str | None:
        call = ast.parse(source).body[0].value
        return disagreement(call, constant(call.args[0]))

    assert judge("finding('FILE_EMPTY', here, name=n)") is None
    assert "missing ['name']" in judge("finding('FILE_EMPTY', here)")
    assert "unknown ['size']" in judge("finding('FILE_EMPTY', here, name=n, size=s)")
    assert "missing ['limit']" in judge("finding('TEMPLATE_TOO_COSTLY', here, name=n, case='time')")
    assert "no case" in judge("finding('TEMPLATE_UNSAFE', here, name=n, case='nope')")


def test_a_finding_keeps_its_parameters_and_the_words_are_the_catalogues():
    made = finding(
        "TEMPLATE_TOO_COSTLY", Location("mau.docx"), name="mau.docx", case="time", limit=7
    )
    assert made.params == {"name": "mau.docx", "case": "time", "limit": 7}
    assert made.message == message("TEMPLATE_TOO_COSTLY", **made.params)
    assert "mau.docx" in made.message and "quá 7 giây" in made.message


def test_the_template_words_a_clerk_reads_name_the_file():
    """Each reworded code names the file its finding is about (a message is forwarded without
    its location) and says what to do ("hãy ...")."""
    for code in (
        "TEMPLATE_UNREADABLE",
        "TEMPLATE_SYNTAX",
        "TEMPLATE_UNSAFE",
        "TEMPLATE_TOO_COSTLY",
        "FILE_UNREADABLE",
        "FILE_NOT_SPREADSHEET",
        "FILE_CORRUPT",
        "FILE_ZIP_BOMB",
    ):
        kind = CATALOG[code]
        for case in kind.cases:
            params = {name: f"<{name}>" for name in asked(kind, case)}
            said = kind.words(case=case, **params)
            assert "'<name>'" in said and "hãy" in said.lower(), (code, case, said)


def test_reading_a_path_that_is_no_file_says_so_in_words(tmp_path):
    from reportgen.read.workbook import read_sheets

    folder = tmp_path / "Sở Y tế.xlsx"
    folder.mkdir()
    _, (problem,) = read_sheets(folder, "Sở Y tế.xlsx")
    assert problem.code == "FILE_UNREADABLE" and problem.params["case"] == "os"
    assert problem.message.startswith("Không đọc được tệp 'Sở Y tế.xlsx' (")
