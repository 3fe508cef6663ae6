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
"""

from __future__ import annotations

import ctypes
import gc
import sys

__all__ = ["tune", "tune_gc"]

GC_THRESHOLD = (100_000, 10, 10)

_M_TRIM_THRESHOLD, _M_TOP_PAD, _M_MMAP_THRESHOLD = -1, -2, -3
_SETTINGS = ((_M_MMAP_THRESHOLD, 32 << 20), (_M_TRIM_THRESHOLD, 256 << 20), (_M_TOP_PAD, 64 << 20))


def tune() -> bool:
    """Apply the thresholds; True when glibc accepted them (False elsewhere: nothing changes)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):  # not glibc (musl, ...)
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return all(mallopt(option, value) == 1 for option, value in _SETTINGS)


def tune_gc() -> None:
    """Collect young objects every :data:`GC_THRESHOLD` allocations (default 700), older ones as before."""
    gc.set_threshold(*GC_THRESHOLD)
