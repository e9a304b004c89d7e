"""Benchmark: ingest + validate against the python-calamine floor, and `reportgen build`
end to end (wall time, peak memory), at province and national scale.

Generates, with reportgen's own forms (`reportgen.render.forms.form_bytes`), N filled per-unit
workbooks for a synthetic assessment of N units ("Xã 0001", ...) spread over four groups,
and a consolidated workbook (the `scripts/make_samples.py` layout) of 5000 rows. Then
measures, side by side in one run on the same files, alternating the contestants in each
repetition and taking medians:

- `reportgen.pipeline.check.check(assessment, inputs)` against the floor: python-calamine opening
  the same files and reading the same sheets (`CalamineWorkbook.from_path(p)
  .get_sheet_by_name(name).to_python()`), nothing else — target at most 2x;
- `.venv/bin/reportgen build ...` as a subprocess (interpreter start-up included): wall time
  and peak memory (the sum of the resident sets of the process tree, sampled, and the
  largest single process from `wait4`);
- the cost per unit at 1000 and at 5000 units (linear: the same);
- the peer: `scripts/peer.py`, the short pandas (calamine engine) + docxtpl + to_excel script
  a user would write instead, run as a subprocess on the same inputs, alternating with each
  `reportgen build` run: its wall time, peak memory, and reportgen's time over it.

Writes `out/bench/results.json`. Not a test: figures depend on the machine.

Usage: python scripts/bench.py [--repeat 5] [--sizes 38,1000,5000] [--timeout 120]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from pathlib import Path

from python_calamine import CalamineWorkbook

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "quang-nam-2019"
sys.path.insert(0, str(ROOT / "scripts"))

from reportgen import config  # noqa: E402
from reportgen.core import atomic  # noqa: E402
from reportgen.judge.score import grade_for, total_of  # noqa: E402
from reportgen.pipeline.check import check  # noqa: E402
from reportgen.render import forms  # noqa: E402
from reportgen.render.filenames import form_filename  # noqa: E402

GROUPS = [
    ("phuong", "UBND phường", "Tên phường"),
    ("thi-tran", "UBND thị trấn", "Tên thị trấn"),
    ("xa-dong-bang", "UBND xã đồng bằng", "Tên xã"),
    ("xa-mien-nui", "UBND xã miền núi", "Tên xã"),
]
GENERATOR_VERSION = "1"  # bump when the generated files change
CHECK_TARGET_RATIO = 2.0  # per-unit workbooks, over the python-calamine floor
CONSOLIDATED_TARGET_RATIO = 3.0
LINEAR_TARGET_RATIO = 1.25  # cost per unit at 5000 over the cost per unit at 1000
SAMPLE_TARGET_S = 0.4  # the 2019 build, start-up included
NATIONAL_TARGET_S = {"build: consolidated workbook": 1.2, "build: per-unit workbooks": 2.0}
NATIONAL_TARGET_MB = 150
PEER_TARGET_RATIO = {  # reportgen's build time over the peer script's (issue 20)
    ("build: 2019 sample", 38): 0.8,
    ("build: per-unit workbooks", 1000): 0.7,
    ("build: per-unit workbooks", 5000): 0.7,
    ("build: consolidated workbook", 5000): 0.6,
}
HUGE_TARGET_S, HUGE_TARGET_MB = 5.0, 500  # a consolidated workbook of --huge rows
BIG_SHEET_TARGET_MB = 500  # `validate` on one sheet of --big-rows rows, mostly unknown names
BEFORE = "2770741"  # main just before issue 20 (openpyxl writers, the JSON walk in Python)


# --- the synthetic inputs -------------------------------------------------------------


def unit_names(n: int) -> list[str]:
    return [f"Xã {i:04d}" for i in range(1, n + 1)]


def assessment_toml(n: int) -> str:
    """The 2019 sample's assessment with its groups replaced by n synthetic units."""
    text = (SAMPLE / "assessment.toml").read_text(encoding="utf-8")
    head = text[: text.index("[[groups]]")]
    names = unit_names(n)
    size = -(-n // len(GROUPS))
    parts = [head]
    for k, (key, name, column) in enumerate(GROUPS):
        members = names[k * size : (k + 1) * size]
        if not members:
            continue
        units = ",\n".join(f'    "{u}"' for u in members)
        parts.append(
            f'[[groups]]\nkey = "{key}"\nname = "{name}"\n'
            f'heading = "{k + 1}. Kết quả đánh giá xếp hạng của {name}"\n'
            f'name_column = "{column}"\nunits = [\n{units},\n]\n\n'
        )
    return "".join(parts)


def scores_for(assessment: config.Assessment, rng: random.Random) -> dict[str, Decimal]:
    """Scores in steps of 0,5 within each maximum."""
    return {c.key: Decimal(rng.randint(0, int(c.max) * 2)) / 2 for c in assessment.criteria}


def _form(args: tuple[Path, str, dict[str, Decimal], Path]) -> None:
    folder, unit, scores, path = args
    assessment = _load(folder)
    atomic.write_bytes(path, forms.form_bytes(assessment, unit, scores))


_LOADED: dict[Path, config.Assessment] = {}


def _load(folder: Path) -> config.Assessment:
    if folder not in _LOADED:
        _LOADED[folder] = config.load(folder)
    return _LOADED[folder]


def generate(folder: Path, n: int, consolidated_rows: bool, workbooks: bool = True) -> None:
    """`folder/assessment.toml`, `folder/submissions/*.xlsx` (unless not `workbooks`) and,
    if asked, `folder/tong-hop.xlsx`; kept between runs while the generator is unchanged."""
    stamp = folder / ".stamp"
    want = hashlib.sha256(
        f"{GENERATOR_VERSION}|{n}|{consolidated_rows}|{workbooks}|{assessment_toml(n)}".encode()
    ).hexdigest()
    if stamp.is_file() and stamp.read_text() == want:
        return
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "submissions").mkdir(parents=True)
    (folder / "assessment.toml").write_text(assessment_toml(n), encoding="utf-8")
    assessment = config.load(folder)
    rng = random.Random(n)
    jobs, rows = [], []
    for group in assessment.groups:
        for stt, unit in enumerate(group.units, start=1):
            scores = scores_for(assessment, rng)
            path = folder / "submissions" / form_filename(unit.name)
            jobs.append((folder, unit.name, scores, path))
            total = total_of(scores.values())
            rows.append(
                {
                    "group": group.key,
                    "stt": str(stt),
                    "unit": unit.name,
                    **{k: str(v).replace(".", ",") for k, v in scores.items()},
                    "total": str(total).replace(".", ","),
                    "grade": grade_for(total, assessment.grades),
                }
            )
    started = time.perf_counter()
    if workbooks:
        with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            list(pool.map(_form, jobs, chunksize=64))
    if consolidated_rows:
        from make_samples import consolidated

        atomic.write_bytes(folder / "tong-hop.xlsx", consolidated(assessment, rows))
    stamp.write_text(want)
    print(f"  generated {folder} ({n} units) in {time.perf_counter() - started:.1f} s")


