"""The :class:`Instrument`: domains, scale, waves, items and reliabilities of an assessment.

An instrument is configuration, never code: impactkit ships three (see :func:`builtin`) and users
bring their own as a TOML or YAML file or a dict.  The minimal complete definition is::

    {"id": "panel", "domains": [{"id": "housing"}], "scale": {"min": 1, "max": 10},
     "waves": [{"id": "intake"}, {"id": "year1"}]}

Labels default to ids; every other key is optional.
"""

from __future__ import annotations

import math
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from impactkit.errors import InstrumentError, ParameterError

__all__ = ["Domain", "Instrument", "Item", "Level", "Scale", "Wave", "builtin", "normalise_label"]

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
BUILTIN = ("default", "zrm2017", "agreement35")


def normalise_label(text: object) -> str:
    """Fold a header or label for matching: case, accents, spaces, ``_``/``-`` and a BOM ignored."""
    s = unicodedata.normalize("NFKD", str(text).replace("\ufeff", ""))
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = re.sub(r"[\s_\-./]+", " ", s)
    return s.strip()


@dataclass(frozen=True)
class Level:
    """One point of the scale with its Dutch and English label."""

    value: int
    label_nl: str
    label_en: str

    def label(self, lang: str = "en") -> str:
        return self.label_nl if lang == "nl" else self.label_en


@dataclass(frozen=True)
class Scale:
    """The response scale: range, integer or not, direction and level labels."""

    min: float
    max: float
    integer: bool = True
    higher_is_better: bool = True
    levels: tuple[Level, ...] = ()
    report_mark: bool = False

    def level_label(self, value: int, lang: str = "en") -> str:
        for lv in self.levels:
            if lv.value == value:
                return lv.label(lang)
        return str(value)

    def level_text(self, value: int, lang: str = "en") -> str:
        """ "3 Beperkt zelfredzaam" when the level has a label, else just "3" (never "3 3")."""
        for lv in self.levels:
            if lv.value == value and lv.label(lang) != str(value):
                return f"{value} {lv.label(lang)}"
        return str(value)

    @property
    def values(self) -> tuple[int, ...]:
        """The integer levels of the scale, ``min`` to ``max``."""
        return tuple(range(int(self.min), int(self.max) + 1))


@dataclass(frozen=True)
class Domain:
    """A life domain: id, labels, accepted header aliases, reliability and direction.

    ``higher_is_better`` (None: the scale's) says which way is better on this domain, e.g. False
    for a "parental load" domain on a scale where a high mark is otherwise good; ``sufficient``
    (None: the instrument's, mirrored for a lower-is-better domain) is the threshold of "sufficient".
    """

    id: str
    label_nl: str
    label_en: str
    aliases: tuple[str, ...] = ()
    reliability: float | None = None
    higher_is_better: bool | None = None
    sufficient: float | None = None
    reliability_placeholder: bool = False  # the reliability is an assumed placeholder, not an estimate

    def label(self, lang: str = "en") -> str:
        return self.label_nl if lang == "nl" else self.label_en


@dataclass(frozen=True)
class Wave:
    """A measurement moment; ``aliases`` are labels an export may use ("Jaar 1", "T1")."""

    id: str
    label_nl: str
    label_en: str
    aliases: tuple[str, ...] = ()

    def label(self, lang: str = "en") -> str:
        return self.label_nl if lang == "nl" else self.label_en


@dataclass(frozen=True)
class Item:
    """A questionnaire item scored into a domain (``reverse``: scored as min + max - answer)."""

    id: str
    domain: str
    reverse: bool = False
    text_nl: str = ""
    text_en: str = ""


