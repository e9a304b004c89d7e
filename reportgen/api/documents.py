"""How the documents are written: a template checked against what reportgen provides, whether
the PDF can be made, and scores, dates and decision numbers as the decision prints them (and
dates as a clerk types them)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import datetime as dt
    from decimal import Decimal

    from reportgen.render.templatecheck import Report as TemplateReport


def template_check(template: Path | None = None, notice: bool = False) -> TemplateReport:
    """A decision template (default: the bundled one) against what reportgen provides; a
    notice template (`notice`, or a file named `thong-bao*`) against the notice's names."""
    from reportgen.render import templatecheck
    from reportgen.render.docx import default_template
    from reportgen.render.templatekinds import DECISION, NOTICE

    path = Path(template) if template else default_template()
    notice = notice or path.name.startswith("thong-bao")
    return templatecheck.check(path, NOTICE if notice else DECISION)


def pdf_available() -> bool:
    """Whether LibreOffice is installed, so `build(pdf=True)` can make the PDF."""
    from reportgen.render import pdf

    return pdf.available()


def format_number(value: Decimal, decimals: int, fixed: bool = False) -> str:
    """A score as documents show it (`99,5`): half-up to `decimals` places, trailing zeros
    dropped unless `fixed`."""
    from reportgen.core import numbers

    return numbers.format_number(value, decimals, fixed=fixed)


def read_date(text: str) -> dt.date | None:
    """A date as typed: `08/01/2021` (day first) or `2021-01-08`; None when neither."""
    from reportgen.core import vnformat

    return vnformat.read_date(text)


def date_line(day: dt.date) -> str:
    """`ngày 08 tháng 01 năm 2021`, as the decision writes its date."""
    from reportgen.core import vnformat

    return vnformat.date_line(day)


def decision_number(number: int | None, symbol: str) -> str:
    """`01/QĐ-UBND`, as the decision prints its number; `(chưa điền)/QĐ-UBND` while blank."""
    from reportgen.core import vnformat

    if number is None:
        return f"(chưa điền)/{symbol}"
    return vnformat.document_number(number, symbol)