def big_sheet(path: Path, rows: int) -> None:
    """One consolidated sheet of `rows` rows for the 2019 sample: its 38 units with their
    published scores, then unknown names ("Đơn vị số 000039", ...)."""
    from openpyxl import Workbook

    sys.path.insert(0, str(ROOT))  # the tests' builders: the 2019 labels and scores
    from tests.builders import LABELS, published_scores

    stamp = path.with_suffix(".stamp")
    want = f"{GENERATOR_VERSION}|{rows}"
    if path.is_file() and stamp.is_file() and stamp.read_text() == want:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Tổng hợp")
    ws.append(["BẢNG TỔNG HỢP"])
    ws.append(["STT", "Tên đơn vị", *LABELS, "Tổng"])
    known = list(published_scores().items())
    for i in range(1, rows + 1):
        name, scores = known[i - 1] if i <= len(known) else (f"Đơn vị số {i:06d}", None)
        values = [float(v) for v in scores.values()] if scores else [10, 34, 27.5, 8, 10]
        ws.append([i, name, *values, sum(values)])
    wb.save(path)
    stamp.write_text(want)


# --- the floor and the contestant -----------------------------------------------------


def sheet_plan(files: list[Path]) -> list[tuple[str, list[str]]]:
    """Each file with its sheet names (looked up once, outside the timing)."""
    return [(str(p), CalamineWorkbook.from_path(str(p)).sheet_names) for p in files]


