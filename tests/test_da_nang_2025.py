"""The synthetic 2025 sample (issue 11): three groups, three criteria sets, both routes of
verified scores, a penalty, units not assessed or not ranked — built from its committed
inputs with no code specific to it."""

from __future__ import annotations

import csv
import importlib.util
import json
import math
import re
from decimal import Decimal
from fractions import Fraction

import docx
import jsonschema
import openpyxl
import pytest

from reportgen.pipeline import build as api
from tests.conftest import ROOT

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

SAMPLE = ROOT / "samples" / "da-nang-2025"
F = Fraction


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("da-nang")
    result = api.build(SAMPLE, out=out)
    assert result.ok, [str(f) for f in result.blocking]
    return result, out


def test_it_builds_with_one_warning_the_evidence_out_of_period(built):
    result, _ = built
    (only,) = result.checked.findings
    assert (only.code, only.unit, only.location.cell) == (
        "EVIDENCE_OUT_OF_PERIOD",
        "Sở Tư pháp",
        "E9",
    )
    assert "15/11/2024" in only.message
    assert [len(g.rows) for g in result.results] == [17, 8, 93]


def test_the_three_annex_tables_are_in_the_decision(built):
    _, out = built
    document = docx.Document(str(out / "quyet-dinh.docx"))
    texts = [p.text for p in document.paragraphs]
    assert any("01/QĐ-UBND (DỮ LIỆU MẪU, KHÔNG PHẢI VĂN BẢN BAN HÀNH)" in t for t in texts)
    for heading in ("1. Kết quả", "2. Kết quả", "3. Kết quả"):
        assert any(t.startswith(heading) and "giả lập" in t for t in texts)
    so, tw, xa = document.tables[-3:]
    head = [c.text for c in so.rows[0].cells]
    assert head[:3] == ["STT", "Xếp hạng", "Tên cơ quan, đơn vị"]
    assert head[-4:] == ["Tổng điểm tự đánh giá", "Tổng điểm", "Chỉ số", "Xếp loại"]
    assert "Xếp loại" not in [c.text for c in tw.rows[0].cells]  # central agencies: no grades
    assert "Chỉ số" not in [c.text for c in tw.rows[0].cells]
    assert "Tổng điểm tự đánh giá" not in [c.text for c in tw.rows[0].cells]  # none verified
    assert len(xa.rows) == 1 + 93
    assert [c.text for c in so.rows[1].cells][:2] == ["1", "01"]  # zero-padded ranks
    unranked = [r for r in so.rows if r.cells[2].text == "Đài Phát thanh - Truyền hình"]
    assert unranked[0].cells[1].text == "–"
    assert any("Sở Dân tộc và Tôn giáo (mới thành lập" in t for t in texts)
    assert any("Đặc khu Hoàng Sa (chưa tổ chức bộ máy" in t for t in texts)
    penalised = next(r for r in so.rows if r.cells[2].text == "Sở Xây dựng")
    assert [c.text for c in penalised.cells][9] == "-20"  # Điểm thưởng, điểm trừ


def test_the_workbook_has_detail_sheets_and_the_adjustments(built):
    _, out = built
    book = openpyxl.load_workbook(out / "phu-luc.xlsx")
    assert book.sheetnames[3].startswith("Chi tiết - Sở, ngành")
    assert book.sheetnames[-2:] == ["Điều chỉnh thẩm định", "Biểu đồ"]
    rows = [r for r in book["Điều chỉnh thẩm định"].iter_rows(min_row=5, values_only=True)]
    units = [r[1] for r in rows if r[1]]
    # three departments' forms (Sở Công Thương's other change equals its own score), the
    # communes of tham-dinh.xlsx and the two indicators it scores 0 for missing evidence, and
    # Phường An Hải's missing evidence answered in the notice round
    assert units == [
        "Sở Công Thương",
        "Sở Y tế",
        "Thanh tra thành phố",
        "Phường Hải Châu",
        "Xã Hòa Vang",
        "Sở Nội vụ",
        "Xã Bà Nà",
        "Xã Trà Linh",
        "Phường Hội An",
        "Phường An Hải",
    ]
    report = openpyxl.load_workbook(out / "bao-cao-kiem-tra.xlsx")
    assert report["Điều chỉnh thẩm định"].max_row == 1 + 10
    statuses = {r[1]: r[2] for r in report["Theo đơn vị"].iter_rows(values_only=True)}
    assert statuses["Đặc khu Hoàng Sa"] == "Không đánh giá"