@dataclass(frozen=True)
class Instrument:
    """An assessment instrument.

    Build one with :meth:`from_dict`, :meth:`from_file` or :func:`builtin`; the constructor does
    not validate.

    Attributes
    ----------
    id, name_nl, name_en : str
    domains : tuple of Domain
    scale : Scale
    waves : tuple of Wave, in their order (the first is the baseline)
    sufficient : float or None
        The lowest score that counts as "sufficient" (e.g. 4, "voldoende zelfredzaam").
    items : tuple of Item
        Optional item-to-domain scoring; a domain score is the mean of its answered items.
    min_share_answered : float
        Share of a domain's items that must be answered for a domain score (else missing).
    reliability_source : str
        Where the reliabilities come from, shown in reports (``reliability_source_nl``: in Dutch;
        :meth:`reliability_source_in` picks the language).  ``reliability_placeholder = true``
        (top level, or per domain) marks a reliability that is an assumption rather than an
        estimate; analyses name it wherever it is used.
    source : str
        The file or "builtin:<id>" the instrument came from.
    """

    id: str
    domains: tuple[Domain, ...]
    scale: Scale
    waves: tuple[Wave, ...]
    name_nl: str = ""
    name_en: str = ""
    sufficient: float | None = None
    items: tuple[Item, ...] = ()
    min_share_answered: float = 0.5
    reliability_source: str = ""
    description: str = ""
    reliability_source_nl: str = ""
    source: str = "<dict>"
    omitted_domains: tuple[str, ...] = ()  # domains left out by :meth:`subset` (never scored in the data)
    omitted_waves: tuple[str, ...] = ()  # waves left out by :meth:`subset` (never measured)
    omitted_labels: tuple[tuple[str, str, str], ...] = ()  # (id, label_nl, label_en) of what was left out
    _lookup: dict[str, dict[str, str]] = field(default_factory=dict, repr=False, compare=False)

    def __deepcopy__(self, memo: dict[int, Any]) -> Instrument:
        """The instrument itself: it is immutable (frozen; ``_lookup`` is built once from the rest).

        pandas deep-copies a frame's ``attrs`` after nearly every operation (``__finalize__``), and
        an assessments frame carries its instrument there: the sample report made 315,000 deepcopy
        calls of its domains, levels and labels in the release's collecting pass alone."""
        return self

    # ----------------------------------------------------------------- lookups
    @property
    def domain_ids(self) -> list[str]:
        return [d.id for d in self.domains]

    @property
    def wave_ids(self) -> list[str]:
        return [w.id for w in self.waves]

    @property
    def item_ids(self) -> list[str]:
        return [i.id for i in self.items]

    def domain(self, domain_id: str) -> Domain:
        for d in self.domains:
            if d.id == domain_id:
                return d
        raise ParameterError(
            f"The 'domain' parameter must be one of {self.domain_ids}. Got {domain_id!r} instead."
        )

    def waves_in_words(self, text: Any) -> Any:
        """``text(label)`` (label: a wave id -> its label) in every language, as a note value
        (:class:`impactkit.i18n.Words`): ``waves_in_words(lambda w: f"{w('intake')} → {w('year1')}")``."""
        from impactkit.i18n import Words, languages

        def label_in(lang: str) -> Any:
            return lambda wid: self.wave_label(wid, lang) if wid in self.wave_ids else str(wid)

        return Words({lang: text(label_in(lang)) for lang in languages()})

    def reliability_source_in(self, lang: str = "en") -> str:
        """Where the reliabilities come from, in ``lang`` (``reliability_source_nl`` for Dutch when
        given, else the English or plain text)."""
        return (self.reliability_source_nl if lang == "nl" else "") or self.reliability_source

    def name_in(self, lang: str = "en") -> str:
        return self.name_nl if lang == "nl" else self.name_en

    def domain_label(self, domain_id: str, lang: str = "en") -> str:
        return self.domain(domain_id).label(lang)

    def wave_label(self, wave_id: str, lang: str = "en") -> str:
        for w in self.waves:
            if w.id == wave_id:
                return w.label(lang)
        return str(wave_id)

    def reliability(self, domain_id: str) -> float | None:
        return self.domain(domain_id).reliability

    def reliability_is_placeholder(self, domain_id: str) -> bool:
        """True when the domain's reliability is an assumed placeholder (``reliability_placeholder``)."""
        return self.domain(domain_id).reliability_placeholder

    def higher_is_better(self, domain_id: str) -> bool:
        """Whether a higher score is better on ``domain_id`` (the domain's direction, else the scale's)."""
        d = self.domain(domain_id)
        return self.scale.higher_is_better if d.higher_is_better is None else d.higher_is_better

    def direction(self, domain_id: str) -> int:
        """+1 where a higher score is better, -1 where a lower score is better."""
        return 1 if self.higher_is_better(domain_id) else -1

    def sufficient_for(self, domain_id: str) -> float | None:
        """The "sufficient" threshold on ``domain_id``: at or above it (at or below it where lower is
        better).  A domain's own threshold wins; else the instrument's, mirrored (min + max − t) on a
        domain whose direction differs from the scale's."""
        d = self.domain(domain_id)
        if d.sufficient is not None:
            return d.sufficient
        if self.sufficient is None:
            return None
        if self.higher_is_better(domain_id) == self.scale.higher_is_better:
            return self.sufficient
        return self.scale.min + self.scale.max - self.sufficient

    def is_sufficient(self, domain_id: str, scores: Any) -> Any:
        """Elementwise: score at or past the domain's sufficient threshold (False for NaN)."""
        import numpy as np

        t = self.sufficient_for(domain_id)
        x = np.asarray(scores, dtype=float)
        if t is None:
            return np.zeros(x.shape, dtype=bool)
        return x >= t if self.higher_is_better(domain_id) else x <= t

    @property
    def lower_is_better_domains(self) -> list[str]:
        return [d.id for d in self.domains if not self.higher_is_better(d.id)]

    def level_text(self, value: int, lang: str = "en") -> str:
        """A level as shown to readers: the number and its label, or the number alone (no labels)."""
        return self.scale.level_text(value, lang)

    def subset(
        self, *, domains: Iterable[str] | None = None, waves: Iterable[str] | None = None
    ) -> Instrument:
        """The same instrument restricted to some domains and waves (order kept, id kept)."""
        import dataclasses

        keep_d = set(self.domain_ids if domains is None else domains)
        keep_w = set(self.wave_ids if waves is None else waves)
        out = dataclasses.replace(
            self,
            domains=tuple(d for d in self.domains if d.id in keep_d),
            waves=tuple(w for w in self.waves if w.id in keep_w),
            items=tuple(i for i in self.items if i.domain in keep_d),
            omitted_domains=(*self.omitted_domains, *(d.id for d in self.domains if d.id not in keep_d)),
            omitted_waves=(*self.omitted_waves, *(w.id for w in self.waves if w.id not in keep_w)),
            omitted_labels=(
                *self.omitted_labels,
                *((d.id, d.label_nl, d.label_en) for d in self.domains if d.id not in keep_d),
                *((w.id, w.label_nl, w.label_en) for w in self.waves if w.id not in keep_w),
            ),
            _lookup={},
        )
        out._lookup.update(_build_lookup(out, out.source))
        return out

    def omitted_label(self, item_id: str, lang: str = "en") -> str:
        """The label of a domain or wave :meth:`subset` left out."""
        for iid, nl, en in self.omitted_labels:
            if iid == item_id:
                return nl if lang == "nl" else en
        return item_id

    def with_aliases(
        self,
        *,
        waves: Mapping[str, Iterable[str]] | None = None,
        domains: Mapping[str, Iterable[str]] | None = None,
    ) -> Instrument:
        """The same instrument accepting more spellings of its waves and domains (ids must exist)."""
        import dataclasses

        for kind, extra, ids in (("wave", waves, self.wave_ids), ("domain", domains, self.domain_ids)):
            unknown = sorted(set(extra or {}) - set(ids))
            if unknown:
                raise ParameterError(
                    f"The {kind + 's'!r} parameter of with_aliases names {kind}(s) {unknown} that instrument "
                    f"{self.id!r} does not have; its {kind}s: {', '.join(ids)}."
                )
        out = dataclasses.replace(
            self,
            waves=tuple(
                dataclasses.replace(w, aliases=(*w.aliases, *(waves or {}).get(w.id, ()))) for w in self.waves
            ),
            domains=tuple(
                dataclasses.replace(d, aliases=(*d.aliases, *(domains or {}).get(d.id, ())))
                for d in self.domains
            ),
            _lookup={},
        )
        out._lookup.update(_build_lookup(out, out.source))
        return out

    def match_domain(self, text: object) -> str | None:
        """The domain id a header or value refers to (id, Dutch or English label, alias)."""
        return self._lookup.get("domain", {}).get(normalise_label(text))

    def match_wave(self, text: object) -> str | None:
        """The wave id a cell refers to (id, label or alias such as "Jaar 1" or "T0")."""
        return self._lookup.get("wave", {}).get(normalise_label(text))

    def _repr_html_(self) -> str:
        from html import escape

        rows = "".join(
            f"<tr><td><code>{escape(d.id)}</code></td><td>{escape(d.label_nl)}</td>"
            f"<td>{escape(d.label_en)}</td><td>{'' if d.reliability is None else d.reliability}</td></tr>"
            for d in self.domains
        )
        waves = ", ".join(escape(w.id) for w in self.waves)
        return (
            f"<div><strong>Instrument {escape(self.id)}</strong> ({escape(self.name_en or self.id)}): "
            f"scale {self.scale.min:g}–{self.scale.max:g}, waves {waves}"
            f"{'' if self.sufficient is None else f', sufficient ≥ {self.sufficient:g}'}"
            f"{f', {len(self.items)} items' if self.items else ''}"
            "<table><thead><tr><th>id</th><th>nl</th><th>en</th><th>reliability</th></tr></thead>"
            f"<tbody>{rows}</tbody></table></div>"
        )

    # ------------------------------------------------------------ constructors
    @classmethod
    def from_dict(cls, spec: Mapping[str, Any], *, source: str = "<dict>") -> Instrument:
        """Build and validate an instrument; an :class:`InstrumentError` names the key at fault."""
        return _parse(spec, source)

    @classmethod
    def from_file(cls, path: str | Path) -> Instrument:
        """Read an instrument from a ``.toml``, ``.yaml`` or ``.yml`` file."""
        p = Path(path)
        if not p.is_file():
            raise InstrumentError.at("file_not_found", source=str(p))
        suffix = p.suffix.lower()
        try:
            text = p.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise InstrumentError.at(
                "instrument.not_utf8", source=str(p), byte=f"{err.object[err.start]:02X}", start=err.start
            ) from err
        except OSError as err:
            raise InstrumentError.at("instrument.cannot_read", source=str(p), reason=err.strerror) from err
        if "\x00" in text:
            raise InstrumentError.at("instrument.binary", source=str(p))
        try:
            if suffix == ".toml":
                spec = tomllib.loads(text)
            elif suffix in (".yaml", ".yml"):
                import yaml

                spec = yaml.safe_load(text)
            else:
                raise InstrumentError.at("instrument.file_type", source=str(p), got=repr(suffix))
        except (tomllib.TOMLDecodeError, ValueError) as err:
            if isinstance(err, InstrumentError):
                raise
            raise InstrumentError.at(
                "instrument.not_valid", source=str(p), format=suffix[1:].upper(), error=err
            ) from err
        except RecursionError as err:
            raise InstrumentError.at("instrument.nested", source=str(p)) from err
        except Exception as err:  # yaml.YAMLError has no common base with ValueError
            raise InstrumentError.at("instrument.not_valid", source=str(p), format="YAML", error=err) from err
        if not isinstance(spec, Mapping):
            raise InstrumentError.at("instrument.top_mapping", source=str(p))
        return _parse(spec, str(p))

    @classmethod
    def builtin(cls, name: str = "default") -> Instrument:
        """One of the shipped instruments: ``default``, ``zrm2017`` or ``agreement35``."""
        return builtin(name)