def floor(plan: list[tuple[str, list[str]]]) -> int:
    """Open every file and read every sheet's cells with python-calamine, nothing else."""
    cells = 0
    for path, names in plan:
        book = CalamineWorkbook.from_path(path)
        for name in names:
            cells += len(book.get_sheet_by_name(name).to_python())
    return cells


def timed(fn, *args) -> tuple[float, object]:
    started = time.perf_counter()
    value = fn(*args)
    return time.perf_counter() - started, value


def side_by_side(folder: Path, inputs: list[Path], files: list[Path], repeat: int):
    """Median seconds of `check` and of the floor, alternating, after one warm-up each."""
    plan = sheet_plan(files)
    floor(plan)
    checked = check(folder, inputs)
    errors = [f for f in checked.findings.items if f.severity.value == "error"]
    if errors:
        raise SystemExit(f"{folder}: the generated inputs have findings: {errors[:3]}")
    ours, theirs = [], []
    for k in range(repeat):
        pair = [("check", check, (folder, inputs)), ("floor", floor, (plan,))]
        for label, fn, args in pair if k % 2 == 0 else reversed(pair):
            seconds, _ = timed(fn, *args)
            (ours if label == "check" else theirs).append(seconds)
    return statistics.median(ours), statistics.median(theirs), len(checked.submissions)


# --- end to end: the CLI as a subprocess ----------------------------------------------


