"""The unit portal's state in SQLite, one file per assessment (`nop-truc-tuyen.sqlite3` beside
`assessment.toml`): the units' links (a hash of each token, never the token), the log of every
upload, the deadline set on the page and the units reopened after it, and the answers given on
the page. Workbooks and evidence files stay files in the assessment folder (what the CLI reads);
this database only says who sent what, when, and how it was judged.

WAL mode, one short connection per call (threads of the server never share one), a busy
timeout instead of lock errors, and migrations numbered by `PRAGMA user_version`. Backing up
the assessment folder backs this up too (copy it while the server is stopped, or with
`sqlite3 FILE ".backup COPY"` while it runs)."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

FILE = "nop-truc-tuyen.sqlite3"

# Each entry moves the database one version up; never edit one that has shipped.
MIGRATIONS = (
    """
    CREATE TABLE link (
        id INTEGER PRIMARY KEY,
        unit TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        created TEXT NOT NULL,
        revoked TEXT
    );
    CREATE INDEX link_unit ON link(unit);
    CREATE TABLE upload (
        id INTEGER PRIMARY KEY,
        unit TEXT NOT NULL,
        kind TEXT NOT NULL,          -- 'form' or 'evidence'
        criterion TEXT,              -- evidence: the criterion key
        at TEXT NOT NULL,
        file TEXT NOT NULL,          -- the name as sent
        stored TEXT NOT NULL,        -- path under the assessment folder
        size INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        status TEXT,                 -- form: 'ok' or 'fix'
        errors INTEGER,
        warnings INTEGER,
        link_id INTEGER REFERENCES link(id)
    );
    CREATE INDEX upload_unit ON upload(unit, kind);
    CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE reopened (unit TEXT PRIMARY KEY, until TEXT NOT NULL, at TEXT NOT NULL);
    """,
    """
    CREATE TABLE answer (
        id INTEGER PRIMARY KEY,
        unit TEXT NOT NULL,
        at TEXT NOT NULL,
        criterion TEXT NOT NULL,     -- the indicator's key
        opinion TEXT NOT NULL,       -- 'agree' or 'explain'
        explanation TEXT NOT NULL,
        evidence TEXT NOT NULL,      -- the additional evidence as the unit wrote it
        link_id INTEGER REFERENCES link(id)
    );
    CREATE INDEX answer_unit ON answer(unit);
    """,
)


def token_hash(token: str) -> str:
    """What is stored of a link's token: its SHA-256 (tokens carry 176 random bits, so a
    plain hash is enough; nothing to salt against)."""
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def now() -> str:
    """The time stamps of the log: UTC, ISO 8601, to the second."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class Link:
    id: int
    unit: str
    created: str
    revoked: str | None


@dataclass(frozen=True)
class Answer:
    """One indicator of a unit's answer to its preliminary notice, given on its page."""

    criterion: str
    opinion: str  # "agree" or "explain"
    explanation: str
    evidence: str


@dataclass(frozen=True)
class Upload:
    id: int
    unit: str
    kind: str
    criterion: str | None
    at: str
    file: str
    stored: str
    size: int
    sha256: str
    status: str | None
    errors: int | None
    warnings: int | None
    link_id: int | None