# ------------------------------------------------------------------- parsing
_TOP_KEYS = {
    "id",
    "name_nl",
    "name_en",
    "description",
    "domains",
    "scale",
    "waves",
    "sufficient",
    "items",
    "min_share_answered",
    "reliability",
    "reliability_source",
    "reliability_source_nl",
    "reliability_source_en",
    "reliability_placeholder",
}
_DOMAIN_KEYS = {
    "id", "label_nl", "label_en", "aliases", "reliability", "reliability_placeholder", "higher_is_better", "sufficient",
}  # fmt: skip
_SCALE_KEYS = {"min", "max", "integer", "higher_is_better", "levels", "report_mark"}
_LEVEL_KEYS = {"value", "label_nl", "label_en"}
_WAVE_KEYS = {"id", "label_nl", "label_en", "aliases"}
_ITEM_KEYS = {"id", "domain", "reverse", "text_nl", "text_en"}


def _fail(message_key: str, source: str, key: str, **values: Any) -> InstrumentError:
    """The error of refusal text ``message_key`` (impactkit/locale/*/refusals.po) at ``key``."""
    return InstrumentError.at(message_key, source=source, key=key, **values)


def _keys(obj: Any, allowed: set[str], source: str, key: str) -> Mapping[str, Any]:
    if not isinstance(obj, Mapping):
        raise _fail("instrument.expected_mapping", source, key, got=type(obj).__name__)
    unknown = sorted(set(obj) - allowed)
    if unknown:
        where = f"{key}.{unknown[0]}" if key else unknown[0]
        raise _fail("unknown_keys", source, where, unknown=unknown, allowed=sorted(allowed))
    return obj


