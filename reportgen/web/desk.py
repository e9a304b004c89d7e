"""What every page of the web app needs: the workspace, the jobs, the form token, the limits,
the unit portal's state, and how a page or an error page is rendered."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from jinja2 import Environment
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse

from reportgen.web import workspace as ws
from reportgen.web.jobs import Jobs
from reportgen.web.portal import Guesses, Portal
from reportgen.web.security import Limits


@dataclass
class Desk:
    """What every page needs: the workspace, the jobs, the form token, the limits."""

    workspace: ws.Workspace
    jobs: Jobs
    csrf: str
    limits: Limits
    env: Environment
    notes: dict[str, object] = field(default_factory=dict)  # results shown after a redirect
    portal: Portal = field(default_factory=lambda: Portal({}, Guesses()))  # the units' links
    public_url: str | None = None  # the address units reach the server at (serve --public-url)
    made: dict[str, tuple[object, bytes]] = field(default_factory=dict)  # key → (inputs, bytes)
    making: threading.Lock = field(default_factory=threading.Lock)

    def cached(self, key: str, inputs: object, make: Callable[[], bytes]) -> bytes:
        """`make()`, or what it gave last time for `key` when `inputs` (file names, sizes,
        times) are unchanged: a second request waits for the first rather than redo it."""
        with self.making:
            done = self.made.get(key)
            if done is not None and done[0] == inputs:
                return done[1]
            data = make()
            self.made[key] = (inputs, data)
            return data

    def named(self, request: Request) -> str:
        """The assessment named in the path (`/dot/<name>`); 404 for a folder that is none."""
        name = request.path_params["name"]
        if name not in self.workspace.assessments():
            raise HTTPException(404)
        return name

    def note(self, value: object) -> str:
        """Keep `value` for the page the browser is sent to next; its key goes in the URL."""
        import secrets

        while len(self.notes) >= 100:
            self.notes.pop(next(iter(self.notes)))
        key = secrets.token_hex(8)
        self.notes[key] = value
        return key

    def page(self, template: str, status: int = 200, **context) -> HTMLResponse:
        html = self.env.get_template(template).render(csrf=self.csrf, limits=self.limits, **context)
        return HTMLResponse(html, status_code=status)

    def error(self, status: int, message: str) -> bytes:
        return self.env.get_template("loi.html").render(code=status, message=message).encode()
