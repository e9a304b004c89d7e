"""The assessment file (`assessment.toml`): everything specific to one province and year.

This face re-exports the names importers use (`from reportgen.config import Assessment,
ConfigError, load`); each lives in its module: `load` (reading, `ConfigError`), `assessment`
(the whole file's model), `criteria` and `criteria_set` (the criteria trees and their sets),
`annex`, `document`, `scoring`, `units` (the other tables), `fields` and `duplicates` (what
the tables are built from and checked with), `blanks` (the values left for the clerk),
`messages` (the Vietnamese lines), `newyear` and `methodology` (writing a new file)."""

from reportgen.config.annex import PLACEHOLDER, Annex, AnnexColumn, ComposedColumn
from reportgen.config.assessment import Assessment
from reportgen.config.blanks import BLANK
from reportgen.config.criteria import (
    Criterion,
    Figure,
    RatioRule,
    StepsRule,
    YesNoRule,
    Zero,
    numbered,
)
from reportgen.config.criteria_set import (
    MAX_TREE_DEPTH,
    CriteriaSet,
    Grade,
    IndexMethod,
    NotApplicable,
    RankBy,
)
from reportgen.config.document import Decision, Issuer, Signer
from reportgen.config.load import MAX_NESTING, ConfigError, load, parse, resolve_path
from reportgen.config.scoring import NOT_APPLICABLE_MARK, EvidencePolicy, TieBreak
from reportgen.config.units import Group, Unit

__all__ = [
    "BLANK",
    "MAX_NESTING",
    "MAX_TREE_DEPTH",
    "NOT_APPLICABLE_MARK",
    "PLACEHOLDER",
    "Annex",
    "AnnexColumn",
    "Assessment",
    "ComposedColumn",
    "ConfigError",
    "CriteriaSet",
    "Criterion",
    "Decision",
    "EvidencePolicy",
    "Figure",
    "Grade",
    "Group",
    "IndexMethod",
    "Issuer",
    "NotApplicable",
    "RankBy",
    "RatioRule",
    "Signer",
    "StepsRule",
    "TieBreak",
    "Unit",
    "YesNoRule",
    "Zero",
    "load",
    "numbered",
    "parse",
    "resolve_path",
]
