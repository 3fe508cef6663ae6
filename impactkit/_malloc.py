"""Keep freed memory in the process between the large temporary arrays of a command (glibc only).

By default glibc gives a freed block of more than a few hundred kB straight back to the kernel
(``mmap`` threshold, heap trimming), so every new numpy temporary of that size is page-faulted and
zeroed again by the kernel.  The count models, the PSA and the readers allocate such temporaries
thousands of times: at 100,000 families 370 of the annual report's 1,005 CPU seconds were system
time.  :func:`tune` raises the thresholds (``mallopt``; the same knobs as the ``MALLOC_MMAP_THRESHOLD_``,
``MALLOC_TRIM_THRESHOLD_`` and ``MALLOC_TOP_PAD_`` environment variables, which glibc reads before
Python starts), so freed blocks up to 32 MiB are reused and at most 256 MiB of free memory is kept.
The command line calls it once at start-up; importing impactkit as a library changes nothing.
"""

from __future__ import annotations

import ctypes
import sys

__all__ = ["tune"]

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