def _str(obj: Mapping[str, Any], name: str, source: str, key: str, default: str | None = None) -> str:
    val = obj.get(name, default)
    if val is None:
        raise _fail("required", source, f"{key}.{name}" if key else name)
    if not isinstance(val, str) or not val.strip():
        raise _fail("expected_nonempty_text", source, f"{key}.{name}" if key else name, got=repr(val))
    return val


def _ident(obj: Mapping[str, Any], source: str, key: str) -> str:
    val = _str(obj, "id", source, key)
    if not _ID.match(val):
        raise _fail("expected_identifier", source, f"{key}.id" if key else "id", got=repr(val))
    return val


def _number(val: Any, source: str, key: str) -> float:
    if isinstance(val, bool) or not isinstance(val, int | float) or not math.isfinite(val):
        raise _fail("expected_number", source, key, got=repr(val))
    return float(val)


def _bool(obj: Mapping[str, Any], name: str, default: bool, source: str, key: str) -> bool:
    val = obj.get(name, default)
    if not isinstance(val, bool):
        raise _fail("expected_bool", source, f"{key}.{name}", got=repr(val))
    return val


def _aliases(obj: Mapping[str, Any], source: str, key: str) -> tuple[str, ...]:
    val = obj.get("aliases", [])
    if isinstance(val, str) or not isinstance(val, Iterable):
        raise _fail("instrument.expected_strings", source, f"{key}.aliases", got=repr(val))
    out = []
    for a in val:
        if not isinstance(a, str | int) or isinstance(a, bool):
            raise _fail("instrument.expected_strings", source, f"{key}.aliases", got=repr(a))
        out.append(str(a))
    return tuple(out)