def _tree_rss_kb(pid: int) -> int:
    """Resident set of a process and all its descendants, in KB (Linux /proc)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/statm") as handle:
                total += int(handle.read().split()[1]) * (os.sysconf("SC_PAGE_SIZE") // 1024)
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as handle:
                    todo.extend(int(c) for c in handle.read().split())
        except (OSError, ValueError):
            continue
    return total


def run_cli(args: list[str], timeout: float) -> tuple[float | None, float, float, int, float]:
    """(wall seconds or None on timeout, peak MB of the tree, peak MB of one process, rc,
    CPU seconds of the process and the children it waited for — pool workers included: on
    a machine shared with other work, wall time stretches, CPU time much less).

    The largest single process comes from GNU time when installed: `wait4`'s ru_maxrss
    would count this (larger) benchmark process, whose high-water mark survives fork+exec."""
    peak = [0]
    gnu_time = Path("/usr/bin/time")
    report = Path(tempfile.mkstemp(suffix=".maxrss")[1])
    if gnu_time.is_file():
        args = [str(gnu_time), "-f", "%M", "-o", str(report), *args]
    started = time.perf_counter()
    proc = subprocess.Popen(  # cwd: not a checkout, so PYTHONPATH decides which reportgen
        args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tempfile.gettempdir()
    )
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            peak[0] = max(peak[0], _tree_rss_kb(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    deadline = started + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            os.wait4(proc.pid, 0)
            done.set()
            report.unlink(missing_ok=True)
            return None, peak[0] / 1024, 0.0, -9, 0.0
        time.sleep(0.005)
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    single_kb = usage.ru_maxrss
    text = report.read_text().strip().splitlines() if report.is_file() else []
    report.unlink(missing_ok=True)
    if text and text[-1].isdigit():
        single_kb = int(text[-1])
    tree_kb = max(peak[0], single_kb)  # the sampling can miss a short peak
    cpu = usage.ru_utime + usage.ru_stime
    return seconds, tree_kb / 1024, single_kb / 1024, proc.returncode, cpu


def end_to_end(folder: Path, inputs: list[Path], out: Path, repeat: int, timeout: float, peer):
    """Median wall and CPU seconds and peak MB of `reportgen build`; with `peer` (the peer
    script's template), the same of `scripts/peer.py` on the same inputs, the two run
    alternately (which goes first swaps every repetition)."""
    # the interpreter runs the CLI of whichever tree PYTHONPATH puts first (before / after)
    code = "import sys; from reportgen.cli import main; sys.argv[0] = 'reportgen'; main()"
    ours = [sys.executable, "-c", code, "build", str(folder), *map(str, inputs), "--out", str(out)]
    theirs = [sys.executable, str(ROOT / "scripts" / "peer.py"), str(peer), str(out / "peer")]
    runs = {"ours": [], "peer": []}
    for k in range(repeat):
        pair = [("ours", ours)] + ([("peer", theirs + [str(p) for p in inputs])] if peer else [])
        for label, args in pair if k % 2 == 0 else reversed(pair):
            seconds, tree, single, rc, cpu = run_cli(args, timeout)
            if seconds is None:
                return None, tree, single, None, None  # too slow to repeat
            if rc != 0:
                raise SystemExit(f"{' '.join(args)} exited with {rc}")
            runs[label].append((seconds, tree, single, cpu))

    def summary(measured):
        if not measured:
            return None
        seconds, trees, singles, cpus = zip(*measured)
        return statistics.median(seconds), max(trees), max(singles), statistics.median(cpus)

    return (*summary(runs["ours"]), summary(runs["peer"]))


# --- the report -----------------------------------------------------------------------


def row(case, n, seconds, floor_seconds=None, target_ratio=None, peak_mb=None, **extra):
    ratio = seconds / floor_seconds if seconds is not None and floor_seconds else None
    return {
        "case": case,
        "n": n,
        "seconds": _round(seconds),
        "floor_seconds": _round(floor_seconds),
        "ratio": None if ratio is None else round(ratio, 2),
        "target_ratio": target_ratio,
        "peak_mb": None if peak_mb is None else round(peak_mb, 1),
        **extra,
    }


def _round(value: float | None) -> float | None:
    return None if value is None else float(f"{value:.4g}")


def machine() -> dict[str, object]:
    model = ""
    try:
        text = Path("/proc/cpuinfo").read_text()
        found = re.search(r"^model name\s*:\s*(.+)$", text, re.M)
        model = found.group(1) if found else ""
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": model or platform.processor(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def measure(options) -> list[dict]:
    """Every figure for the reportgen that `import reportgen` finds (the tree under test)."""
    sizes = [int(s) for s in options.sizes.split(",")]
    largest = max(sizes)
    rows = []
    print("ingest + validate against the python-calamine floor")
    per_unit: dict[int, tuple[float, float]] = {}
    for n in sizes:
        folder = options.data / f"n{n}"
        files = sorted((folder / "submissions").glob("*.xlsx"))
        ours, theirs, count = side_by_side(folder, [folder / "submissions"], files, options.repeat)
        assert count == n, (n, count)
        per_unit[n] = (ours / n, theirs / n)
        rows.append(row("check: per-unit workbooks", n, ours, theirs, CHECK_TARGET_RATIO))
        print(f"  {n} workbooks: check {ours:.3f} s, floor {theirs:.3f} s")
    huge = options.huge
    for n in (largest, huge) if huge else (largest,):
        folder = options.data / (f"n{n}" if n == largest else f"rows{n}")
        table = folder / "tong-hop.xlsx"
        repeat = options.repeat if n == largest else max(1, options.repeat // 2)
        ours, theirs, count = side_by_side(folder, [table], [table], repeat)
        extra = {"target_seconds": HUGE_TARGET_S} if n == huge else {}
        rows.append(
            row(
                "check: consolidated workbook",
                count,
                ours,
                theirs,
                CONSOLIDATED_TARGET_RATIO,
                **extra,
            )
        )
        print(f"  consolidated {count} rows: check {ours:.3f} s, floor {theirs:.3f} s")
    if huge:  # the big workbook's peak memory: check alone, in a fresh process
        folder = options.data / f"rows{huge}"
        exe = [
            sys.executable,
            "-c",
            "import sys, pathlib; from reportgen.pipeline.check import check; "
            "check(pathlib.Path(sys.argv[1]), [pathlib.Path(sys.argv[2])])",
        ]
        seconds, tree, single, rc, cpu = run_cli(
            [*exe, str(folder), str(folder / "tong-hop.xlsx")], options.timeout
        )
        rows.append(
            row(
                "check: consolidated workbook, peak memory",
                huge,
                seconds,
                peak_mb=tree,
                target_mb=HUGE_TARGET_MB,
                cpu_seconds=_round(cpu),
                unit="a process: start-up, config, ingest, validate",
            )
        )
        print(f"  consolidated {huge} rows in a process: peak {tree:.0f} MB")

    print("reportgen build, end to end (a subprocess, start-up included)")
    out = options.out / "build"
    e2e = [("build: 2019 sample", 38, SAMPLE, [SAMPLE / "submissions"])]
    for n in sizes:
        folder = options.data / f"n{n}"
        e2e.append(("build: per-unit workbooks", n, folder, [folder / "submissions"]))
    e2e.append(("build: consolidated workbook", largest, folder, [folder / "tong-hop.xlsx"]))
    build_per_unit: dict[int, float] = {}
    for case, n, folder, inputs in e2e:
        seconds, tree_mb, single_mb, cpu, peer = end_to_end(
            folder, inputs, out / f"{n}", options.repeat, options.timeout, options.peer
        )
        extra = {"peak_process_mb": round(single_mb, 1), "cpu_seconds": _round(cpu)}
        if peer:
            extra |= {
                "peer_seconds": _round(peer[0]),
                "peer_peak_mb": round(peer[1], 1),
                "peer_ratio": None if seconds is None else round(seconds / peer[0], 2),
                "target_peer_ratio": PEER_TARGET_RATIO.get((case, n)),
            }
        if case == "build: 2019 sample":
            extra["target_seconds"] = SAMPLE_TARGET_S
        elif n == largest:
            extra |= {"target_seconds": NATIONAL_TARGET_S[case], "target_mb": NATIONAL_TARGET_MB}
        if seconds is None:
            extra["timed_out_after"] = options.timeout
        rows.append(row(case, n, seconds, peak_mb=tree_mb, **extra))
        if case == "build: per-unit workbooks" and seconds is not None:
            build_per_unit[n] = seconds / n
        shown = f"{seconds:.3f} s" if seconds is not None else f"> {options.timeout:.0f} s"
        versus = f"; peer {peer[0]:.3f} s, peak {peer[1]:.0f} MB" if peer else ""
        print(f"  {case} ({n}): {shown}, peak {tree_mb:.0f} MB{versus}")

    if options.big_rows:
        print(f"reportgen validate, one consolidated sheet of {options.big_rows} rows")
        big = options.data / f"big-{options.big_rows}.xlsx"
        code = "import sys; from reportgen.cli import main; sys.argv[0] = 'reportgen'; main()"
        args = [sys.executable, "-c", code, "validate", str(SAMPLE), str(big), "--out",
                str(out / "big")]  # fmt: skip
        seconds, tree_mb, single_mb, rc, cpu = run_cli(args, options.timeout)
        if seconds is not None and rc != 3:  # 3: the unknown names are findings
            raise SystemExit(f"{' '.join(args)} exited with {rc}")
        extra = {"target_mb": BIG_SHEET_TARGET_MB, "peak_process_mb": round(single_mb, 1),
                 "cpu_seconds": _round(cpu)}  # fmt: skip
        if seconds is None:
            extra["timed_out_after"] = options.timeout
        rows.append(
            row("validate: consolidated sheet", options.big_rows, seconds, peak_mb=tree_mb, **extra)
        )

    for n in (1000, largest):
        if n in per_unit and n != sizes[0]:
            ours, theirs = per_unit[n]
            rows.append(
                row("cost per unit: check", n, ours, theirs, CHECK_TARGET_RATIO, unit="s/unit")
            )
            if n in build_per_unit:
                rows.append(row("cost per unit: build", n, build_per_unit[n], unit="s/unit"))
    if 1000 in per_unit and largest in per_unit and largest != 1000:
        note = "s/unit; floor_seconds is the cost per unit at 1000"
        rows.append(
            row(
                "linearity: check per unit, 5000 over 1000",
                largest,
                per_unit[largest][0],
                per_unit[1000][0],
                LINEAR_TARGET_RATIO,
                unit=note,
            )
        )
        if 1000 in build_per_unit and largest in build_per_unit:
            rows.append(
                row(
                    "linearity: build per unit, 5000 over 1000",
                    largest,
                    build_per_unit[largest],
                    build_per_unit[1000],
                    LINEAR_TARGET_RATIO,
                    unit=note,
                )
            )
    return rows


def export(ref: str, target: Path) -> Path:
    """The tree of commit `ref` (its reportgen package) in `target`, for the "before" run."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", ref, "reportgen", "templates"],
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def run_side(label: str, tree: Path, options, argv: list[str]) -> list[dict]:
    """`measure` in a child interpreter whose `import reportgen` finds `tree`."""
    result = options.out / f"{label}.json"
    env = os.environ | {"PYTHONPATH": str(tree)}
    print(f"\n=== {label}: {tree}")
    subprocess.run([sys.executable, __file__, *argv, "--measure", str(result)], env=env, check=True)
    return json.loads(result.read_text(encoding="utf-8"))


