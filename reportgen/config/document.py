"""What the published documents say and who issues them: `[issuer]`, `[decision]`,
`[signer]`, the kind of publication and the verification round's notice (`[verification]`)."""

from __future__ import annotations

import datetime as dt
from enum import Enum

from pydantic import Field, StrictInt

from reportgen.config.fields import CleanText, Model


class Issuer(Model):
    name: CleanText  # upper-case name in the header: ỦY BAN NHÂN DÂN TỈNH QUẢNG NAM
    short: CleanText  # in running text: UBND tỉnh Quảng Nam
    place: CleanText  # địa danh before the date: Quảng Nam
    parent: CleanText = ""  # cơ quan chủ quản, above the issuer name, if any


class Decision(Model):
    number: StrictInt | None = Field(ge=1)  # None: left blank (BLANK) for the clerk to fill
    symbol: CleanText  # QĐ-UBND
    date: dt.date | None  # None: left blank (BLANK)
    summary: CleanText  # trích yếu, after "QUYẾT ĐỊNH"
    authority: CleanText  # the issuing authority line: ỦY BAN NHÂN DÂN TỈNH QUẢNG NAM
    legal_bases: list[CleanText] = Field(min_length=1)  # căn cứ lines
    proposal: CleanText = ""  # "Xét đề nghị của ..."
    articles: list[CleanText] = Field(min_length=1)  # text of Điều 1, Điều 2, ...
    closing: CleanText = ""  # a last line after the articles, if any
    recipients: list[CleanText] = Field(min_length=1)  # nơi nhận, the last "Lưu: ..."


class Signer(Model):
    lines: list[CleanText] = Field(min_length=1)  # TM. ..., KT. CHỦ TỊCH, PHÓ CHỦ TỊCH
    name: CleanText


class Kind(str, Enum):
    DECISION = "decision"  # the annex of a Quyết định: the decision and signer are required
    TABLE = "table"  # a ranking published as a report, notice or web page: no decision


class Verification(Model):
    """The verification round: the preliminary notice to each unit and its answer."""

    deadline: dt.date | None = None  # answers stated or received after it: EXPLANATION_LATE
    issuer: CleanText = ""  # who sends the notice (upper case, ô 2); "": issuer.name
    issuer_short: CleanText = ""  # the same in running text; "": issuer.short
    parent: CleanText = ""  # its cơ quan chủ quản; "" with no `issuer`: issuer.parent
    symbol: CleanText = "HĐTĐ"  # ký hiệu: Số …/HĐTĐ
    number: StrictInt | None = Field(default=None, ge=1)  # None: left for the văn thư
    date: dt.date | None = None  # None: left for the văn thư
    signer: Signer | None = None  # None: the decision's signer
    recipients: list[CleanText] = ["Như trên;", "Lưu: VT."]
