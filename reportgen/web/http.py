"""What every page handler of the web app needs of a request and a response: the POSTed form
read within limits and checked for its form token, a refusal as a Vietnamese page, a file as a
download."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from reportgen.web.security import BodyTooLarge, same, too_large

if TYPE_CHECKING:
    from reportgen.web.desk import Desk


class Refusal(HTTPException):
    """An HTTP error whose `message` the error page shows."""

    def __init__(self, status: int, message: str):
        super().__init__(status, message)
        self.message = message


async def read_form(desk: Desk, request: Request, max_files: int = 0, csrf: str | None = None):
    """The POSTed form, once its form token (`csrf`, else the clerk's) is right; refusals are
    Vietnamese pages."""
    try:
        form = await request.form(max_files=max_files, max_fields=50)
    except BodyTooLarge:
        raise Refusal(413, too_large(desk.limits)) from None
    except HTTPException as exc:  # starlette's own limits (count of files/fields)
        raise Refusal(
            413 if "files" in str(exc.detail).lower() else 400, too_large(desk.limits)
        ) from None
    if not same(str(form.get("csrf", "")), csrf or desk.csrf):
        raise Refusal(
            403, "Biểu mẫu đã cũ hoặc không đến từ trang này: hãy tải lại trang rồi làm lại."
        )
    return form


def attachment(data: bytes, filename: str, media_type: str) -> Response:
    disposition = f"attachment; filename*=UTF-8''{quote(filename)}"
    return Response(
        data,
        media_type=media_type,
        headers={"content-disposition": disposition, "cache-control": "no-store"},
    )
