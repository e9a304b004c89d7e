"""What every page handler of the web app needs of a request and a response: the POSTed form
read within limits and checked for its form token, a refusal as a Vietnamese page, a file as a
download."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING
from urllib.parse import quote

from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from reportgen.web.security import BodyTooLarge, same, size_text, too_large

if TYPE_CHECKING:
    from reportgen.web.desk import Desk

log = logging.getLogger("reportgen.web")
MAX_FIELDS = 50  # a page's form has a handful; more is not this page's form
MAX_FIELD_BYTES = 1024 * 1024  # one text field (starlette's limit of a part that is no file)


class Refusal(HTTPException):
    """An HTTP error whose `message` the error page shows."""

    def __init__(self, status: int, message: str):
        super().__init__(status, message)
        self.message = message


async def read_form(desk: Desk, request: Request, max_files: int = 0, csrf: str | None = None):
    """The POSTed form, once its form token (`csrf`, else the clerk's) is right; refusals are
    Vietnamese pages."""
    try:
        form = await request.form(
            max_files=max_files, max_fields=MAX_FIELDS, max_part_size=MAX_FIELD_BYTES
        )
    except BodyTooLarge:
        raise Refusal(413, too_large(desk.limits)) from None
    except ClientDisconnect:  # the browser gave up (closed, navigated away): nothing to answer
        log.info("%s: the client left before its upload arrived", request.url.path)
        raise Refusal(400, "Trình duyệt đã ngắt kết nối trước khi gửi xong.") from None
    except HTTPException as exc:  # starlette's own limits: count of files, fields, field size
        raise _form_refusal(desk, str(exc.detail)) from None
    if not same(str(form.get("csrf", "")), csrf or desk.csrf):
        raise Refusal(
            403, "Biểu mẫu đã cũ hoặc không đến từ trang này: hãy tải lại trang rồi làm lại."
        )
    return form


def _form_refusal(desk: Desk, detail: str) -> Refusal:
    """Starlette's refusal of a form (`detail`, in English) said as it is, for the clerk."""
    detail = detail.lower()
    if "files" in detail:
        return Refusal(
            413, f"Quá nhiều tệp trong một lần: tối đa {desk.limits.files} tệp. Hãy chia ra."
        )
    if "fields" in detail:
        return Refusal(
            400,
            f"Biểu mẫu gửi lên có quá nhiều ô (tối đa {MAX_FIELDS}), không phải biểu mẫu của "
            "trang này: hãy tải lại trang rồi làm lại.",
        )
    if "size" in detail:
        return Refusal(
            413,
            f"Một ô chữ của biểu mẫu dài quá {size_text(MAX_FIELD_BYTES)}: hãy rút ngắn rồi "
            "gửi lại.",
        )
    return Refusal(400, "Không đọc được biểu mẫu gửi lên: hãy tải lại trang rồi làm lại.")


def attachment(
    data: bytes, filename: str, media_type: str = "application/octet-stream"
) -> Response:
    """`data` downloaded as `filename` (UTF-8 in the header), never kept by a cache."""
    disposition = f"attachment; filename*=UTF-8''{quote(filename)}"
    return Response(
        data,
        media_type=media_type,
        headers={"content-disposition": disposition, "cache-control": "no-store"},
    )
