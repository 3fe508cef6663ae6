"""Reading and validating exports into impactkit's canonical tables."""

from impactkit.io._assessments import read_assessments, read_items, score_items
from impactkit.io._config import Config
from impactkit.io._dataset import Dataset, ValidationReport, read_dataset, read_families, validate
from impactkit.io._period import Period, PeriodSelection
from impactkit.io._tables import read_table

__all__ = [
    "Config",
    "Dataset",
    "Period",
    "PeriodSelection",
    "ValidationReport",
    "read_assessments",
    "read_dataset",
    "read_families",
    "read_items",
    "read_table",
    "score_items",
    "validate",
]
