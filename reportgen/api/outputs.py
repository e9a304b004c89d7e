"""What is handed on: a build's outputs in reading order, zipped, as a DataFrame or JSON; the
blank score sheets, one or all."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pandas import DataFrame

    from reportgen.config import Assessment
    from reportgen.pipeline.build import Built


def output_names(folder: Path, wait: float = 5.0) -> list[str]:
    """The outputs present in a build's folder, in the order a person reads them: decision,
    PDF, annex, findings report, CSV, JSON, year-over-year summary, charts. A replacement a
    killed writer left half done (its journal is there) is rolled back first, under the
    folder's lock (waited for `wait` seconds, then `OutputBusy`): never a mixed set."""
    from reportgen.core import outputs
    from reportgen.pipeline import names

    folder = Path(folder)
    if (folder / outputs.JOURNAL).exists():
        with outputs.folder_lock(folder, wait):  # taking it rolls the killed writer back
            pass
    return names.present_outputs(folder)


def zip_files(folder: Path, names: Iterable[str]) -> bytes:
    """The files `names` of `folder` as one zip, same bytes for the same files."""
    from reportgen.core import atomic

    return atomic.zip_bytes((name, (Path(folder) / name).read_bytes()) for name in names)


def dataframe(result: Built, *, exact: bool = True) -> DataFrame:
    """A build's results as a pandas DataFrame: one row per ranked unit (group, stt, rank,
    unit, every criterion key, total, and index, grade and last year's columns when there
    are), numbers as `Decimal` — or as float with `exact=False`. Needs the `[pandas]` extra."""
    try:
        import pandas
    except ImportError:
        raise ImportError("dataframe() needs pandas: pip install 'reportgen[pandas]'") from None
    rows = result.records
    if not exact:
        rows = [{k: _float(v) for k, v in row.items()} for row in rows]
    return pandas.DataFrame(rows)


def _float(value: object) -> object:
    from decimal import Decimal

    return float(value) if isinstance(value, Decimal) else value


def dumps(document: object) -> str:
    """JSON of `as_dict()` documents, Decimals written digit for digit (as in ket-qua.json)."""
    from reportgen.render.data import dumps as write

    return write(document)


def form(assessment: Assessment, unit: str) -> tuple[str, bytes]:
    """One unit's blank score sheet: (file name, .xlsx bytes)."""
    from reportgen.render import forms
    from reportgen.render.filenames import form_filename

    return form_filename(unit), forms.form_bytes(assessment, unit)


def units_to_send(assessment: Assessment) -> list[str]:
    """The units a blank form goes to: every registered unit but those not assessed."""
    from reportgen.render import forms

    return forms.units_to_send(assessment)


def forms_zip(assessment: Assessment) -> bytes:
    """The blank form of every unit of `units_to_send` in one zip, same bytes for the same
    config."""
    from reportgen.core import atomic

    return atomic.zip_bytes(form(assessment, unit) for unit in units_to_send(assessment))


def write_forms(assessment: Assessment, out: Path) -> list[Path]:
    """The blank form of every unit of `units_to_send` written into `out` (as one set, under
    the lock)."""
    from reportgen.render import forms

    return forms.write_forms(assessment, Path(out))