def test_the_json_validates_against_the_documented_schema(built):
    _, out = built
    schema = json.loads((ROOT / "docs" / "ket-qua.schema.json").read_text(encoding="utf-8"))
    data = json.loads((out / "ket-qua.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    so, tw, xa = data["groups"]
    assert (so["rank_by"], so["max"], tw["rank_by"], tw["max"]) == ("index", 1000, "total", 750)
    assert xa["not_assessed"] == [
        {"unit": "Đặc khu Hoàng Sa", "reason": "chưa tổ chức bộ máy chính quyền tại đặc khu"}
    ]
    assert "self_scores" in next(r for r in so["results"] if r["unit"] == "Sở Y tế")
    assert all("items" in c for c in so["criteria"])  # two levels at least


def test_an_index_has_the_same_digits_everywhere(built):
    result, out = built
    first = result.results[0].rows[0]
    digits = f"{first.index:f}"
    assert len(digits.split(".")[1]) == 4
    shown = digits.replace(".", ",")
    table = docx.Document(str(out / "quyet-dinh.docx")).tables[-3]
    assert table.rows[1].cells[-2].text == shown
    sheet = openpyxl.load_workbook(out / "phu-luc.xlsx").worksheets[0]
    header = next(r for r in range(1, 10) if sheet.cell(r, 1).value == "STT")
    index_col = [c.value for c in sheet[header]].index("Chỉ số") + 1
    assert str(sheet.cell(header + 1, index_col).value).replace(".", ",") == shown
    rows = list(csv.DictReader((out / "ket-qua.csv").read_text("utf-8-sig").splitlines()))
    assert rows[0]["index"] == digits
    assert f'"index": {digits}' in (out / "ket-qua.json").read_text(encoding="utf-8")


def test_a_commune_weighted_index_by_hand(built):
    """Xã Thạnh Bình's index from the scores on its form, in exact fractions."""
    result, _ = built
    row = next(r for r in result.results[2].rows if r.unit == "Xã Thạnh Bình")
    form = openpyxl.load_workbook(SAMPLE / "submissions" / "Xã Thạnh Bình.xlsx").active
    leaf = {form.cell(r, 2).value: form.cell(r, 4).value for r in range(8, 40)}
    parts = {  # criterion: (weight, max, its indicators)
        "nhan_thuc": (
            1,
            100,
            [
                "Lãnh đạo, chỉ đạo chuyển đổi số tại cấp xã",
                "Tuyên truyền chuyển đổi số đến người dân",
            ],
        ),
        "the_che": (
            Fraction(1, 2),
            50,
            ["Kế hoạch chuyển đổi số của xã", "Tổ công nghệ số cộng đồng"],
        ),
        "ha_tang": (
            Fraction(3, 2),
            150,
            ["Kết nối mạng tại trụ sở", "Thiết bị tại bộ phận một cửa"],
        ),
        "ung_dung": (
            Fraction(3, 2),
            150,
            ["Văn bản điện tử và chữ ký số cấp xã", "Sử dụng các hệ thống thông tin dùng chung"],
        ),
        "dich_vu": (
            3,
            250,
            [
                "Hồ sơ thủ tục hành chính cấp xã nộp trực tuyến",
                "Số hóa kết quả giải quyết thủ tục hành chính",
            ],
        ),
        "nhan_luc": (
            1,
            100,
            [
                "Công chức được bồi dưỡng kỹ năng số",
                "Thành viên tổ công nghệ số cộng đồng được tập huấn",
            ],
        ),
        "xa_hoi": (
            2,
            200,
            [
                "Người dân có tài khoản định danh điện tử mức 2",
                "Người dân thanh toán không dùng tiền mặt",
            ],
        ),
    }
    value = sum(
        w * Fraction(str(sum(Decimal(str(leaf[label])) for label in labels))) / m
        for w, m, labels in parts.values()
    ) / Fraction(21, 2)
    expected = Decimal(value.numerator) / Decimal(value.denominator)
    assert row.index == expected.quantize(Decimal("0.001"), rounding="ROUND_HALF_UP")


def _worked_out() -> dict[str, list[tuple]]:
    """Each group's annex rows (unit, rank, total, self total, index, grade), worked out from
    the sample's files alone: the config read with tomllib, the forms, the central agencies'
    table and the verification list with openpyxl, sums and indices in exact fractions,
    half-up rounding by hand, ties by ICU's Vietnamese collation. Nothing of reportgen."""
    import icu

    toml = tomllib.loads((SAMPLE / "assessment.toml").read_text(encoding="utf-8"))
    sets = {s["key"]: s for s in toml["criteria_sets"]}
    folder = SAMPLE / "submissions"
    listed = openpyxl.load_workbook(folder / "tham-dinh.xlsx").active
    verified = {(r[1], r[2]): F(str(r[3])) for r in listed.iter_rows(min_row=3, values_only=True)}
    given: dict[str, dict[str, tuple[F, F]]] = {}  # unit → label → (self, verified)
    for path in folder.glob("*.xlsx"):
        sheet = openpyxl.load_workbook(path).active
        if sheet["A3"].value != "Đơn vị:":
            continue
        unit = sheet["B3"].value
        given[unit] = {}
        heads = [c.value for c in sheet[7]]
        at = {h: heads.index(h) for h in ("Điểm tự chấm", "Điểm thẩm định") if h in heads}
        for row in sheet.iter_rows(min_row=8, values_only=True):
            stt, label = row[0], row[1]
            if isinstance(stt, str) and re.fullmatch(r"\d+\.\d+", stt):  # 1.1, 1.2 ...
                own = F(str(row[at["Điểm tự chấm"]]))
                checked = row[at["Điểm thẩm định"]] if "Điểm thẩm định" in at else None
                final = F(str(checked)) if checked is not None else own
                given[unit][label] = (own, verified.get((unit, label), final))
    for path in (SAMPLE / "giai-trinh").glob("*.xlsx"):  # the answers to the notices
        sheet = openpyxl.load_workbook(path).active
        unit = sheet["C3"].value
        heads = {c.value: i for i, c in enumerate(sheet[9])}
        for row in sheet.iter_rows(min_row=10, values_only=True):
            label = row[heads["Tiêu chí"]]
            if not label:
                continue
            own = given[unit][label][0]
            final = F(str(row[heads["Điểm thẩm định sơ bộ"]]))  # agreed, kept or unanswered
            accepted = row[heads["Điểm chấp nhận"]]
            if (row[heads["Ý kiến của đơn vị"]], row[heads["Kết luận của Hội đồng"]]) == (
                "Giải trình",
                "Chấp nhận",
            ):
                final = own if accepted is None else F(str(accepted))
            given[unit][label] = (own, final)
    table = openpyxl.load_workbook(folder / "tong-hop-trung-uong.xlsx").active
    heads = [c.value for c in table[2]]
    for row in table.iter_rows(min_row=3, values_only=True):
        tops = {h: (F(str(v)), F(str(v))) for h, v in zip(heads[2:7], row[2:7])}
        given[row[1]] = tops  # top-level criteria only, by label
    collator = icu.Collator.createInstance(icu.Locale("vi"))
    worked = {}
    for group in toml["groups"]:
        criteria = sets[group["criteria_set"]]
        units = [u if isinstance(u, dict) else {"name": u} for u in group["units"]]
        rows = []
        for unit in (u for u in units if not u.get("not_assessed")):
            scores, weighted, total_max = given[unit["name"]], [], F(0)
            total = own_total = F(0)
            for top in criteria["criteria"]:
                items = top.get("items", [top])
                if top["label"] in scores:  # the central agencies' table
                    own, final = scores[top["label"]]
                else:
                    own = sum(scores[i["label"]][0] for i in items)
                    final = sum(scores[i["label"]][1] for i in items)
                top_max = sum(F(str(i["max"])) for i in items if not i.get("bonus"))
                total, own_total, total_max = total + final, own_total + own, total_max + top_max
                if "weight" in top:
                    weighted.append((F(str(top["weight"])), final / top_max))
            index = None
            if "index" in criteria:
                value = total / total_max
                if criteria["index"]["method"] == "weighted":
                    value = sum(w * v for w, v in weighted) / sum(w for w, _ in weighted)
                step = 10 ** criteria["index"]["decimals"]
                index = F(math.floor(value * step + F(1, 2)), step)
            grade = None
            for band in criteria.get("grades", []):
                bound = F(str(band["min"])) if "min" in band else F(str(band["min_share"]))
                bound = bound if "min" in band else bound * total_max
                if total > bound or (total == bound and not band.get("exclusive")):
                    grade = band["name"]
                    break
            measure = index if criteria.get("rank_by") == "index" else total
            key = (-measure, collator.getSortKey(unit["name"]))
            rows.append(
                (bool(unit.get("not_ranked")), key, unit["name"], total, own_total, index, grade)
            )
        rows.sort()
        ranked, out = [r for r in rows if not r[0]], []
        for i, (_, key, unit, total, own, index, grade) in enumerate(ranked):
            rank = out[-1][1] if i and key[0] == ranked[i - 1][1][0] else i + 1
            out.append((unit, rank, total, own, index, grade))
        out += [(r[2], None, *r[3:]) for r in rows if r[0]]
        worked[group["key"]] = out
    return worked


def test_every_annex_row_as_worked_out_from_the_files_alone(built):
    result, _ = built
    worked = _worked_out()
    assert list(worked) == [g.group.key for g in result.results]
    for group in result.results:
        ours = [
            (
                r.unit,
                r.rank,
                F(r.total),
                F(r.self_total),
                None if r.index is None else F(r.index),
                r.grade,
            )
            for r in group.rows
        ]
        assert ours == worked[group.group.key], group.group.key


def _cells(path):
    book = openpyxl.load_workbook(path)
    return [(ws.title, [list(r) for r in ws.iter_rows(values_only=True)]) for ws in book]


def test_the_submissions_are_what_the_committed_script_writes(tmp_path):
    """The committed inputs hold what the script writes (cell for cell: bytes may differ
    between openpyxl versions), and two runs write the same bytes (the seed is fixed) — the
    submissions and the answers of the notice round alike."""
    spec = importlib.util.spec_from_file_location(
        "make_da_nang_2025", ROOT / "scripts" / "make_da_nang_2025.py"
    )
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    script.main(tmp_path / "one", tmp_path / "one-answers")
    script.main(tmp_path / "two", tmp_path / "two-answers")
    for folder in ("submissions", "giai-trinh"):
        one = tmp_path / ("one" if folder == "submissions" else "one-answers")
        two = tmp_path / ("two" if folder == "submissions" else "two-answers")
        committed = sorted(p.name for p in (SAMPLE / folder).iterdir())
        assert sorted(p.name for p in one.iterdir()) == committed
        for name in committed:
            assert (one / name).read_bytes() == (two / name).read_bytes()
            assert _cells(one / name) == _cells(SAMPLE / folder / name), name


def test_the_notice_round_writes_one_notice_per_changed_unit(tmp_path):
    """`reportgen notices` on the sample: a letter and an answer workbook for each unit that
    has a change — the units of the verification list and of the forms' "Điểm thẩm định" that
    differ from their own, read here from the inputs with openpyxl — and none for the others."""
    from reportgen import api

    changed = set()
    listed = openpyxl.load_workbook(SAMPLE / "submissions" / "tham-dinh.xlsx").active
    changed |= {r[1] for r in listed.iter_rows(min_row=3, values_only=True) if r[1]}
    for path in (SAMPLE / "submissions").glob("*.xlsx"):
        sheet = openpyxl.load_workbook(path).active
        header = next((r for r in sheet.iter_rows(max_row=10) if r[1].value == "Tiêu chí"), None)
        if header is None or "Điểm thẩm định" not in [c.value for c in header]:
            continue
        own, verified = [
            [c.value for c in header].index(h) for h in ("Điểm tự chấm", "Điểm thẩm định")
        ]
        rows = sheet.iter_rows(min_row=header[0].row + 1, values_only=True)
        if any(r[verified] is not None and r[verified] != r[own] for r in rows):
            changed.add(sheet["B3"].value)
    changed.add("Phường An Hải")  # its missing evidence, answered in giai-trinh/
    made = api.notices(SAMPLE, out=tmp_path)
    assert {n.unit for n in made.notices} == changed
    assert len(made.notices) + len(made.unchanged) == 118
    letters = sorted(p.name for p in tmp_path.glob("Thông báo - *.docx"))
    answers = sorted(p.name for p in tmp_path.glob("Phiếu giải trình - *.xlsx"))
    assert letters == sorted(f"Thông báo - {u}.docx" for u in changed)
    assert answers == sorted(f"Phiếu giải trình - {u}.xlsx" for u in changed)
    assert (tmp_path / "thong-bao-da-nang-2025.zip").is_file()


def test_the_three_answers_settle_as_answered(built):
    """Sở Y tế agreed (the verified 80 stands), Phường An Hải's explanation was accepted (its
    own score back), Sở Công Thương's was kept (the verified 30)."""
    result, _ = built
    by = {(a.unit, a.key): a for a in result.checked.adjustments}
    agreed = by[("Sở Y tế", "dv_ho_so")]
    accepted = by[("Phường An Hải", "x_ket_noi")]
    kept = by[("Sở Công Thương", "ht_attt")]
    assert agreed.answer.agrees and agreed.final == agreed.verified == 80
    assert accepted.conclusion.accepted and accepted.final == accepted.self_score
    assert accepted.verified == 0  # the notice's: no evidence, no explanation
    assert not kept.conclusion.accepted and kept.final == kept.verified == 30
    rows = {r.unit: r for g in result.results for r in g.rows}
    assert rows["Phường An Hải"].scores["x_ket_noi"] == accepted.self_score
    assert rows["Sở Công Thương"].scores["ht_attt"] == 30


def test_the_record_has_every_stage_and_the_evidence_register(built):
    """phu-luc.xlsx's "Điều chỉnh thẩm định" shows each change's stages; bao-cao-kiem-tra.xlsx's
    "Sổ minh chứng" lists one indicator across all units, then the next."""
    _, out = built
    sheet = openpyxl.load_workbook(out / "phu-luc.xlsx")["Điều chỉnh thẩm định"]
    header = next(r for r in sheet.iter_rows(values_only=True) if r and r[0] == "STT")
    assert list(header[-4:]) == [
        "Ý kiến của đơn vị",
        "Giải trình, minh chứng bổ sung",
        "Kết luận của Hội đồng",
        "Điểm cuối cùng",
    ]
    rows = {r[1]: r for r in sheet.iter_rows(values_only=True) if r and isinstance(r[0], int)}
    an_hai = rows["Phường An Hải"]
    assert an_hai[6:9] == (
        "Giải trình",
        "Trụ sở đã kết nối mạng truyền số liệu chuyên dùng từ tháng 8/2025; Minh chứng: Biên "
        "bản nghiệm thu số 15/BB-VNPT ngày 20/8/2025; trang 2",
        "Chấp nhận",
    )
    assert an_hai[9] == an_hai[3] and an_hai[4] == 0  # accepted: its own score is final
    assert rows["Sở Y tế"][6] == "Thống nhất" and rows["Sở Y tế"][8] is None
    assert rows["Sở Công Thương"][8] == "Giữ nguyên" and rows["Sở Công Thương"][9] == 30
    assert rows["Thanh tra thành phố"][6] is None  # no answer: the verified score stands
    register = openpyxl.load_workbook(out / "bao-cao-kiem-tra.xlsx")["Sổ minh chứng"]
    head, *lines = list(register.iter_rows(values_only=True))
    col = {h: i for i, h in enumerate(head)}
    criteria = [r[col["Tiêu chí"]] for r in lines]
    runs = [c for i, c in enumerate(criteria) if i == 0 or c != criteria[i - 1]]
    assert len(runs) == len(set(runs))  # each indicator's rows together
    data = json.loads((out / "ket-qua.json").read_text(encoding="utf-8"))
    assert len(lines) == len(data["evidence"])
    (tu_phap,) = [
        r for r in lines if r[col["Đơn vị"]] == "Sở Tư pháp" and r[col["Ngày"]] == "15/11/2024"
    ]
    assert tu_phap[col["Số, ký hiệu"]] == "212/KH-STP"
    (explained,) = [r for r in lines if r[col["Đơn vị"]] == "Xã Trà Linh" and r[col["Giải trình"]]]
    assert explained[col["Minh chứng"]] in ("", None)
