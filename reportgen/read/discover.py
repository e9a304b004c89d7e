"""Finding the submissions: the workbook files under the INPUT paths, each with the name
findings show, and byte-identical copies of a file (a resend) set aside."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from reportgen.core.catalogue import finding
from reportgen.core.findings import Finding
from reportgen.core.location import Location
from reportgen.read.workbook import WORKBOOK_SUFFIXES
from reportgen.safety.sniff import MAX_FILE_BYTES


def collect_files(inputs: Sequence[Path]) -> tuple[list[tuple[Path, str]], list[Finding]]:
    """Expand INPUT paths into workbook files (sorted, so runs are repeatable), each with the
    name shown in findings (relative to the folder given). A folder holding no workbook is no
    submission yet (every unit then has UNIT_MISSING), not a missing input."""
    files: list[tuple[Path, str]] = []
    problems: list[Finding] = []
    for root in inputs:
        if root.is_dir():
            found = sorted(
                p
                for p in root.rglob("*")
                if p.is_file()
                and p.suffix.lower() in WORKBOOK_SUFFIXES
                and not p.name.startswith(("~$", "."))
            )
            files.extend((p, p.relative_to(root).as_posix()) for p in found)
        elif root.is_file():
            files.append((root, root.name))
        else:
            problems.append(finding("INPUT_NOT_FOUND", Location(str(root))))
    return files, problems


def drop_resends(
    files: list[tuple[Path, str]],
) -> tuple[list[tuple[Path, str]], list[Finding]]:
    """The files without byte-identical copies, and a FILE_RESENT warning for each copy. Of
    identical files the one with the shortest name is kept ("Sở Y tế.xlsx", not the mail
    client's "Sở Y tế (1).xlsx"). Only files of equal size are hashed."""
    by_size: dict[int, list[int]] = {}
    for i, (path, _) in enumerate(files):
        try:
            size = path.stat().st_size
        except OSError:
            continue  # reading it will say why
        if 0 < size <= MAX_FILE_BYTES:
            by_size.setdefault(size, []).append(i)
    kept_for: dict[int, int] = {}  # index of a copy → index of the file kept
    for same_size in by_size.values():
        by_digest: dict[bytes, list[int]] = {}
        for i in same_size if len(same_size) > 1 else []:
            try:
                digest = hashlib.sha256(files[i][0].read_bytes()).digest()
            except OSError:
                continue
            by_digest.setdefault(digest, []).append(i)
        for same in by_digest.values():
            kept, *copies = sorted(same, key=lambda i: (len(files[i][1]), files[i][1], i))
            kept_for.update((copy, kept) for copy in copies)
    findings = [
        finding("FILE_RESENT", Location(files[i][1]), other=files[kept_for[i]][1])
        for i in sorted(kept_for)
    ]
    return [f for i, f in enumerate(files) if i not in kept_for], findings