def _flag(val: Any, source: str, key: str) -> bool:
    if not isinstance(val, bool):
        raise _fail("expected_bool", source, key, got=repr(val))
    return val


def _reliability(val: Any, source: str, key: str) -> float | None:
    if val is None:
        return None
    r = _number(val, source, key)
    if not 0 < r < 1:
        raise _fail("instrument.reliability_range", source, key, got=repr(val))
    return r


def _list(spec: Mapping[str, Any], name: str, source: str, *, required: bool) -> list[Any]:
    val = spec.get(name)
    if val is None:
        if required:
            raise _fail("required", source, name)
        return []
    if not isinstance(val, list) or (required and not val):
        raise _fail("instrument.expected_list", source, name, got=repr(val))
    return val


def _parse(spec: Mapping[str, Any], source: str) -> Instrument:
    spec = _keys(spec, _TOP_KEYS, source, "")
    iid = _ident(spec, source, "").strip()
    default_rel = _reliability(spec.get("reliability"), source, "reliability")
    default_placeholder = _flag(spec.get("reliability_placeholder", False), source, "reliability_placeholder")

    domains: list[Domain] = []
    for i, d in enumerate(_list(spec, "domains", source, required=True)):
        key = f"domains[{i}]"
        d = _keys(d, _DOMAIN_KEYS, source, key)
        did = _ident(d, source, key)
        hib = d.get("higher_is_better")
        if hib is not None and not isinstance(hib, bool):
            raise _fail("expected_bool", source, f"{key}.higher_is_better", got=repr(hib))
        suff = d.get("sufficient")
        domains.append(
            Domain(
                id=did,
                label_nl=_str(d, "label_nl", source, key, did),
                label_en=_str(d, "label_en", source, key, did),
                aliases=_aliases(d, source, key),
                reliability=_reliability(d.get("reliability", default_rel), source, f"{key}.reliability"),
                # a domain's own reliability is an estimate unless it says otherwise; the shared default
                # carries the instrument's flag
                reliability_placeholder=_flag(
                    d.get("reliability_placeholder", default_placeholder and "reliability" not in d),
                    source,
                    f"{key}.reliability_placeholder",
                ),
                higher_is_better=hib,
                sufficient=None if suff is None else _number(suff, source, f"{key}.sufficient"),
            )
        )
    _unique([d.id for d in domains], source, "domains")

    sc = _keys(spec.get("scale"), _SCALE_KEYS, source, "scale") if "scale" in spec else None
    if sc is None:
        raise _fail("required", source, "scale")
    for name in ("min", "max"):
        if name not in sc:
            raise _fail("required", source, f"scale.{name}")
    lo, hi = _number(sc["min"], source, "scale.min"), _number(sc["max"], source, "scale.max")
    if lo >= hi:
        raise _fail("instrument.scale_order", source, "scale.max", lo=f"{lo:g}", hi=f"{hi:g}")
    integer = _bool(sc, "integer", True, source, "scale")
    levels: list[Level] = []
    for i, lv in enumerate(sc.get("levels", []) or []):
        key = f"scale.levels[{i}]"
        lv = _keys(lv, _LEVEL_KEYS, source, key)
        if "value" not in lv:
            raise _fail("required", source, f"{key}.value")
        v = _number(lv["value"], source, f"{key}.value")
        if v != int(v) or not lo <= v <= hi:
            raise _fail(
                "instrument.level_value",
                source,
                f"{key}.value",
                lo=f"{lo:g}",
                hi=f"{hi:g}",
                got=repr(lv["value"]),
            )
        levels.append(
            Level(
                int(v),
                _str(lv, "label_nl", source, key, str(int(v))),
                _str(lv, "label_en", source, key, str(int(v))),
            )
        )
    _unique([lv.value for lv in levels], source, "scale.levels")
    scale = Scale(
        min=lo,
        max=hi,
        integer=integer,
        higher_is_better=_bool(sc, "higher_is_better", True, source, "scale"),
        levels=tuple(sorted(levels, key=lambda x: x.value)),
        report_mark=_bool(sc, "report_mark", False, source, "scale"),
    )

    waves: list[Wave] = []
    for i, w in enumerate(_list(spec, "waves", source, required=True)):
        key = f"waves[{i}]"
        w = _keys(w, _WAVE_KEYS, source, key)
        wid = _ident(w, source, key)
        waves.append(
            Wave(
                wid,
                _str(w, "label_nl", source, key, wid),
                _str(w, "label_en", source, key, wid),
                _aliases(w, source, key),
            )
        )
    if len(waves) < 2:
        raise _fail("instrument.two_waves", source, "waves", n=len(waves))
    _unique([w.id for w in waves], source, "waves")

    sufficient = spec.get("sufficient")
    if sufficient is not None:
        sufficient = _number(sufficient, source, "sufficient")
        if not lo <= sufficient <= hi:
            raise _fail(
                "instrument.within_scale",
                source,
                "sufficient",
                lo=f"{lo:g}",
                hi=f"{hi:g}",
                got=f"{sufficient:g}",
            )
    for i, dm in enumerate(domains):
        if dm.sufficient is not None and not lo <= dm.sufficient <= hi:
            raise _fail(
                "instrument.within_scale", source, f"domains[{i}].sufficient",
                lo=f"{lo:g}", hi=f"{hi:g}", got=f"{dm.sufficient:g}",
            )  # fmt: skip

    items: list[Item] = []
    domain_set = {d.id for d in domains}
    for i, it in enumerate(_list(spec, "items", source, required=False)):
        key = f"items[{i}]"
        it = _keys(it, _ITEM_KEYS, source, key)
        item_id = _str(it, "id", source, key)
        dom = _str(it, "domain", source, key)
        if dom not in domain_set:
            raise _fail(
                "instrument.unknown_domain", source, f"{key}.domain", got=repr(dom), known=sorted(domain_set)
            )
        items.append(
            Item(
                item_id,
                dom,
                _bool(it, "reverse", False, source, key),
                str(it.get("text_nl", "")),
                str(it.get("text_en", "")),
            )
        )
    _unique([it.id for it in items], source, "items")
    min_share = spec.get("min_share_answered", 0.5)
    min_share = _number(min_share, source, "min_share_answered")
    if not 0 < min_share <= 1:
        raise _fail("instrument.min_share", source, "min_share_answered", got=f"{min_share:g}")

    inst = Instrument(
        id=iid,
        domains=tuple(domains),
        scale=scale,
        waves=tuple(waves),
        name_nl=str(spec.get("name_nl", iid)),
        name_en=str(spec.get("name_en", iid)),
        sufficient=sufficient,
        items=tuple(items),
        min_share_answered=min_share,
        reliability_source=str(spec.get("reliability_source_en") or spec.get("reliability_source", "")),
        reliability_source_nl=str(spec.get("reliability_source_nl", "")),
        description=str(spec.get("description", "")),
        source=source,
    )
    inst._lookup.update(_build_lookup(inst, source))
    return inst


