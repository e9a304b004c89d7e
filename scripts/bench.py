"""Benchmark: ingest + validate against the python-calamine floor, and `reportgen build`
end to end (wall time, peak memory), at province and national scale.

Generates, with reportgen's own forms (`reportgen.forms.form_bytes`), N filled per-unit
workbooks for a synthetic assessment of N units ("Xã 0001", ...) spread over four groups,
and a consolidated workbook (the `scripts/make_samples.py` layout) of 5000 rows. Then
measures, side by side in one run on the same files, alternating the contestants in each
repetition and taking medians:

- `reportgen.build.check(assessment, inputs)` against the floor: python-calamine opening the
  same files and reading the same sheets (`CalamineWorkbook.from_path(p)
  .get_sheet_by_name(name).to_python()`), nothing else — target at most 2x;
- `.venv/bin/reportgen build ...` as a subprocess (interpreter start-up included): wall time
  and peak memory (the sum of the resident sets of the process tree, sampled, and the
  largest single process from `wait4`);
- the cost per unit at 1000 and at 5000 units (linear: the same);
- `.venv/bin/reportgen validate` of one consolidated sheet of 100 000 rows against the 2019
  sample (its 38 units, then names no config knows: 99 962 UNIT_UNKNOWN findings, all of
  them written to bao-cao-kiem-tra.xlsx): wall time and peak memory, target < 500 MB.

Writes `out/bench/results.json`. Not a test: figures depend on the machine.

Usage: python scripts/bench.py [--repeat 5] [--sizes 38,1000,5000] [--timeout 120]
                              [--big-rows 100000]
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
sys.path[:0] = [str(ROOT / "scripts"), str(ROOT)]

from reportgen import atomic, config, forms  # noqa: E402
from reportgen.build import check  # noqa: E402
from reportgen.rank import grade_for, total_of  # noqa: E402

GROUPS = [
    ("phuong", "UBND phường", "Tên phường"),
    ("thi-tran", "UBND thị trấn", "Tên thị trấn"),
    ("xa-dong-bang", "UBND xã đồng bằng", "Tên xã"),
    ("xa-mien-nui", "UBND xã miền núi", "Tên xã"),
]
GENERATOR_VERSION = "1"  # bump when the generated files change
CHECK_TARGET_RATIO = 2.0
LINEAR_TARGET_RATIO = 1.25  # cost per unit at 5000 over the cost per unit at 1000
SAMPLE_TARGET_S, NATIONAL_TARGET_S, NATIONAL_TARGET_MB = 0.8, 4.0, 400
BIG_SHEET_TARGET_MB = 500


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


def generate(folder: Path, n: int, consolidated_rows: bool) -> None:
    """`folder/assessment.toml`, `folder/submissions/*.xlsx` and, if asked,
    `folder/tong-hop.xlsx`; kept between runs while the generator is unchanged."""
    stamp = folder / ".stamp"
    want = hashlib.sha256(
        f"{GENERATOR_VERSION}|{n}|{consolidated_rows}|{assessment_toml(n)}".encode()
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
            path = folder / "submissions" / forms.form_filename(unit.name)
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


def run_cli(args: list[str], timeout: float) -> tuple[float | None, float, float, int]:
    """(wall seconds or None on timeout, peak MB of the tree, peak MB of one process, rc).

    The largest single process comes from GNU time when installed: `wait4`'s ru_maxrss
    would count this (larger) benchmark process, whose high-water mark survives fork+exec."""
    peak = [0]
    gnu_time = Path("/usr/bin/time")
    report = Path(tempfile.mkstemp(suffix=".maxrss")[1])
    if gnu_time.is_file():
        args = [str(gnu_time), "-f", "%M", "-o", str(report), *args]
    started = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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
            return None, peak[0] / 1024, 0.0, -9
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
    return seconds, tree_kb / 1024, single_kb / 1024, proc.returncode


def end_to_end(folder: Path, inputs: list[Path], out: Path, repeat: int, timeout: float):
    exe = str(Path(sys.executable).with_name("reportgen"))
    args = [exe, "build", str(folder), *map(str, inputs), "--out", str(out)]
    times, trees, singles = [], [], []
    for _ in range(repeat):
        seconds, tree, single, rc = run_cli(args, timeout)
        if seconds is None:
            return None, tree, single  # too slow to repeat
        if rc != 0:
            raise SystemExit(f"{' '.join(args)} exited with {rc}")
        times.append(seconds)
        trees.append(tree)
        singles.append(single)
    return statistics.median(times), max(trees), max(singles)


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="38,1000,5000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=120.0, help="per build run")
    parser.add_argument("--big-rows", type=int, default=100_000, help="0: skip that case")
    parser.add_argument("--data", type=Path, default=ROOT / "out" / "bench" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "bench")
    options = parser.parse_args()
    sizes = [int(s) for s in options.sizes.split(",")]
    largest = max(sizes)
    rows = []

    print("generating inputs")
    for n in sizes:
        generate(options.data / f"n{n}", n, consolidated_rows=n == largest)

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
    folder = options.data / f"n{largest}"
    table = folder / "tong-hop.xlsx"
    ours, theirs, count = side_by_side(folder, [table], [table], options.repeat)
    rows.append(row("check: consolidated workbook", count, ours, theirs, CHECK_TARGET_RATIO))
    print(f"  consolidated {count} rows: check {ours:.3f} s, floor {theirs:.3f} s")

    print("reportgen build, end to end (a subprocess, start-up included)")
    out = options.out / "build"
    e2e = [("build: 2019 sample", 38, SAMPLE, [SAMPLE / "submissions"], SAMPLE_TARGET_S)]
    for n in sizes:
        folder = options.data / f"n{n}"
        target = NATIONAL_TARGET_S if n == largest else None
        e2e.append(("build: per-unit workbooks", n, folder, [folder / "submissions"], target))
    e2e.append(("build: consolidated workbook", largest, folder, [folder / "tong-hop.xlsx"], None))
    build_per_unit: dict[int, float] = {}
    for case, n, folder, inputs, target in e2e:
        seconds, tree_mb, single_mb = end_to_end(
            folder, inputs, out / f"{n}", options.repeat, options.timeout
        )
        extra = {"target_seconds": target, "peak_process_mb": round(single_mb, 1)}
        if n == largest:
            extra["target_mb"] = NATIONAL_TARGET_MB
        if seconds is None:
            extra["timed_out_after"] = options.timeout
        rows.append(row(case, n, seconds, peak_mb=tree_mb, **extra))
        if case == "build: per-unit workbooks" and seconds is not None:
            build_per_unit[n] = seconds / n
        shown = f"{seconds:.3f} s" if seconds is not None else f"> {options.timeout:.0f} s"
        print(f"  {case} ({n}): {shown}, peak {tree_mb:.0f} MB")

    if options.big_rows:
        print(f"reportgen validate, one consolidated sheet of {options.big_rows} rows")
        big = options.data / f"big-{options.big_rows}.xlsx"
        big_sheet(big, options.big_rows)
        exe = str(Path(sys.executable).with_name("reportgen"))
        args = [exe, "validate", str(SAMPLE), str(big), "--out", str(out / "big")]
        seconds, tree_mb, single_mb, rc = run_cli(args, options.timeout)
        if seconds is not None and rc != 3:  # 3: the unknown names are findings
            raise SystemExit(f"{' '.join(args)} exited with {rc}")
        extra = {"target_mb": BIG_SHEET_TARGET_MB, "peak_process_mb": round(single_mb, 1)}
        if seconds is None:
            extra["timed_out_after"] = options.timeout
        rows.append(
            row("validate: consolidated sheet", options.big_rows, seconds, peak_mb=tree_mb, **extra)
        )
        shown = f"{seconds:.3f} s" if seconds is not None else f"> {options.timeout:.0f} s"
        print(f"  {options.big_rows} rows: {shown}, peak {tree_mb:.0f} MB")

    print("cost per unit")
    for n in (1000, largest):
        if n in per_unit and n != sizes[0]:
            ours, theirs = per_unit[n]
            rows.append(
                row("cost per unit: check", n, ours, theirs, CHECK_TARGET_RATIO, unit="s/unit")
            )
            if n in build_per_unit:
                rows.append(row("cost per unit: build", n, build_per_unit[n], unit="s/unit"))
    if 1000 in per_unit and largest in per_unit and largest != 1000:
        rows.append(
            row(
                "linearity: check per unit, 5000 over 1000",
                largest,
                per_unit[largest][0],
                per_unit[1000][0],
                LINEAR_TARGET_RATIO,
                unit="s/unit; floor_seconds is the cost per unit at 1000",
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
                    unit="s/unit; floor_seconds is the cost per unit at 1000",
                )
            )

    options.out.mkdir(parents=True, exist_ok=True)
    document = rows
    (options.out / "results.json").write_text(
        json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    (options.out / "machine.json").write_text(
        json.dumps(machine(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    print(f"\n{'case':45} {'n':>5} {'seconds':>9} {'floor':>9} {'ratio':>6} {'peak MB':>8}")
    for r in rows:
        print(
            f"{r['case']:45} {r['n']:>5} {_cell(r['seconds']):>9} {_cell(r['floor_seconds']):>9}"
            f" {_cell(r['ratio']):>6} {_cell(r['peak_mb']):>8}"
        )
    print(f"\nwritten {options.out / 'results.json'}")


def _cell(value: object) -> str:
    return "—" if value is None else f"{value:.4g}" if isinstance(value, float) else str(value)


if __name__ == "__main__":
    main()