class Store:
    """The portal database of one assessment folder."""

    def __init__(self, folder: Path):
        self.path = Path(folder) / FILE
        with self._connect() as db:
            self._migrate(db)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA foreign_keys=ON")
            yield db
        finally:
            db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    @staticmethod
    def _migrate(db: sqlite3.Connection) -> None:
        db.execute("BEGIN IMMEDIATE")
        try:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                for statement in script.split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version = {number}")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    @property
    def version(self) -> int:
        with self._connect() as db:
            return db.execute("PRAGMA user_version").fetchone()[0]

    # --- Links -----------------------------------------------------------------------------

    def issue(self, unit: str, token: str) -> Link:
        """A new link for `unit`; the unit's earlier links are revoked in the same step."""
        at = now()
        with self._transaction() as db:
            db.execute("UPDATE link SET revoked = ? WHERE unit = ? AND revoked IS NULL", (at, unit))
            cursor = db.execute(
                "INSERT INTO link (unit, token_hash, created) VALUES (?, ?, ?)",
                (unit, token_hash(token), at),
            )
            return Link(cursor.lastrowid, unit, at, None)

    def revoke(self, unit: str) -> None:
        with self._transaction() as db:
            db.execute(
                "UPDATE link SET revoked = ? WHERE unit = ? AND revoked IS NULL", (now(), unit)
            )

    def link_of(self, token: str) -> Link | None:
        """The live link the token opens, or None (unknown or revoked)."""
        with self._connect() as db:
            row = db.execute(
                "SELECT id, unit, created, revoked FROM link WHERE token_hash = ?",
                (token_hash(token),),
            ).fetchone()
        if row is None or row[3] is not None:
            return None
        return Link(*row)

    def links(self) -> dict[str, Link]:
        """Each unit's latest link (live or revoked)."""
        with self._connect() as db:
            rows = db.execute("SELECT id, unit, created, revoked FROM link ORDER BY id").fetchall()
        return {row[1]: Link(*row) for row in rows}

    # --- Uploads -----------------------------------------------------------------------------

    def record(self, upload: Upload) -> Upload:
        """Log an upload whose file is already in place; returns it with its id."""
        fields = upload.__dict__ | {"id": None}
        with self._transaction() as db:
            cursor = db.execute(
                "INSERT INTO upload (unit, kind, criterion, at, file, stored, size, sha256,"
                " status, errors, warnings, link_id) VALUES (:unit, :kind, :criterion, :at,"
                " :file, :stored, :size, :sha256, :status, :errors, :warnings, :link_id)",
                fields,
            )
            return Upload(**(fields | {"id": cursor.lastrowid}))

    def uploads(
        self, unit: str | None = None, kind: str | None = None, criterion: str | None = None
    ) -> list[Upload]:
        """The log, oldest first, narrowed to a unit, a kind and a criterion when given."""
        where, args = [], []
        for column, value in (("unit", unit), ("kind", kind), ("criterion", criterion)):
            if value is not None:
                where.append(f"{column} = ?")
                args.append(value)
        sql = "SELECT * FROM upload" + (" WHERE " + " AND ".join(where) if where else "")
        with self._connect() as db:
            rows = db.execute(sql + " ORDER BY id", args).fetchall()
        return [Upload(*row) for row in rows]

    def upload(self, upload_id: int) -> Upload | None:
        with self._connect() as db:
            row = db.execute("SELECT * FROM upload WHERE id = ?", (upload_id,)).fetchone()
        return Upload(*row) if row else None

    # --- Deadline and reopenings -------------------------------------------------------------

    def setting(self, key: str) -> str | None:
        with self._connect() as db:
            row = db.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set(self, key: str, value: str | None) -> None:
        with self._transaction() as db:
            if value is None:
                db.execute("DELETE FROM setting WHERE key = ?", (key,))
            else:
                db.execute(
                    "INSERT INTO setting (key, value) VALUES (?, ?)"
                    " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (key, value),
                )

    def reopen(self, unit: str, until: dt.date | None) -> None:
        """Let `unit` upload after the deadline, up to and including `until` (None: close)."""
        with self._transaction() as db:
            if until is None:
                db.execute("DELETE FROM reopened WHERE unit = ?", (unit,))
            else:
                db.execute(
                    "INSERT INTO reopened (unit, until, at) VALUES (?, ?, ?)"
                    " ON CONFLICT(unit) DO UPDATE SET until = excluded.until, at = excluded.at",
                    (unit, until.isoformat(), now()),
                )

    def reopened(self) -> dict[str, dt.date]:
        with self._connect() as db:
            rows = db.execute("SELECT unit, until FROM reopened").fetchall()
        return {unit: dt.date.fromisoformat(until) for unit, until in rows}

    # --- Answers to the preliminary notice -------------------------------------------------

    def answer(self, unit: str, answers: list[Answer], link_id: int | None) -> str:
        """Log a unit's answer (every indicator of its notice) as one step; returns its time.
        An answer given again is logged again: the latest is the unit's answer."""
        at = now()
        with self._transaction() as db:
            db.executemany(
                "INSERT INTO answer (unit, at, criterion, opinion, explanation, evidence, link_id)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (unit, at, a.criterion, a.opinion, a.explanation, a.evidence, link_id)
                    for a in answers
                ],
            )
        return at

    def answers(self, unit: str) -> tuple[str | None, list[Answer]]:
        """The unit's latest answer: (when, its rows), or (None, []) before any."""
        with self._connect() as db:
            row = db.execute("SELECT max(at) FROM answer WHERE unit = ?", (unit,)).fetchone()
            if row[0] is None:
                return None, []
            rows = db.execute(
                "SELECT criterion, opinion, explanation, evidence FROM answer"
                " WHERE unit = ? AND at = ? ORDER BY id",
                (unit, row[0]),
            ).fetchall()
        return row[0], [Answer(*r) for r in rows]
