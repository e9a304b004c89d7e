"""Assessments found, read and started: an `assessment.toml` loaded or parsed, the folders
under a workspace, where a build writes; a new year's made from last year's (written, or only
drafted and filled in as the web form does) or from a shipped methodology pack."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reportgen.config import Assessment
    from reportgen.config.newyear import NewYear


def load(assessment: Path) -> Assessment:
    """The assessment in a folder (its `assessment.toml`) or a .toml file; `ConfigError`
    names every problem."""
    from reportgen import config

    return config.load(Path(assessment))


def parse(text: str, file: Path = Path("assessment.toml")) -> Assessment:
    """An assessment from the text of an `assessment.toml` (`file` names it in messages)."""
    from reportgen import config

    return config.parse(text, Path(file))


def config_file(assessment: Path) -> Path:
    """The `assessment.toml` a folder (or the file itself) stands for."""
    from reportgen import config

    return config.resolve_path(Path(assessment))


def assessments_under(folder: Path) -> list[Path]:
    """Every assessment folder (holding `assessment.toml`) directly under `folder`, sorted."""
    from reportgen.pipeline import names

    return names.assessments_under(Path(folder))


def default_out(assessment: Path) -> Path:
    """Where a build writes unless told: `out/<assessment folder name>`."""
    from reportgen.pipeline import names

    return names.default_out(Path(assessment))


def new_year(source: Path, target: Path, year: int | None = None) -> NewYear:
    """Write `target/assessment.toml` for `year` (default: the source's year + 1) from last
    year's assessment at `source`, blanks left for what is new each year. Raises
    `ConfigError`, `InitError` (the target exists, the same year)."""
    from reportgen.config import newyear

    return newyear.init(Path(source), Path(target), year)


def from_methodology(name: str, target: Path, year: int | None = None) -> NewYear:
    """Write `target/assessment.toml` for `year` (default: this year) following the shipped
    criteria set `name` (`methodologies()`), the province's parts left blank. Raises
    `InitError` (an unknown pack, the target exists)."""
    from reportgen.config import methodology

    return methodology.start(Path(target), name, year)


def methodologies() -> dict[str, str]:
    """The shipped criteria sets (methodology packs): name → version and source."""
    from reportgen.config import methodology

    return {p.name: f"{p.version}: {p.source}" for p in methodology.packs().values()}


def carry_over(source: Path, year: int) -> NewYear:
    """What `new_year` would write, without writing: the new file's text and its blanks."""
    from reportgen.config import newyear

    file = config_file(source)
    return newyear.carry_over(_read_config(file), year, file)


def fill_blanks(text: str, values: Mapping[str, str]) -> str:
    """The text of an `assessment.toml` with keys (`decision.number`, `decision.date`,
    `decision.proposal`, `signer.name`) set to the values typed for them, comments and layout
    kept; a value that reads as a TOML number or date is written as one."""
    from reportgen.config import newyear

    return newyear.fill(text, values)


def write_config(folder: Path, text: str) -> Path:
    """A new assessment folder: `assessment.toml` holding `text` and an empty `submissions/`.
    Refuses (`FileExistsError`) a folder that exists."""
    from reportgen.config import newyear

    return newyear.write_folder(Path(folder), text)


def _read_config(file: Path) -> str:
    from reportgen import config

    try:
        return file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise config.ConfigError(file, [f"không đọc được tệp: {exc}"]) from None
