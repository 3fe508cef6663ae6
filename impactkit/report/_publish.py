"""Published values: every number a report prints, draws or writes to a spreadsheet.

A report never holds a bare number for the reader.  It holds a :class:`Value`: the number and the
populations of the release it rests on (the families of Ede measured in year 1; the newcomers of
the funder report...).  A :class:`Value` has no text of its own: ``str()``, ``format()``,
``float()`` and comparisons raise :class:`TypeError`.  The only ways out are the
:class:`Publisher` of the report (``pub.text``: the formatted number or the suppression marker;
``pub.number``: the number rounded as the report prints it, NaN when suppressed, for charts and
spreadsheets) and the :class:`PublishedFormatter` the section builders format with (the
:class:`~impactkit.i18n.Formatter` methods, for :class:`Value` only).  Whether a value may be
shown is decided once for the whole release (:func:`impactkit.privacy.protect`), so prose,
captions, key figures, charts, tables and Excel show the same thing.

The raw number stays reachable in Python as :meth:`Publisher.raw` (for decisions such as "which
domain improved most", never for output); templates receive strings only.

Population keys are ``"<scope>/<table>/<row>"``; the publisher prefixes the scope (``funder``,
``municipality:Ede``, ``programme:Home-Start``), so the same key in two languages is one
population.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from impactkit.i18n import MISSING, Formatter
from impactkit.privacy import PRIMARY, PUBLISHED, SECONDARY, WITHHELD, Ledger
from impactkit.privacy._disclosure import FamilyIds

__all__ = ["DECIMALS", "Published", "PublishedFormatter", "Publisher", "Value", "marker", "take"]

SECONDARY_MARK = "x"

# A published Value as the type checker sees it: report frames hold Values in their cells and
# pandas-stubs cannot type a custom scalar there.  Every function taking one checks at run time
# (a bare number raises TypeError), so nothing unsuppressed gets through untyped.
Published = Any

# decimals a kind of number is printed with (and rounded to in charts and spreadsheets)
DECIMALS = {
    "count": 0,
    "integer": 0,
    "number0": 0,
    "number1": 1,
    "number2": 2,
    "number3": 3,
    "signed2": 2,
    "general": 4,
    "money": 0,
    "share": 2,  # a share of 0.257 prints as 26%: two decimals of the fraction
    "share1": 3,
    "probability": 2,
    "p": 3,
    "months": 0,
}


def marker(status: str, k: int) -> str:
    """The text a suppressed value shows: ``"<k"`` (primary), ``"x"`` (secondary), ``"–"``
    (withheld: a whole split the release publishes nothing of, not even which part is small),
    else ``""``."""
    if status == PRIMARY:
        return f"<{k}"
    if status == SECONDARY:
        return SECONDARY_MARK
    if status == WITHHELD:
        return MISSING
    return ""


def _refuse(*_: Any) -> Any:
    raise TypeError(
        "A published Value has no text or number of its own: write it with the report's "
        "Publisher (pub.text / pub.number) or PublishedFormatter, which apply suppression."
    )


class Value:
    """A number a report publishes, with the populations it rests on.

    Arithmetic between values gives a value resting on both (a share = part / whole).  Anything
    that would turn it into text or a plain number raises :class:`TypeError`.
    """

    __slots__ = ("_rests", "_x")

    def __init__(self, x: Any, rests: Iterable[str] = ()) -> None:
        if isinstance(x, Value):
            self._x: float = x._x
            self._rests: frozenset[str] = x._rests | frozenset(rests)
            return
        self._x = np.nan if x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x)) else float(x)
        self._rests = frozenset(rests)

    @property
    def rests(self) -> frozenset[str]:
        return self._rests

    def __repr__(self) -> str:
        return f"<Value on {len(self._rests)} populations>"

    __str__ = _refuse
    __format__ = _refuse
    __float__ = _refuse
    __int__ = _refuse
    __index__ = _refuse
    __bool__ = _refuse
    __lt__ = _refuse
    __le__ = _refuse
    __gt__ = _refuse
    __ge__ = _refuse
    __round__ = _refuse
    __hash__ = object.__hash__

    def _op(self, other: Any, f: Any) -> Value:
        if isinstance(other, Value):
            return Value(f(self._x, other._x), self._rests | other._rests)
        if isinstance(other, int | float | np.integer | np.floating):
            return Value(f(self._x, float(other)), self._rests)
        return NotImplemented

    def __add__(self, o: Any) -> Value:
        return self._op(o, lambda a, b: a + b)

    __radd__ = __add__

    def __sub__(self, o: Any) -> Value:
        return self._op(o, lambda a, b: a - b)

    def __rsub__(self, o: Any) -> Value:
        return self._op(o, lambda a, b: b - a)

    def __mul__(self, o: Any) -> Value:
        return self._op(o, lambda a, b: a * b)

    __rmul__ = __mul__

    def __truediv__(self, o: Any) -> Value:
        return self._op(o, lambda a, b: a / b if b else np.nan)

    def __neg__(self) -> Value:
        return Value(-self._x, self._rests)


def _as_number(x: Any) -> float:
    if isinstance(x, Value):
        return x._x
    raise TypeError(f"Expected a published Value, got {type(x).__name__}: {_refuse.__name__}")


class Publisher:
    """Declares a report's populations in the release ledger and writes its values.

    Parameters
    ----------
    ledger : Ledger
        The release's ledger (one for every report of the release).
    scope : str
        The report's scope key (``"funder"``, ``"municipality:Ede"``...).
    k : int
    fmt : Formatter
    protected : bool
        Whether the ledger has been protected (statuses are final); before, every value reads as
        published (the first, collecting pass).
    """

    def __init__(
        self,
        ledger: Ledger,
        scope: str,
        k: int,
        fmt: Formatter,
        *,
        protected: bool = False,
        kind: str | None = None,
        group: str | None = None,
        ranges: Any = None,
    ) -> None:
        self.ledger = ledger
        # key -> (low, high): what the whole release lets a reader derive of a population's count
        # (the audit's :meth:`~impactkit.privacy.Audit.count_range`); None before protection
        self.ranges = ranges
        self.scope = scope
        self.k = k
        self.fmt = fmt
        self.protected = protected
        # breakdown rows of one dimension in reports of one kind are disjoint: dims are per kind
        self.kind = kind or scope.split(":", 1)[0]
        # the group of families the report describes (measured populations of one group differ
        # only by missing scores)
        self.group = group or scope

    # ------------------------------------------------------------------ populations
    def key(self, *parts: object) -> str:
        return "/".join([self.scope, *(str(p) for p in parts)])

    def count(
        self,
        parts: str | Sequence[object],
        members: Iterable[object],
        *,
        dim: str = "",
        label: str = "",
        cost: float = 1.0,
        stats: Sequence[str] = (),
        scope: bool = False,
        measured: bool = False,
    ) -> Published:
        """Declare the population ``parts`` (under this scope) and return its count of families.

        ``dim`` names the breakdown it is a row of (rows of one ``dim`` in one table are disjoint);
        the ledger qualifies it with the scope's kind so that the same breakdown in the reports of
        one kind forms the subgroups of the report above them.  ``measured``: a population defined
        by who has a score (measured at a wave, complete pairs, every wave): differences between
        these count missing scores, not a group of families (see ``Population.base``).
        """
        key = self.key(*((parts,) if isinstance(parts, str) else parts))
        if key in self.ledger:  # declared before (the rendering pass): only its stats may be new
            self.ledger.add(key, (), stats=stats)
            return Value(self.ledger.distinct(members), {key})
        pop = self.ledger.add(
            key, members, stats=stats, dim=f"{dim}@{self.kind}" if dim else "", cost=cost, label=label or key,
            scope=scope, base=f"{self.group}:measured" if measured else "",
        )  # fmt: skip
        return Value(pop.n, {key})

    def ids(self, column: Iterable[object]) -> FamilyIds:
        """The family ids of a column (a frame's ``family_id``) as text with their codes in the
        release's ledger, looked up once: its rows selected with ``.where(mask)`` (or
        :func:`take`) are declared as integers, not looked up as text per population (at 100,000
        families each lookup hashed the ledger's 100,000 ids again)."""
        return self.ledger.family_ids_of(column)

    def on(self, base: Published, x: Any, stats: Sequence[str] = ()) -> Published:
        """A value computed on the families ``base`` counts (a mean, an SD, a median): it rests on
        the same populations, which publish the sums of ``stats``."""
        for key in base.rests:
            self.ledger.add(key, (), stats=stats)
        return Value(x, base.rests)

    def derived(self, x: Any, *on: Published) -> Published:
        """A value computed from published values (a CI, a p-value, a difference)."""
        rests: frozenset[str] = frozenset()
        for v in on:
            rests |= v.rests
        return Value(x, rests)

    def const(self, x: Any) -> Published:
        """A number that describes no family (an assumption, a price, k, a year)."""
        return Value(x)

    def consts(self, values: Iterable[Any]) -> list[Published]:
        return [Value(x) for x in values]

    # ----------------------------------------------------------------- statuses
    def status(self, *values: Published) -> str:
        """``""``, ``"withheld"`` (a split the release publishes nothing of), ``"primary"`` (rests
        on fewer than k) or ``"secondary"`` for the values together, in that precedence.  Any
        other status a ledger may hold counts as hidden (secondary), never as published."""
        if not self.protected:
            return PUBLISHED
        found = set()
        for v in values:
            if not isinstance(v, Value):
                raise TypeError(f"status() takes published Values, got {type(v).__name__}")
            for key in v.rests:
                found.add(self.ledger.status(key))
        for s in (WITHHELD, PRIMARY, SECONDARY):
            if s in found:
                return s
        return SECONDARY if found - {PUBLISHED} else PUBLISHED

    def range(self, count: Published) -> tuple[float, float] | None:
        """The range of a count (a value resting on one population) that everything published
        implies, as the release's audit computes it; None when unknown (not protected yet, no
        audit, or not a single population's count).  For bounds of hidden cells (report/_bounds)."""
        if not isinstance(count, Value):
            raise TypeError(f"range() takes a published Value, got {type(count).__name__}")
        if not self.protected or self.ranges is None or len(count.rests) != 1:
            return None
        got = self.ranges(next(iter(count.rests)))  # None: a published population
        return None if got is None else (float(got[0]), float(got[1]))

    def shown(self, *values: Published) -> bool:
        return self.status(*values) == PUBLISHED

    def raw(self, v: Published) -> float:
        """The unrounded number, for decisions only (which domain is best): never print it."""
        return _as_number(v)

    def number(self, v: Published, kind: str = "number2") -> float:
        """The number as published: rounded as ``kind`` prints it, NaN when suppressed."""
        x = _as_number(v)
        if not self.shown(v) or not math.isfinite(x):
            return np.nan if not self.shown(v) else x
        return round(x, DECIMALS.get(kind.removeprefix("ci:"), 2))

    def numbers(self, values: Iterable[Published], kind: str = "number2") -> list[float]:
        return [self.number(v, kind) for v in values]

    def text(self, v: Published, kind: str = "number2") -> str:
        """The value as the report prints it, or its marker when suppressed."""
        st = self.status(v)
        if st:
            return marker(st, self.k)
        return _format(self.fmt, kind, _as_number(v))


def _format(f: Formatter, kind: str, x: float) -> str:
    kind = kind.removeprefix("ci:")
    if kind in ("count", "integer", "number0"):
        return f.integer(x)
    if kind.startswith("number"):
        return f.number(x, int(kind[6:] or 1))
    if kind == "signed2":
        return f.signed(x, 2)
    if kind == "general":
        return f.general(x)
    if kind == "money":
        return f.currency(x)
    if kind == "share":
        return f.percent(x)
    if kind == "share1":
        return f.percent(x, 1)
    if kind == "probability":
        return f.probability(x)
    if kind == "p":
        return f.p_value(x)
    if kind == "months":
        return f.months(x)
    if kind == "text":
        return MISSING if x != x else str(x)
    raise ValueError(f"unknown kind of number {kind!r}")


class PublishedFormatter:
    """The :class:`~impactkit.i18n.Formatter` of a report, for published values only.

    Each method takes :class:`Value` objects and returns the suppression marker when any of them
    is suppressed; a bare number raises :class:`TypeError`.  ``text`` refuses bare numbers too.
    """

    def __init__(self, pub: Publisher) -> None:
        self.pub = pub
        self.base = pub.fmt

    @property
    def lang(self) -> str:
        return self.base.lang

    @property
    def separators(self) -> str:
        return self.base.separators

    def _one(self, v: Published, fn: Any) -> str:
        st = self.pub.status(v)
        return marker(st, self.pub.k) if st else fn(_as_number(v))

    def number(self, v: Published, decimals: int = 1) -> str:
        return self._one(v, lambda x: self.base.number(x, decimals))

    def integer(self, v: Published) -> str:
        return self._one(v, self.base.integer)

    def general(self, v: Published) -> str:
        return self._one(v, self.base.general)

    def signed(self, v: Published, decimals: int = 2) -> str:
        return self._one(v, lambda x: self.base.signed(x, decimals))

    def currency(self, v: Published, decimals: int = 0) -> str:
        return self._one(v, lambda x: self.base.currency(x, decimals))

    def percent(self, v: Published, decimals: int = 0) -> str:
        return self._one(v, lambda x: self.base.percent(x, decimals))

    def probability(self, v: Published) -> str:
        return self._one(v, self.base.probability)

    def p_value(self, v: Published) -> str:
        return self._one(v, self.base.p_value)

    def months(self, v: Published) -> str:
        return self._one(v, self.base.months)

    def ci(self, low: Published, high: Published, decimals: int = 2, *, money: bool = False) -> str:
        st = self.pub.status(low, high)
        if st:
            return marker(st, self.pub.k)
        return self.base.ci(_as_number(low), _as_number(high), decimals, money=money)

    def date(self, d: Any) -> str:
        """A date as the report may print it: the month and year only (``november 2026``)."""
        return month(self.base, d)

    def text(self, key: str, **values: Any) -> str:
        return self.base.text(key, **_checked(key, values))

    def text_of(self, catalogue: str, key: str, **values: Any) -> str:
        return self.base.text_of(catalogue, key, **_checked(key, values))


def _checked(key: str, values: dict[str, Any]) -> dict[str, Any]:
    for name, v in values.items():
        if isinstance(v, Value) or (isinstance(v, int | float | np.number) and not isinstance(v, bool)):
            raise TypeError(
                f"Text {key!r}: placeholder {name!r} got a number; format it with the report's "
                "PublishedFormatter (a Value) or pass a string of a constant."
            )
    return values


def month(f: Formatter, d: Any) -> str:
    """``november 2026`` / ``November 2026``: the finest date a report publishes."""
    import datetime as dt

    from babel.dates import format_date

    from impactkit.i18n._format import is_missing

    if is_missing(d):
        return MISSING
    if isinstance(d, str):
        d = dt.date.fromisoformat(d[:10])
    if isinstance(d, pd.Timestamp | dt.datetime):
        d = d.date()
    return format_date(d, format="LLLL yyyy", locale=f.locale)


def take(ids: FamilyIds, positions: np.ndarray) -> FamilyIds:
    """The ids at ``positions`` with their codes (:meth:`Publisher.ids`)."""
    at = np.asarray(positions, dtype=np.intp)
    codes = None if ids.codes is None else ids.codes[at]
    return FamilyIds(np.asarray(ids)[at], codes, ids.ledger)
