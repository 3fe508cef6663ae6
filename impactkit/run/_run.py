"""``impactkit run``: one command from the mapping file to the whole, consistent release.

1. read and validate the export the mapping file describes, cut it to the ``[run]`` period
   (:class:`~impactkit.Period`: who and what counts, everything left out counted);
2. plan the release once (:func:`impactkit.privacy.plan_release`): the funder report and every
   municipal and programme report disclosure control allows; the withheld ones with their reason;
3. render every published report in every language (HTML, and Excel and PDF as asked), each with
   "compared with last year" when ``previous`` names last year's release folder;
4. audit the release (:func:`impactkit.privacy.protect`) and write the manifest (``manifest.json``,
   a readable ``manifest-<lang>.html`` for the privacy officer to sign, ``manifest.xlsx``) and the
   published results (``results.json``, what next year's comparison reads);
5. all of it into one folder, atomically: the folder appears complete or not at all, and never
   on or around an input.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from impactkit.errors import OutputError
from impactkit.io._config import Config, load_config
from impactkit.run._config import RunConfig

__all__ = ["RunResult", "file_stem", "run"]


def file_stem(kind: str, scope_kind: str, name: str, lang: str, *, unique: bool = True) -> str:
    """``annual-funder-nl``, ``annual-municipality-ede-en``: safe, stable file names.  Pass
    ``unique=False`` when another name of the release gives the same slug: a short hash of the
    name then keeps the two apart."""
    slug = "".join(ch if ch.isalnum() else "-" for ch in name.lower()).strip("-")
    while "--" in slug:
        slug = slug.replace("--", "-")
    digest = "" if unique else hashlib.sha256(name.encode()).hexdigest()[:6]
    return "-".join([kind, scope_kind, *([slug] if slug else []), *([digest] if digest else []), lang])


def scope_key(kind: str, name: str) -> str:
    return "funder" if kind == "funder" else f"{kind}:{name}"


@dataclass
class RunResult:
    """What :func:`run` wrote.

    Attributes
    ----------
    folder : Path
        The release folder.
    manifest : dict
        The manifest as written to ``manifest.json``.
    files : list of Path
        Every file written (in the folder).
    dataset : Dataset
        The export cut to the period (``.period`` counts what was left out).
    plan : ReleasePlan
    audit : Audit
    """

    folder: Path
    manifest: dict[str, Any]
    files: list[Path]
    dataset: Any
    plan: Any
    audit: Any
    seconds: float = 0.0
    exact_exclusions: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)

    def __repr__(self) -> str:
        r = self.manifest["reports"]
        pub = sum(1 for x in r if x["published"])
        return (
            f"<RunResult {self.manifest['period']['label']}: {pub} of {len(r)} reports published, "
            f"{len(self.files)} files in {self.folder.name}/>"
        )


def _inputs(ds: Any, cfg: Config, rc: RunConfig) -> list[tuple[str, Path]]:
    out: list[tuple[str, Path]] = [(name, Path(p)) for name, p in sorted(getattr(ds, "files", {}).items())]
    if cfg.source is not None:
        out.append(("config", Path(cfg.source)))
    if getattr(ds, "scenario_path", None) is not None:
        out.append(("scenario", Path(ds.scenario_path)))
    src = str(ds.instrument.source)
    if Path(src).is_file():
        out.append(("instrument", Path(src)))
    if rc.templates is not None:
        out.append(("templates", rc.templates))
    if rc.previous is not None:
        out.append(("previous", rc.previous))
    seen: set[Path] = set()
    unique = []
    for name, p in out:  # the mapping file is both one of the export's files and the config
        if p.resolve() not in seen:
            seen.add(p.resolve())
            unique.append((name, p))
    return unique


def run(
    config: str | Path | Config,
    *,
    out: str | Path | None = None,
    replace: bool = False,
    **overrides: Any,
) -> RunResult:
    """Render the whole release the mapping file's ``[run]`` section describes (module docstring).

    Parameters
    ----------
    config : path or Config
        The mapping file (``impactkit.toml``) with a ``[run]`` section, or its folder.
    out : path, optional
        The release folder (default: ``[run] out``, else ``release-<period>`` next to the file).
    replace : bool
        Replace an existing release folder (one holding an impactkit ``manifest.json``); any other
        non-empty folder is always refused.
    **overrides
        Any ``[run]`` key (``period=2024``, ``languages=["en"]``, ``outputs=["html"]``...).

    Returns
    -------
    RunResult
    """
    import time

    from impactkit._write import atomic_folder, check_outputs
    from impactkit.io import read_dataset

    started = time.perf_counter()
    cfg = load_config(Path(config) if isinstance(config, str) else config)
    if cfg is None:  # pragma: no cover - load_config only returns None for None
        raise OutputError("impactkit run needs a mapping file.")
    rc = RunConfig.from_config(cfg, out=str(out) if out is not None else None, **overrides)
    folder = cfg.folder if cfg.folder is not None else Path(".")
    ds = read_dataset(folder, config=cfg, today=rc.today)
    inputs = _inputs(ds, cfg, rc)
    check_outputs([("out", rc.out)], inputs, func="impactkit run")
    if rc.out.is_dir() and any(rc.out.iterdir()):
        if not (rc.out / "manifest.json").is_file():
            raise OutputError(
                f"impactkit run refuses to write into {str(rc.out)!r}: the folder holds files that are not "
                "an impactkit release. Nothing was written. Choose a new or empty folder."
            )
        if not replace:
            raise OutputError(
                f"impactkit run: {str(rc.out)!r} already holds a release; nothing was written. Pass "
                "replace=True (--replace) to replace it, or choose another folder."
            )
    from impactkit.run._release import write_release

    with atomic_folder(rc.out, replace=True) as stage:
        result = write_release(ds, rc, stage, inputs)
    result.folder = rc.out
    result.files = [rc.out / p.relative_to(stage) for p in result.files]
    result.seconds = round(time.perf_counter() - started, 1)
    return result


def _dump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=False, default=_default) + "\n"


def _default(o: Any) -> Any:
    if isinstance(o, dt.date):
        return o.isoformat()
    if isinstance(o, Path):
        return o.name
    if hasattr(o, "item"):
        return o.item()
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")