def _unique(values: list[Any], source: str, key: str) -> None:
    seen: set[Any] = set()
    for v in values:
        if v in seen:
            raise _fail("instrument.duplicate", source, key, got=repr(v))
        seen.add(v)


def _build_lookup(inst: Instrument, source: str) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {"domain": {}, "wave": {}}
    for kind, entries in (("domain", inst.domains), ("wave", inst.waves)):
        table = out[kind]
        for e in entries:
            for text in (e.id, e.label_nl, e.label_en, *e.aliases):
                k = normalise_label(text)
                if table.get(k, e.id) != e.id:
                    raise _fail(
                        "instrument.label_clash",
                        source,
                        f"{kind}s",
                        got=repr(text),
                        first=repr(table[k]),
                        second=repr(e.id),
                    )
                table[k] = e.id
    return out


_CACHE: dict[str, Instrument] = {}


def builtin(name: str = "default") -> Instrument:
    """Return a shipped instrument: ``default`` (nine domains, 1–5), ``zrm2017`` or ``agreement35``."""
    if name not in BUILTIN:
        raise ParameterError(
            f"The 'name' parameter of builtin must be one of {list(BUILTIN)}. Got {name!r} instead."
        )
    if name not in _CACHE:
        text = resources.files("impactkit.instruments").joinpath(f"data/{name}.toml").read_text("utf-8")
        _CACHE[name] = _parse(tomllib.loads(text), f"builtin:{name}")
    return _CACHE[name]
