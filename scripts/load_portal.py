"""Load test of the unit portal (`make load`): every unit of the Đà Nẵng 2025 sample (its 120
registered units, the two it leaves unassessed included here) uploads its filled form through
its own link at the same moment, against
`reportgen serve`'s app run by uvicorn in a child process on a loopback port.

Checked, not only timed: every upload answered 303 (no 5xx, no lock error in the server's
log), every unit's submission stored once (byte-identical to what it sent), one log row per
unit with status Đạt, and the unit page of each says Đạt. Reported: p50 / p95 / max response
time of the uploads, the wall time of the whole burst, the server's peak resident memory
(VmHWM). Traffic goes to 127.0.0.1 only; the run is bounded (a 300 s client timeout).

Usage: python scripts/load_portal.py [--units N]"""

from __future__ import annotations

import argparse
import asyncio
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "da-nang-2025"
NAME = SAMPLE.name

SERVER = """
import sys, uvicorn
from pathlib import Path
from reportgen.web.app import create_app
uvicorn.run(create_app(Path(sys.argv[1])), host="127.0.0.1", port=int(sys.argv[2]),
            log_level="warning")
"""


def filled_forms(folder: Path) -> dict[str, bytes]:
    """Each assessed unit's form filled with its sample scores (0 where it gave none)."""
    from reportgen import api, config
    from reportgen.pipeline.check import check
    from reportgen.render.forms import form_bytes

    assessment = config.load(folder)
    scores = {s.unit: s.scores for s in check(SAMPLE).submissions}
    forms = {}
    for unit in api.units_to_send(assessment):
        given = scores.get(unit, {})
        leaves = {c.key: given.get(c.key, 0) for c in assessment.set_of(unit).leaves}
        forms[unit] = form_bytes(assessment, unit, leaves)
    return forms


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def peak_memory_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def burst(base: str, forms: dict[str, bytes]) -> dict:
    import httpx2 as httpx

    async with httpx.AsyncClient(base_url=base, timeout=300) as clerk:
        page = await clerk.get(f"/dot/{NAME}/don-vi")
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
        letters = await clerk.post(
            f"/dot/{NAME}/don-vi/cap-duong-dan", data={"csrf": csrf}, headers={"origin": base}
        )
        links = dict(
            re.findall(r'<td>([^<]+)</td><td class="cell">[^<]*?(/u/[\w-]+)</td>', letters.text)
        )
    assert set(forms) <= set(links), f"{len(links)} links for {len(forms)} units"

    limits = httpx.Limits(max_connections=len(forms), max_keepalive_connections=len(forms))
    async with httpx.AsyncClient(base_url=base, timeout=300, limits=limits) as client:
        tokens = {}
        for unit, path in links.items():  # each unit opens its page first, as a person does
            text = (await client.get(path)).text
            tokens[unit] = re.search(r'name="csrf" value="([^"]+)"', text).group(1)

        async def upload(unit: str) -> tuple[str, int, float]:
            start = time.perf_counter()
            response = await client.post(
                links[unit] + "/nop",
                data={"csrf": tokens[unit]},
                files={"tep": (f"{unit}.xlsx", forms[unit])},
                headers={"origin": base},
            )
            return unit, response.status_code, time.perf_counter() - start

        began = time.perf_counter()
        answers = await asyncio.gather(*(upload(u) for u in forms))
        wall = time.perf_counter() - began
        pages = {u: (await client.get(links[u])).text for u in forms}
    return {"answers": answers, "wall": wall, "pages": pages}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=0, help="only the first N units")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from reportgen.render.filenames import form_filename
    from reportgen.web.portal_store import Store

    work = Path(tempfile.mkdtemp(prefix="reportgen-load-"))
    try:
        shutil.copytree(SAMPLE, work / NAME)
        toml = work / NAME / "assessment.toml"
        text = re.sub(r', not_assessed = "[^"]*"', "", toml.read_text(encoding="utf-8"))
        toml.write_text(text, encoding="utf-8")
        for old in (work / NAME / "submissions").iterdir():
            old.unlink()
        forms = filled_forms(work / NAME)
        if args.units:
            forms = dict(list(forms.items())[: args.units])
        port = free_port()
        log = (work / "server.log").open("w")
        server = subprocess.Popen(
            [sys.executable, "-c", SERVER, str(work), str(port)], stdout=log, stderr=log
        )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    print("the server did not start", file=sys.stderr)
                    return 1
                time.sleep(0.1)
        try:
            result = asyncio.run(burst(base, forms))
            peak = peak_memory_mb(server.pid)
        finally:
            server.terminate()
            server.wait(10)
            log.close()
        answers = result["answers"]
        times = sorted(t for _, _, t in answers)
        bad = [(u, s) for u, s, _ in answers if s != 303]
        stored = {
            u: (work / NAME / "submissions" / form_filename(u)).read_bytes()
            if (work / NAME / "submissions" / form_filename(u)).is_file()
            else None
            for u in forms
        }
        wrong_bytes = [u for u in forms if stored[u] != forms[u]]
        rows = Store(work / NAME).uploads(kind="form")
        per_unit = {u: [r for r in rows if r.unit == u] for u in forms}
        not_once = [u for u, r in per_unit.items() if len(r) != 1 or r[0].status != "ok"]
        not_dat = [u for u, text in result["pages"].items() if 'class="status ok">Đạt' not in text]
        server_log = (work / "server.log").read_text()
        errors_logged = server_log.count("Traceback") + server_log.lower().count("locked")
        p95 = times[max(0, int(len(times) * 0.95) - 1)]
        print(f"units                 {len(forms)}")
        print(f"answered 303          {len(answers) - len(bad)}  (others: {bad[:3]})")
        print(f"stored, same bytes    {len(forms) - len(wrong_bytes)}")
        print(f"one log row, Đạt      {len(forms) - len(not_once)}")
        print(f"unit page says Đạt    {len(forms) - len(not_dat)}")
        print(f"errors in server log  {errors_logged}")
        print(f"upload p50            {statistics.median(times):.2f} s")
        print(f"upload p95            {p95:.2f} s")
        print(f"upload max            {times[-1]:.2f} s")
        print(f"burst wall time       {result['wall']:.2f} s")
        print(f"server peak memory    {peak:.0f} MB")
        failed = bad or wrong_bytes or not_once or not_dat or errors_logged
        return 1 if failed else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
