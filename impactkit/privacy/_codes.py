"""Code lists: every categorical column holds a code from a list, never free text.

A free-text cell in a categorical column ("Moeder Fatima E. (verslaafd), Dorpsstraat 12") would
otherwise become a row label of a published table.  So reading checks each categorical column
against its code list; a value that is not on the list is reported as a problem **without the
value** (it may be exactly the personal data that must not be printed) and nothing is analysed.

Code lists shipped here (a mapping file may add spellings or codes, see :func:`code_list`):

* ``household_type``, ``referral_source``, ``end_reason``, ``programme``, ``judged_by`` (below);
* ``municipality``: the 342 Dutch municipalities on 1 January 2025 (CBS, *Gemeentelijke indeling op
  1 januari 2025*), see :func:`municipalities`.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources

from impactkit.errors import ParameterError
from impactkit.instruments import normalise_label

__all__ = [
    "CODE_LISTS",
    "CodeList",
    "Municipalities",
    "code_list",
    "hidden_value",
    "municipalities",
]


def hidden_value(value: object) -> str:
    """What a problem shows instead of a value that may be personal data: its length only."""
    n = len(str(value))
    return f"(not shown: {n} character{'s' if n != 1 else ''})"


@dataclass(frozen=True)
class CodeList:
    """The codes a categorical column may hold, each with the spellings accepted for it.

    Attributes
    ----------
    name : str
        The column (``household_type``).
    codes : mapping of str to tuple of str
        Code -> accepted spellings (matched ignoring case, accents, spaces, ``_`` and ``-``).
    source : str
        Where the list comes from.
    ambiguous : mapping of str to tuple of str
        Spellings that could mean several codes (reported as ambiguous, never guessed).
    """

    name: str
    codes: Mapping[str, tuple[str, ...]]
    source: str = "impactkit"
    ambiguous: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @functools.cached_property
    def _lookup(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for code, spellings in self.codes.items():
            for s in (code, *spellings):
                out.setdefault(normalise_label(s), code)
        return out

    def match(self, value: object) -> str | None:
        """The code ``value`` stands for, or None when it is not on the list (or ambiguous)."""
        if value is None or value != value:
            return None
        key = normalise_label(value)
        if key in {normalise_label(a) for a in self.ambiguous}:
            return None
        return self._lookup.get(key)

    def expected(self, limit: int = 12) -> str:
        """The codes as a message lists them (the first ``limit``, then how many more)."""
        codes = list(self.codes)
        head = ", ".join(codes[:limit])
        return head if len(codes) <= limit else f"{head} … ({len(codes)} codes, see {self.source})"

    def extended(self, extra: Mapping[str, Iterable[str]]) -> CodeList:
        """This list with more codes or spellings (from a mapping file): ``{code: [spellings]}``."""
        codes = {c: tuple(s) for c, s in self.codes.items()}
        for code, spellings in extra.items():
            if isinstance(spellings, str):
                spellings = [spellings]
            codes[str(code)] = (*codes.get(str(code), ()), *(str(s) for s in spellings))
        return CodeList(self.name, codes, self.source, self.ambiguous)


_OWN = "impactkit's code list (the data dictionary, data/sample/README.md)"
CODE_LISTS: dict[str, CodeList] = {
    "household_type": CodeList(
        "household_type",
        {
            "single_parent": ("eenoudergezin", "alleenstaande ouder", "single parent", "een ouder gezin"),
            "newcomer": ("nieuwkomer", "statushouder", "vluchteling", "newcomers", "refugee"),
            "poverty": ("armoede", "schulden", "laag inkomen", "low income", "debt"),
            "parental_mental_illness": (
                "ouder met psychische problemen",
                "psychische problematiek ouder",
                "ggz ouder",
                "parental mental illness",
            ),
            "other_multi_problem": (
                "multiprobleem",
                "multi probleem",
                "overig",
                "anders",
                "other",
                "multi problem",
            ),
        },
        _OWN,
    ),
    "referral_source": CodeList(
        "referral_source",
        {
            "social_district_team": ("wijkteam", "sociaal wijkteam", "buurtteam", "district team"),
            "school": ("onderwijs", "leerkracht", "intern begeleider"),
            "youth_health_care": ("jgz", "consultatiebureau", "jeugdgezondheidszorg", "youth health"),
            "gp": ("huisarts", "poh ggz", "general practitioner", "doctor"),
            "social_work": ("maatschappelijk werk", "welzijn", "social worker"),
            "self_referral": ("zelf", "eigen aanmelding", "zelfmelder", "self", "family itself"),
            "youth_care": ("jeugdzorg", "jeugdhulp", "youth care"),
            "other": ("overig", "anders", "onbekend"),
        },
        _OWN,
    ),
    "end_reason": CodeList(
        "end_reason",
        {
            "completed": ("afgerond", "voltooid", "regulier beeindigd", "finished"),
            "dropped_out": ("uitgevallen", "voortijdig gestopt", "gestopt", "drop out", "dropout", "stopped"),
            "moved": ("verhuisd", "moved away"),
            "referred_on": ("doorverwezen", "verwezen", "referred", "referred on"),
        },
        _OWN,
    ),
    "programme": CodeList(
        "programme",
        {
            "Samen Oplopen": ("samenoplopen",),
            "Home-Start": ("homestart", "home start"),
            "Buurtgezinnen": ("buurtgezin",),
            "Steunouder": ("steunouders", "steungezin"),
            "Meeleefgezin": ("meeleefgezinnen",),
        },
        "the programmes of the informal-support collective (BRIEF §1); add yours in the mapping file",
    ),
    "judged_by": CodeList(
        "judged_by", {"referrer": ("verwijzer",), "coordinator": ("coördinator", "coordinator")}, _OWN
    ),
}


def code_list(name: str, extra: Mapping[str, Iterable[str]] | None = None) -> CodeList:
    """The shipped code list of column ``name``, extended with ``extra`` codes/spellings if given."""
    if name == "municipality":
        base = municipalities().code_list
    elif name in CODE_LISTS:
        base = CODE_LISTS[name]
    else:
        raise ParameterError(
            f"The 'name' parameter of code_list must be one of {sorted([*CODE_LISTS, 'municipality'])}. "
            f"Got {name!r} instead."
        )
    return base.extended(extra) if extra else base


# ----------------------------------------------------------------------------- municipalities
# names CBS writes with a province suffix, and the everyday forms users write
_EVERYDAY = {
    "Hengelo (O.)": ("Hengelo", "Hengelo (O)", "Hengelo Ov", "Hengelo Overijssel"),
    "Beek (L.)": ("Beek", "Beek (L)", "Beek Limburg"),
    "Laren (NH.)": ("Laren", "Laren (NH)", "Laren Noord-Holland"),
    "Rijswijk (ZH.)": ("Rijswijk", "Rijswijk (ZH)", "Rijswijk Zuid-Holland"),
    "Middelburg (Z.)": ("Middelburg", "Middelburg (Z)", "Middelburg Zeeland"),
    "Stein (L.)": ("Stein", "Stein (L)", "Stein Limburg"),
    "Bergen (NH.)": ("Bergen (NH)", "Bergen Noord-Holland", "Bergen NH"),
    "Bergen (L.)": ("Bergen (L)", "Bergen Limburg", "Bergen L"),
    "'s-Gravenhage": ("Den Haag", "The Hague", "s-Gravenhage", "Gravenhage"),
    "'s-Hertogenbosch": ("Den Bosch", "s-Hertogenbosch", "Hertogenbosch"),
    "Nuenen, Gerwen en Nederwetten": ("Nuenen", "Nuenen c.a.", "Nuenen ca"),
    "Súdwest-Fryslân": ("Sudwest Fryslan", "Zuidwest Friesland"),
    "Noardeast-Fryslân": ("Noardeast Fryslan", "Noordoost Friesland"),
}


@dataclass(frozen=True)
class Municipalities:
    """The CBS list of Dutch municipalities of one year: ``code`` (GM0363) and ``name``.

    Attributes
    ----------
    year : int
    source : str
    codes : tuple of str
    names : tuple of str
    """

    year: int
    source: str
    codes: tuple[str, ...]
    names: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.codes)

    @functools.cached_property
    def code_list(self) -> CodeList:
        """Names as codes; accepted spellings: the GM code, its four digits, everyday names."""
        codes: dict[str, tuple[str, ...]] = {}
        for code, name in zip(self.codes, self.names, strict=True):
            codes[name] = (code, code[2:], str(int(code[2:])), *_EVERYDAY.get(name, ()))
        return CodeList(
            "municipality",
            codes,
            f"CBS, Gemeentelijke indeling op 1 januari {self.year} ({len(self.codes)} municipalities)",
            ambiguous={"Bergen": ("Bergen (L.)", "Bergen (NH.)")},
        )

    def name_of(self, value: object) -> str | None:
        """The CBS name of a municipality written as a name, an everyday name or a code."""
        return self.code_list.match(value)

    def code_of(self, value: object) -> str | None:
        name = self.name_of(value)
        return None if name is None else self.codes[self.names.index(name)]


@functools.cache
def municipalities(year: int = 2025) -> Municipalities:
    """The Dutch municipalities on 1 January ``year`` (shipped: 2025).

    Source: CBS, *Gemeentelijke indeling op 1 januari 2025* (342 municipalities), as published by
    CBS and Kadaster in the PDOK "CBS gebiedsindelingen" (``statcode``, ``statnaam``; see
    ``impactkit/privacy/data/README.md``).

    >>> m = municipalities()
    >>> len(m), m.year, m.name_of("Den Haag"), m.code_of("Arnhem")
    (342, 2025, "'s-Gravenhage", 'GM0202')
    """
    if year != 2025:
        raise ParameterError(
            f"The 'year' parameter of municipalities must be 2025 (the shipped CBS list). Got {year!r} instead."
        )
    ref = resources.files("impactkit.privacy") / "data" / f"gemeenten_{year}.csv"
    rows = list(csv.DictReader(io.StringIO(ref.read_text(encoding="utf-8"))))
    return Municipalities(
        year,
        f"CBS, Gemeentelijke indeling op 1 januari {year}",
        tuple(r["code"] for r in rows),
        tuple(r["name"] for r in rows),
    )
