"""The script an IT officer would write instead of reportgen: the peer `make bench` times
beside it on the same inputs. pandas reads the workbooks (calamine engine), sums the scores
and ranks with rank(method="min"), docxtpl renders the decision from a template with a
table loop, DataFrame.to_excel writes the annex. No checks, no findings, no charts.

Usage: python scripts/peer.py TEMPLATE OUT INPUT...   (a folder of per-unit forms, or a
consolidated workbook with one sheet per group); `make_template` writes a TEMPLATE."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
from docxtpl import DocxTemplate


def read_forms(folder: Path) -> pd.DataFrame:
    """reportgen's own form: unit in B3, group in B4, criteria from row 8, scores in D."""
    rows = []
    for path in sorted(folder.glob("*.xlsx")):
        sheet = pd.read_excel(path, engine="calamine", header=None)
        items = sheet.iloc[7:]
        items = items[pd.to_numeric(items[3], errors="coerce").notna()]  # the scored rows
        scores = dict(zip(items[1], items[3].astype(float)))
        rows.append({"Khối": sheet.iat[3, 1], "Đơn vị": sheet.iat[2, 1], **scores})
    return pd.DataFrame(rows)


def read_consolidated(path: Path) -> pd.DataFrame:
    """A sheet per group: a title row, then STT, unit, the criteria, total, grade."""
    frames = []
    for name, sheet in pd.read_excel(path, sheet_name=None, engine="calamine", header=1).items():
        sheet = sheet.rename(columns={sheet.columns[1]: "Đơn vị"})
        frames.append(sheet.drop(columns=["STT", "Tổng", "Xếp loại"]).assign(Khối=name))
    return pd.concat(frames)


def main(template: Path, out: Path, inputs: list[Path]) -> None:
    data = pd.concat([read_forms(p) if p.is_dir() else read_consolidated(p) for p in inputs])
    criteria = [c for c in data.columns if c not in ("Khối", "Đơn vị")]
    data["Tổng"] = data[criteria].sum(axis=1)
    data["Hạng"] = data.groupby("Khối")["Tổng"].rank(method="min", ascending=False).astype(int)
    data = data.sort_values(["Khối", "Hạng", "Đơn vị"])
    out.mkdir(parents=True, exist_ok=True)
    groups = []
    with pd.ExcelWriter(out / "phu-luc.xlsx") as excel:
        for name, table in data.groupby("Khối", sort=False):
            table.drop(columns="Khối").to_excel(excel, sheet_name=str(name)[:31], index=False)
            rows = [
                {"rank": r["Hạng"], "unit": r["Đơn vị"], "s": [f"{r[c]:g}" for c in criteria],
                 "total": f"{r['Tổng']:g}"}
                for r in table.to_dict("records")
            ]  # fmt: skip
            groups.append({"name": name, "rows": rows})
    decision = DocxTemplate(template)
    decision.render({"groups": groups})
    decision.save(out / "quyet-dinh.docx")


def make_template(path: Path, criteria: list[str]) -> None:
    """The decision template the officer made once in Word: a table per group, a row per
    unit (rank, unit, each criterion, total)."""
    from docx import Document

    document = Document()
    document.add_heading("QUYẾT ĐỊNH", 0)
    document.add_paragraph("{%p for g in groups %}")
    document.add_paragraph("{{ g.name }}")
    table = document.add_table(rows=4, cols=len(criteria) + 3)
    for cell, text in zip(table.rows[0].cells, ["Hạng", "Đơn vị", *criteria, "Tổng"]):
        cell.text = text
    table.rows[1].cells[0].text = "{%tr for r in g.rows %}"
    cells = ["{{ r.rank }}", "{{ r.unit }}"]
    cells += [f"{{{{ r.s[{i}] }}}}" for i in range(len(criteria))] + ["{{ r.total }}"]
    for cell, text in zip(table.rows[2].cells, cells):
        cell.text = text
    table.rows[3].cells[0].text = "{%tr endfor %}"
    document.add_paragraph("{%p endfor %}")
    document.save(path)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), [Path(p) for p in sys.argv[3:]])
