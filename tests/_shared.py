"""One release per distinct dataset and options for the whole test session.

A release of the 350-family sample costs ~18 s of CPU (protect + its LP audit) and a small cohort
1-3 s; many tests and CLI commands ask for the release of the *same* data with the same options:
every module reads the sample itself (``read_dataset("data/sample")``), and the CLI reads its
folder afresh for each command (``report --lang nl`` then ``--lang en``).  The library already
keeps the release of the same *object* per process (``impactkit.report._build._cached_release``,
keyed by identity, four entries); here, during the tests, the key is the dataset's *content* and
the releases asked for again are kept, so equal data share one release.

A release is a deterministic function of its data and options (the suite checks that itself:
``test_same_inputs_give_a_byte_identical_report``, ``test_byte_identical_across_processes``), so a
test gets the very release it would have built.  What is not shared:

* anything that is not plainly data (an object of a class that is not a dataclass, a frame that
  pandas cannot hash): keyed by identity, as the library does;
* a test marked ``@pytest.mark.fresh_release``, or one that asks for ``monkeypatch`` (it may change
  what a release is built from): such tests get the library's own cache, exactly as without this
  module;
* ``Release(...)`` called directly: always built.
"""

from __future__ import annotations

import dataclasses
import hashlib
import resource
import time
from collections import OrderedDict
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

MAX_SHARED = 6  # distinct releases kept per process (see SharedReleases)

_held: list[Any] = []  # objects keyed by identity stay alive, so their id is never reused


class _Unkeyable(Exception):
    pass


def _frame_key(v: pd.DataFrame | pd.Series) -> tuple[Any, ...]:
    try:
        digest = hashlib.sha1(pd.util.hash_pandas_object(v, index=True).to_numpy().tobytes()).hexdigest()
    except TypeError:  # unhashable cells (lists, dicts): keyed by identity
        _held.append(v)
        return ("object", id(v))
    if isinstance(v, pd.DataFrame):
        cols = tuple(map(repr, v.columns))
        dtypes = tuple(map(str, v.dtypes))
        return ("frame", cols, dtypes, v.shape, repr(v.index.names), repr(v.attrs), digest)
    return ("series", repr(v.name), str(v.dtype), v.shape, repr(v.attrs), digest)


def _path_key(v: str | Path) -> tuple[Any, ...]:
    """A file by its path, size and modification time, a folder by those of its files (as the
    library's own key)."""
    p = Path(v).resolve()
    files = sorted(q for q in p.rglob("*") if q.is_file()) if p.is_dir() else [p] if p.exists() else []
    return ("path", str(p), tuple((str(q), q.stat().st_size, q.stat().st_mtime_ns) for q in files))


def option_key(v: Any) -> Any:
    """The key of an argument of ``_cached_release``: a str may be a path (the data folder, a
    scenario file): keyed like a path, as the library keys it."""
    if isinstance(v, str):
        return ("str", v, _path_key(v) if v.strip() and Path(v).exists() else None)
    return content_key(v)


def content_key(v: Any, depth: int = 0) -> Any:
    """A hashable key equal for equal data (frames by content, dataclasses field by field, files by
    path, size and modification time); anything else by identity."""
    if depth > 20:
        raise _Unkeyable
    if v is None or isinstance(v, bool | int | float | str | bytes):
        return ("value", type(v).__name__, v)
    if isinstance(v, Path):
        return _path_key(v)
    if isinstance(v, pd.DataFrame | pd.Series):
        return _frame_key(v)
    if isinstance(v, np.ndarray):
        return ("array", v.dtype.str, v.shape, hashlib.sha1(np.ascontiguousarray(v).tobytes()).hexdigest())
    if isinstance(v, list | tuple):
        return (type(v).__name__, tuple(content_key(x, depth + 1) for x in v))
    if isinstance(v, dict):
        return ("dict", tuple((content_key(k, depth + 1), content_key(x, depth + 1)) for k, x in v.items()))
    if isinstance(v, frozenset | set):
        return (type(v).__name__, tuple(sorted(repr(content_key(x, depth + 1)) for x in v)))
    if dataclasses.is_dataclass(v) and not isinstance(v, type):
        fields = tuple((f.name, content_key(getattr(v, f.name), depth + 1)) for f in dataclasses.fields(v))
        return ("dataclass", type(v).__module__, type(v).__qualname__, fields)
    _held.append(v)
    return ("object", id(v))


