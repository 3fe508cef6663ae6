"""Lazy attributes of a package (PEP 562): the module behind a name is imported on first use.

A package lists ``_LAZY = {name: (module, attribute)}`` (attribute ``None``: the module itself) and
defines ``def __getattr__(name): return load(__name__, _LAZY, name, globals())``.  The loaded value
is cached in the package's namespace, so the lookup runs once per name.  This keeps
``import impactkit`` and ``impactkit --help`` free of scipy, statsmodels and plotly, which cost
seconds of start-up and are imported only by the functions that need them.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any


def load(
    package: str, table: Mapping[str, tuple[str, str | None]], name: str, namespace: dict[str, Any]
) -> Any:
    """The value of ``package.name`` from ``table``, imported now and cached in ``namespace``."""
    try:
        module, attribute = table[name]
    except KeyError:
        raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
    value: Any = importlib.import_module(module)
    if attribute is not None:
        value = getattr(value, attribute)
    namespace[name] = value
    return value
