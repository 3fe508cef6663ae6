"""Exceptions and warnings raised by impactkit.

Every exception subclasses :class:`ValueError` through :class:`ImpactkitError`, so
``except ValueError`` keeps working for callers that do not know impactkit::

    ImpactkitError (ValueError)
    ├── ValidationError      input data break the data contract; ``.problems`` is a DataFrame
    ├── DefinitionError      an instrument or scenario definition is wrong (file and key named)
    │   ├── InstrumentError
    │   ├── ScenarioError
    │   └── ConfigError      the mapping file impactkit.toml
    ├── DesignError          valid data that cannot answer the question asked
    │                        (no family with both waves, a constant domain, ...)
    ├── ParameterError       a function argument outside its allowed values
    └── OutputError          an output that would overwrite an input, or could not be written

    ImpactkitWarning (UserWarning)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ConfigError",
    "DefinitionError",
    "DesignError",
    "ImpactkitDeprecationWarning",
    "ImpactkitError",
    "ImpactkitWarning",
    "InstrumentError",
    "OutputError",
    "ParameterError",
    "ScenarioError",
    "ValidationError",
    "check_choice",
]

PROBLEM_COLUMNS = ["file", "row", "column", "value", "message"]


class ImpactkitError(ValueError):
    """Base class of every error impactkit raises on purpose."""


class ValidationError(ImpactkitError):
    """Input data break the data contract.

    Attributes
    ----------
    problems : pandas.DataFrame
        One row per problem with columns ``file, row, column, value, message``
        (``row`` as the user sees it: the header is row 1; in Excel, the sheet row).
    """

    def __init__(self, problems: pd.DataFrame, *, n_rows: int | None = None) -> None:
        self.problems = problems.reset_index(drop=True)
        self.n_rows = n_rows
        n = len(self.problems)
        head = self.problems.head(20)
        lines = [
            f"{r.file}, row {r.row}, column {r.column!r}: {r.message} (got {r.value!r})"
            for r in head.itertuples(index=False)
        ]
        more = f"\n... and {n - len(head)} more (see .problems)" if n > len(head) else ""
        super().__init__(f"{n} problem(s) in the input:\n" + "\n".join(lines) + more)


class DefinitionError(ImpactkitError):
    """An instrument or scenario definition is malformed."""

    def __init__(self, message: str, *, source: str | None = None, key: str | None = None) -> None:
        self.source = source
        self.key = key
        where = ", ".join(p for p in (source, f"key {key!r}" if key else None) if p)
        super().__init__(f"{where}: {message}" if where else message)


class InstrumentError(DefinitionError):
    """An instrument definition (TOML, YAML or dict) is malformed."""


class ScenarioError(DefinitionError):
    """A cost scenario definition is malformed."""


class ConfigError(DefinitionError):
    """The mapping file (``impactkit.toml``) is malformed or names something that does not exist."""


class DesignError(ImpactkitError):
    """Valid data that cannot answer the question asked (e.g. no complete pairs)."""


class ParameterError(ImpactkitError):
    """A function argument outside its allowed values."""


class OutputError(ImpactkitError):
    """An output path that would overwrite an input (or another output), or a write that failed.

    Nothing is written when this is raised; a failed write leaves the previous file unchanged.
    """


class ImpactkitWarning(UserWarning):
    """Warnings issued by impactkit (always with ``stacklevel=2``)."""


def check_choice(name: str, func: str, value: Any, allowed: list[Any] | tuple[Any, ...]) -> None:
    """Raise :class:`ParameterError` unless ``value`` is one of ``allowed``.

    The message follows scikit-learn's template: "The 'x' parameter of f must be ... Got ... instead."
    """
    if value not in allowed:
        options = ", ".join(repr(a) for a in allowed)
        raise ParameterError(
            f"The {name!r} parameter of {func} must be one of {options}. Got {value!r} instead."
        )


class ImpactkitDeprecationWarning(ImpactkitWarning, FutureWarning):
    """A parameter or function is going away; the message names its replacement."""