class SharedReleases:
    """Wraps ``_cached_release``: the same release for equal data and options, across the session.

    At most ``MAX_SHARED`` releases are kept (a sample release holds ~200 MB): when full, the one to
    drop is a release no second test has asked for yet, the cheapest first; then the cheapest
    per use.  The sample's release, asked for by a dozen modules, stays.  ``cache`` holds the
    releases, the most recently used last (tests/corpus/test_corpus.py reads it)."""

    def __init__(self, original: Any) -> None:
        self.original = original
        self.enabled = True
        self.cache: OrderedDict[Any, Any] = OrderedDict()  # key -> release, most recently used last
        self.cost: dict[Any, list[float]] = {}  # key -> [CPU seconds its build took, times asked for]
        self.built = 0
        self.shared = 0
        self.cpu_built = 0.0
        self.cpu_saved = 0.0

    def __call__(self, data: Any, **options: Any) -> Any:
        if not self.enabled:
            return self.original(data, **options)
        decisions = {n: v for n, v in sorted(options.items()) if n not in ("seed", "draws")}
        try:
            key = (option_key(data), tuple((n, option_key(v)) for n, v in decisions.items()))
        except _Unkeyable:
            return self.original(data, **options)
        rel = self.cache.get(key)
        if rel is None:
            t0 = time.process_time()
            rel = self.original(data, **options)  # checks the options, builds (or the library's hit)
            self.cost[key] = [time.process_time() - t0, 1]
            self.built += 1
            self.cpu_built += self.cost[key][0]
            self.cache[key] = rel
            while len(self.cache) > MAX_SHARED:
                drop = min((k for k in self.cache if k != key), key=self._worth)
                del self.cache[drop], self.cost[drop]
        else:
            self.cost[key][1] += 1
            self.shared += 1
            self.cpu_saved += self.cost[key][0]
            self.cache.move_to_end(key)
        if (rel.seed, rel.draws) == (options["seed"], options["draws"]):
            return rel
        return rel.with_draws(seed=options["seed"], draws=options["draws"])

    def _worth(self, key: Any) -> tuple[bool, float]:
        cpu, uses = self.cost[key]
        return (uses > 1, cpu * uses)


SESSION_SHARED: list[SharedReleases] = []  # the session's wrapper, for process_stats


def process_stats() -> dict[str, float]:
    """This process's CPU (its own and its subprocesses'), peak memory and shared releases."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    out = {
        "cpu_s": me.ru_utime + me.ru_stime,
        "subprocess_cpu_s": kids.ru_utime + kids.ru_stime,
        "max_rss_mb": me.ru_maxrss / 1024,
    }
    for s in SESSION_SHARED:
        out |= {"releases_built": s.built, "releases_shared": s.shared, "release_cpu_s": s.cpu_built,
                "release_cpu_saved_s": s.cpu_saved}  # fmt: skip
    return out


def write_durations(
    path: Path, durations: dict[str, float], processes: dict[str, dict[str, float]], n: int = 20
) -> None:
    """The ``n`` slowest tests and the ten slowest modules (seconds of wall time, setup and teardown
    included: a module-scoped fixture counts for the test that first needs it), and per process
    (xdist worker) its CPU, peak memory and the releases it built and shared."""
    by_module: dict[str, float] = {}
    for nodeid, s in durations.items():
        module = nodeid.split("::", 1)[0]
        by_module[module] = by_module.get(module, 0.0) + s
    lines = [
        f"# {len(durations)} tests, {sum(durations.values()):.0f} s of test time in all (summed over workers)"
    ]
    for name, st in sorted(processes.items()):
        lines.append(f"# {name}: " + ", ".join(f"{k} {v:.0f}" for k, v in st.items()))
    lines.append(f"# the {n} slowest tests")
    lines += [f"{s:8.1f}  {t}" for t, s in sorted(durations.items(), key=lambda kv: -kv[1])[:n]]
    lines.append("# the 10 slowest modules")
    lines += [f"{s:8.1f}  {m}" for m, s in sorted(by_module.items(), key=lambda kv: -kv[1])[:10]]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
