"""The ``[run]`` section of the mapping file: everything ``impactkit run`` publishes, in one place.

.. code-block:: toml

    [run]
    period = 2025                  # a year, "2025-H1", "2024-07-01/2025-06-30" or {start=..., end=...}
    families = "active"            # active | intake | measured          (who counts; see ik.Period)
    waves = "until_end"            # until_end | in_period | all         (which measurements count)
    programmes = true              # true: every report disclosure control allows; false; or a list
    municipalities = true          # idem
    languages = ["nl", "en"]       # default: the mapping file's lang, else en
    k = 10                         # smallest number of families a published figure rests on
    kinds = ["annual"]             # annual, business-case
    outputs = ["html", "xlsx", "pdf"]
    out = "release-2025"           # the release folder (default release-<period>), relative to this file
    previous = "release-2024"      # last year's release folder: adds "compared with last year"
    seed = 0
    draws = 10000
    generated_at = 2026-01-15      # the date printed (default: today); fixes the output
    today = 2026-01-15             # dates after it are future dates (default: generated_at, else today)
    templates = "branding"         # templates that replace the shipped ones

Paths are relative to the mapping file's folder.  A :class:`~impactkit.ConfigError` names the
key at fault (``run.kinds``), and lists the allowed values.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from impactkit.errors import ConfigError, ImpactkitError
from impactkit.io._config import Config
from impactkit.io._period import FAMILY_RULES, WAVE_RULES, Period

__all__ = ["KINDS", "OUTPUTS", "RunConfig"]

KINDS = ("annual", "business-case")
OUTPUTS = ("html", "xlsx", "pdf")
_KEYS = {
    "period", "families", "waves", "programmes", "municipalities", "languages", "k", "kinds", "outputs",
    "out", "previous", "seed", "draws", "generated_at", "today", "templates",
}  # fmt: skip


@dataclass(frozen=True)
class RunConfig:
    """The parsed ``[run]`` section (see the module docstring); paths resolved."""

    config: Config
    period: Period
    programmes: bool | tuple[str, ...] = True
    municipalities: bool | tuple[str, ...] = True
    languages: tuple[str, ...] = ("en",)
    k: int = 10
    kinds: tuple[str, ...] = ("annual",)
    outputs: tuple[str, ...] = OUTPUTS
    out: Path = Path("release")
    previous: Path | None = None
    seed: int = 0
    draws: int = 10000
    generated_at: dt.date | None = None
    today: str | None = None
    templates: Path | None = None

    @classmethod
    def from_config(cls, cfg: Config, **overrides: Any) -> RunConfig:
        """Parse ``cfg.run``; keyword ``overrides`` (same names) win over the file."""
        spec = {**dict(cfg.run), **{k: v for k, v in overrides.items() if v is not None}}
        return _parse(cfg, spec)

    @classmethod
    def from_file(cls, path: str | Path, **overrides: Any) -> RunConfig:
        return cls.from_config(Config.from_file(path), **overrides)

    def options(self) -> dict[str, Any]:
        """Every option as plain JSON values (for the manifest; paths by name only)."""
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            v = getattr(self, f.name)
            if f.name == "config":
                continue
            if isinstance(v, Period):
                v = v.to_dict()
            elif isinstance(v, Path):
                v = v.name
            elif isinstance(v, dt.date):
                v = v.isoformat()
            elif isinstance(v, tuple):
                v = list(v)
            out[f.name] = v
        return out


def _parse(cfg: Config, spec: Mapping[str, Any]) -> RunConfig:
    src = cfg.name

    def fail(message_key: str, key: str, **values: Any) -> ConfigError:
        return ConfigError.at(message_key, source=src, key=f"run.{key}" if key else "run", **values)

    unknown = sorted(set(spec) - _KEYS)
    if unknown:
        raise fail("unknown_keys", unknown[0], unknown=unknown, allowed=", ".join(sorted(_KEYS)))
    if "period" not in spec:
        raise fail("period_missing", "period")
    for key, allowed in (("families", FAMILY_RULES), ("waves", WAVE_RULES)):
        if key in spec and spec[key] not in allowed:
            raise fail("expected_one_of", key, allowed=", ".join(allowed), got=repr(spec[key]))
    try:
        period = Period.of(spec["period"], families=spec.get("families"), waves=spec.get("waves"))
    except ImpactkitError as err:
        # another error's text, as it was raised (English unless that error has a translation)
        raise ConfigError(
            str(err).replace("The 'period' parameter", "the period"), source=src, key="run.period"
        ) from err

    def choice_list(key: str, allowed: tuple[str, ...], default: tuple[str, ...]) -> tuple[str, ...]:
        val = spec.get(key, list(default))
        items = [val] if isinstance(val, str) else val
        if not isinstance(items, list) or not items or not all(isinstance(i, str) for i in items):
            raise fail("expected_list_of", key, allowed=", ".join(allowed), got=repr(val))
        bad = [i for i in items if i not in allowed]
        if bad:
            raise fail("expected_choice", key, allowed=", ".join(allowed), got=repr(bad[0]))
        return tuple(dict.fromkeys(items))

    def which(key: str) -> bool | tuple[str, ...]:
        val = spec.get(key, True)
        if isinstance(val, bool):
            return val
        items = [val] if isinstance(val, str) else val
        if not isinstance(items, list) or not all(isinstance(i, str) and i.strip() for i in items):
            raise fail("expected_names", key, got=repr(val))
        return tuple(i.strip() for i in items)

    def integer(key: str, default: int, low: int) -> int:
        val = spec.get(key, default)
        if isinstance(val, bool) or not isinstance(val, int) or val < low:
            raise fail("expected_whole_at_least", key, low=low, got=repr(val))
        return int(val)

    def date(key: str) -> dt.date | None:
        val = spec.get(key)
        if val is None:
            return None
        if isinstance(val, dt.datetime):
            return val.date()
        if isinstance(val, dt.date):
            return val
        try:
            return dt.date.fromisoformat(str(val))
        except ValueError as err:
            raise fail("expected_date", key, example="2026-01-15", got=repr(val)) from err

    def path(key: str) -> Path | None:
        val = spec.get(key)
        if val is None:
            return None
        if not isinstance(val, str) or not val.strip():
            raise fail("expected_path_text", key, got=repr(val))
        return cfg.resolve(val.strip())

    from impactkit.i18n import languages

    langs = choice_list("languages", languages(), (cfg.lang or "en",))
    asked = spec.get("kinds")
    if isinstance(asked, str | list):
        from impactkit.report._build import check_release_kinds

        try:  # the confidential family view is never part of a release: say so, not "unknown kind"
            check_release_kinds(
                [asked] if isinstance(asked, str) else [x for x in asked if isinstance(x, str)]
            )
        except ImpactkitError as err:
            raise ConfigError(str(err).removeprefix("impactkit run: "), source=src, key="run.kinds") from err
    kinds = choice_list("kinds", KINDS, ("annual",))
    generated = date("generated_at")
    today = date("today")
    out = path("out") or cfg.resolve(f"release-{_slug(period.label)}")
    return RunConfig(
        config=cfg,
        period=period,
        programmes=which("programmes"),
        municipalities=which("municipalities"),
        languages=langs,
        k=integer("k", 10, 3),
        kinds=kinds,
        outputs=choice_list("outputs", OUTPUTS, OUTPUTS),
        out=out,
        previous=path("previous"),
        seed=integer("seed", 0, 0),
        draws=integer("draws", 10000, 0),
        generated_at=generated,
        today=_iso(today or generated),
        templates=path("templates"),
    )


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d is not None else None


def _slug(label: str) -> str:
    return "".join(ch if ch.isalnum() or ch == "-" else "-" for ch in label).strip("-")
