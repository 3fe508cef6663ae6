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

Errors carry structure besides their text, so that a client can show them its own way:
``ParameterError.parameter`` names the parameter at fault, ``ImpactkitError.message_key``/``message_values`` name the
message so that it can be shown in another language (:func:`impactkit.errors.text`), and a message
that tells the user what to pass says it with :func:`option`, which a client renders in its own terms
(``ignore_columns=['Opmerking']`` in Python, ``--ignore-column Opmerking`` on the command line)::

    >>> from impactkit.errors import option, options_rendered_by
    >>> str(option("ignore_columns", "Opmerking"))
    "ignore_columns=['Opmerking']"
    >>> with options_rendered_by(lambda h: f"--ignore-column {h.value}"):
    ...     str(option("ignore_columns", "Opmerking"))
    '--ignore-column Opmerking'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Self

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
    "Option",
    "OutputError",
    "ParameterError",
    "ScenarioError",
    "ValidationError",
    "check_choice",
    "option",
    "options_rendered_by",
]

PROBLEM_COLUMNS = ["file", "row", "column", "value", "message"]


class ImpactkitError(ValueError):
    """Base class of every error impactkit raises on purpose.

    Attributes
    ----------
    message_key : str or None
        The message's key among impactkit's refusal texts (None: the message exists in English only).
    message_values : dict
        The values the message was made from (to show it in another language).
    """

    message_key: str | None = None
    message_values: dict[str, Any]

    def __init__(
        self, *args: Any, message_key: str | None = None, message_values: dict[str, Any] | None = None
    ) -> None:
        super().__init__(*args)
        self.message_key = message_key
        self.message_values = dict(message_values or {})

    @classmethod
    def of(cls, key: str, /, **values: Any) -> ImpactkitError:
        """The error whose message is refusal text ``key`` (English), keeping key and values."""
        from impactkit._refusals import refusal

        return cls(refusal(key, "en", **values), message_key=key, message_values=values)

    def text(self, lang: str = "en") -> str:
        """The message in ``lang`` when it has a translation, else as raised."""
        if self.message_key is None or lang == "en":
            return str(self)
        from impactkit._refusals import refusal

        return refusal(self.message_key, lang, **self.message_values)


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
        super().__init__(self._where(message, "en"))

    @classmethod
    def at(
        cls, message_key: str, /, *, source: str | None = None, key: str | None = None, **values: Any
    ) -> Self:
        """The error whose message is refusal text ``message_key`` (English) about ``key`` of the
        file ``source``; :meth:`text` shows it in another language (the command line's ``--lang``)."""
        from impactkit._refusals import refusal

        err = cls(refusal(message_key, "en", **values), source=source, key=key)
        err.message_key, err.message_values = message_key, dict(values)
        return err

    def _where(self, message: str, lang: str) -> str:
        from impactkit._refusals import refusal

        at_key = refusal("at_key", lang, key=repr(self.key)) if self.key else None
        where = ", ".join(p for p in (self.source, at_key) if p)
        return f"{where}: {message}" if where else message

    def text(self, lang: str = "en") -> str:
        """The message in ``lang`` (file, key and text) when it has a translation, else as raised."""
        if self.message_key is None or lang == "en":
            return str(self)
        from impactkit._refusals import refusal

        return self._where(refusal(self.message_key, lang, **self.message_values), lang)


class InstrumentError(DefinitionError):
    """An instrument definition (TOML, YAML or dict) is malformed."""


class ScenarioError(DefinitionError):
    """A cost scenario definition is malformed."""


class ConfigError(DefinitionError):
    """The mapping file (``impactkit.toml``) is malformed or names something that does not exist."""


class DesignError(ImpactkitError):
    """Valid data that cannot answer the question asked (e.g. no complete pairs)."""


_TEMPLATE = re.compile(r"^The '(?P<parameter>\w+)' parameter (?:of (?P<func>[\w.]+) )?")


class ParameterError(ImpactkitError):
    """A function argument outside its allowed values.

    Attributes
    ----------
    parameter, func : str or None
        The parameter at fault and the function it belongs to (read from the message when it follows
        the template "The 'x' parameter of f must be ...").
    """

    def __init__(
        self,
        *args: Any,
        parameter: str | None = None,
        func: str | None = None,
        message_key: str | None = None,
        message_values: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(*args, message_key=message_key, message_values=message_values)
        found = _TEMPLATE.match(str(args[0])) if args else None
        self.parameter = parameter or (found["parameter"] if found else None)
        self.func = func or (found["func"] if found else None)

    @property
    def detail(self) -> str:
        """The message without its opening "The 'x' parameter of f" (what must hold instead)."""
        found = _TEMPLATE.match(str(self))
        return str(self)[found.end() :] if found else str(self)


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


class Option:
    """A structured hint: what to pass to fix a problem (a parameter and, optionally, its value).

    ``str(option)`` renders it with the renderer in effect (:func:`options_rendered_by`); by default
    as Python: ``ignore_columns=['Opmerking']``, ``allow_personal_data=True``, ``'domains'``.
    """

    __slots__ = ("many", "parameter", "value")

    def __init__(self, parameter: str, value: Any = None, *, many: bool = False) -> None:
        self.parameter, self.value, self.many = parameter, value, many

    def python(self) -> str:
        if self.value is None:
            return f"{self.parameter}=[...]" if self.many else repr(self.parameter)
        value = [self.value] if self.many and not isinstance(self.value, list | tuple) else self.value
        return f"{self.parameter}={list(value) if self.many else value!r}"

    def __str__(self) -> str:
        render = _renderer.get()
        shown = render(self) if render is not None else None
        return shown if shown is not None else self.python()

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __repr__(self) -> str:
        return f"Option({self.parameter!r}, {self.value!r})"


OptionRenderer = Callable[[Option], "str | None"]
_renderer: ContextVar[OptionRenderer | None] = ContextVar("impactkit_option_renderer", default=None)


def option(parameter: str, value: Any = None, *, many: bool | None = None) -> Option:
    """The hint "pass ``parameter`` (= ``value``)"; ``many`` for list parameters (default: name ends in s)."""
    return Option(parameter, value, many=parameter.endswith("s") if many is None else many)


@contextmanager
def options_rendered_by(render: OptionRenderer | None) -> Iterator[None]:
    """Render every :class:`Option` made into a message inside the block with ``render``.

    ``render`` returns the text for a hint, or None to fall back to the Python spelling.
    """
    token = _renderer.set(render)
    try:
        yield
    finally:
        _renderer.reset(token)