def combine(before: list[dict], after: list[dict]) -> list[dict]:
    """The after rows (targets filled in) with the before figures of the same case beside."""
    old = {(r["case"], r["n"]): r for r in before}
    rows = []
    for r in after:
        b = old.get((r["case"], r["n"]), {})
        rows.append(
            r
            | {
                f"before_{k}": b.get(k)
                for k in ("seconds", "cpu_seconds", "floor_seconds", "ratio", "peak_mb")
            }
        )
    return rows


FIGURES_START, FIGURES_END = "<!-- bench:figures -->", "<!-- /bench:figures -->"


def figures_markdown(rows: list[dict], machine_info: dict, before: str) -> str:
    def cell(value, unit=""):
        if value is None:
            return "—"
        text = f"{value:.3g}" if isinstance(value, float) else str(value)
        return text.replace(".", ",") + unit

    lines = [
        FIGURES_START,
        f"One `make bench` run: before = commit {before} (exported from git), after = this "
        f"tree; {machine_info['nproc']} CPUs ({machine_info['cpu']}), Python "
        f"{machine_info['python']}. Seconds are medians; ratios are over the python-calamine "
        "floor measured in the same run; this table is rewritten by `make bench`.",
        "",
        "| case | n | before | after | floor (after) | ratio before → after | target |"
        " peak MB before → after | CPU s before → after | peer | after ÷ peer (target) |"
        " peer peak MB |",
        "|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        target = []
        if r.get("target_ratio"):
            target.append(f"≤ {cell(r['target_ratio'])}×")
        if r.get("target_seconds"):
            target.append(f"≤ {cell(r['target_seconds'])} s")
        if r.get("target_mb"):
            target.append(f"≤ {r['target_mb']} MB")
        unit = " ms" if "per unit" in r["case"] else " s"
        scale = 1000 if "per unit" in r["case"] else 1

        def t(v, unit=unit, scale=scale):
            return cell(None if v is None else v * scale, unit)

        lines.append(
            f"| {r['case']} | {r['n']} | {t(r['before_seconds'])} | {t(r['seconds'])} | "
            f"{t(r['floor_seconds'])} | {cell(r['before_ratio'], '×')} → {cell(r['ratio'], '×')}"
            f" | {', '.join(target) or '—'} | {cell(r['before_peak_mb'])} → {cell(r['peak_mb'])}"
            f" | {cell(r.get('before_cpu_seconds'))} → {cell(r.get('cpu_seconds'))}"
            f" | {t(r.get('peer_seconds'))} | {cell(r.get('peer_ratio'), '×')}"
            + (f" (≤ {cell(r['target_peer_ratio'])}×)" if r.get("target_peer_ratio") else "")
            + f" | {cell(r.get('peer_peak_mb'))} |"
        )
    lines.append(FIGURES_END)
    return "\n".join(lines)


def write_performance(rows: list[dict], machine_info: dict, before: str) -> None:
    path = ROOT / "docs" / "performance.md"
    text = path.read_text(encoding="utf-8")
    block = figures_markdown(rows, machine_info, before)
    if FIGURES_START in text:
        head, rest = text.split(FIGURES_START, 1)
        text = head + block + rest.split(FIGURES_END, 1)[1]
    else:
        text = text.rstrip() + "\n\n## Figures of the last run\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="38,1000,5000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=120.0, help="per build run")
    parser.add_argument("--data", type=Path, default=ROOT / "out" / "bench" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "bench")
    parser.add_argument("--huge", type=int, default=100_000, help="rows of the big workbook")
    parser.add_argument("--big-rows", type=int, default=100_000, help="0: skip that case")
    parser.add_argument("--before", default=BEFORE, help="the commit to compare with")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # a child's output
    parser.add_argument("--peer", type=Path, help=argparse.SUPPRESS)  # its template: time it
    options = parser.parse_args()
    if options.measure:
        rows = measure(options)
        options.measure.write_text(
            json.dumps(rows, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        return
    sizes = [int(s) for s in options.sizes.split(",")]
    print("generating inputs")
    for n in sizes:
        generate(options.data / f"n{n}", n, consolidated_rows=n == max(sizes))
    if options.big_rows:
        big_sheet(options.data / f"big-{options.big_rows}.xlsx", options.big_rows)
    if options.huge:
        generate(options.data / f"rows{options.huge}", options.huge, True, workbooks=False)
    options.out.mkdir(parents=True, exist_ok=True)
    argv = [
        "--sizes",
        options.sizes,
        "--huge",
        str(options.huge),
        "--big-rows",
        str(options.big_rows),
        "--repeat",
        str(options.repeat),
        "--timeout",
        str(options.timeout),
        "--data",
        str(options.data),
        "--out",
        str(options.out),
    ]
    from peer import make_template

    template = options.data / "peer-template.docx"
    make_template(template, [c.label for c in config.load(SAMPLE).criteria])
    before = run_side("before", export(options.before, options.out / "before-src"), options, argv)
    after = run_side("after", ROOT, options, [*argv, "--peer", str(template)])
    rows = combine(before, after)
    (options.out / "results.json").write_text(
        json.dumps(rows, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    machine_info = machine()
    (options.out / "machine.json").write_text(
        json.dumps(machine_info, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    write_performance(rows, machine_info, options.before)
    print(figures_markdown(rows, machine_info, options.before))
    print(f"\nwritten {options.out / 'results.json'} and docs/performance.md")


if __name__ == "__main__":
    main()
