"""Keep freed memory in the process between the large temporary arrays of a command (glibc only).

By default glibc gives a freed block of more than a few hundred kB straight back to the kernel
(``mmap`` threshold, heap trimming), so every new numpy temporary of that size is page-faulted and
zeroed again by the kernel.  The count models, the PSA and the readers allocate such temporaries
thousands of times: at 100,000 families 370 of the annual report's 1,005 CPU seconds were system
time.  :func:`tune` raises the thresholds (``mallopt``; the same knobs as the ``MALLOC_MMAP_THRESHOLD_``,
``MALLOC_TRIM_THRESHOLD_`` and ``MALLOC_TOP_PAD_`` environment variables, which glibc reads before
Python starts), so freed blocks up to 32 MiB are reused and at most 256 MiB of free memory is kept.
The command line calls it once at start-up; importing impactkit as a library changes nothing.

:func:`tune_gc` does the same for Python's cyclic garbage collector: a report builds millions of
small objects (the release's ledger, the case model's graph, plotly's figure objects) and with the
default threshold (a young collection every 700 allocations) the collector ran 1,500 times in the
sample report and walked the whole heap ten times: 10-12% of its CPU time.  A young collection
every 100,000 allocations collects the same garbage (cycles are rare and small here) in 17 runs.

:func:`tune` also gives Arrow (every text column of a read table) the system allocator instead of
its bundled mimalloc, so Arrow's freed buffers fall under the same thresholds and
:func:`~impactkit.io._source.give_back` really returns them: mimalloc kept about 630 MiB of the
freed text of the events table at a million families (RSS after reading it: 1,556 MiB with
mimalloc, 923 MiB with the system allocator, for a 638 MiB frame), and ``impactkit validate``
peaked at 4.18 instead of 3.65 GiB.  ``ARROW_DEFAULT_MEMORY_POOL`` set by the user wins.
"""

from __future__ import annotations

import ctypes
import gc
import os
import sys

__all__ = ["tune", "tune_gc"]

GC_THRESHOLD = (100_000, 10, 10)

_M_TRIM_THRESHOLD, _M_TOP_PAD, _M_MMAP_THRESHOLD = -1, -2, -3
_SETTINGS = ((_M_MMAP_THRESHOLD, 32 << 20), (_M_TRIM_THRESHOLD, 256 << 20), (_M_TOP_PAD, 64 << 20))


def tune() -> bool:
    """Apply the thresholds; True when glibc accepted them (False elsewhere: nothing changes)."""
    if not sys.platform.startswith("linux"):
        return False
    _arrow_system_pool()
    try:
        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):  # not glibc (musl, ...)
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return all(mallopt(option, value) == 1 for option, value in _SETTINGS)


def tune_gc() -> None:
    """Collect young objects every :data:`GC_THRESHOLD` allocations (default 700), older ones as before."""
    gc.set_threshold(*GC_THRESHOLD)


ARROW_POOL_ENV = "ARROW_DEFAULT_MEMORY_POOL"


def _arrow_system_pool() -> None:
    """Arrow's default allocator: the system's (glibc, tuned above) unless the user chose one.

    Arrow reads the variable when its default pool is first used (importing pyarrow does that), so
    the command line sets it before anything imports pyarrow; when pyarrow is already loaded the
    pool is set directly.
    """
    if os.environ.get(ARROW_POOL_ENV):
        return
    os.environ[ARROW_POOL_ENV] = "system"
    if "pyarrow" in sys.modules:
        import pyarrow as pa

        pa.set_memory_pool(pa.system_memory_pool())
