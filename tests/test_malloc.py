"""The command line keeps freed memory for reuse (impactkit._malloc): fewer page faults, same results.

Measured with the kernel's own count of minor page faults (getrusage) in fresh interpreters: three
8 MiB numpy temporaries allocated and freed twenty times over.  Under glibc's defaults the freed top
of the heap exceeds the (dynamic) trim threshold and goes back to the kernel, so about a quarter of
the 122,880 pages are faulted in again (30,754 here); after :func:`tune` the memory is reused
(about 1,500: the first round only).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

_PROBE = """
import json, resource, sys
import numpy as np
if sys.argv[1] == "tuned":
    from impactkit._malloc import tune
    assert tune()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(20):
    a = np.ones(1 << 20)  # 8 MiB each
    b = np.ones(1 << 20)
    c = np.ones(1 << 20)
    del c, b, a
print(json.dumps(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before))
"""


def _faults(mode: str) -> int:
    out = subprocess.run([sys.executable, "-c", _PROBE, mode], capture_output=True, text=True, check=True)
    return int(json.loads(out.stdout))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_tune_keeps_freed_blocks_for_reuse() -> None:
    default, tuned = _faults("default"), _faults("tuned")
    pages = 20 * 3 * (8 << 20) // 4096
    assert default > 0.1 * pages  # freed memory went back to the kernel and was faulted in again
    assert tuned < 0.03 * pages  # kept and reused: only the first round faults
    assert tuned * 5 < default


def test_command_line_tunes_at_start() -> None:
    import inspect

    import impactkit.cli

    assert "tune()" in inspect.getsource(impactkit.cli.main)


def test_command_line_collects_young_garbage_less_often() -> None:
    # the collector's threshold after the entry point's set-up, in a fresh interpreter (the CLI's
    # typer app is replaced by a no-op so nothing runs); reference: gc's default of 700
    probe = (
        "import gc, json, impactkit.cli as c\n"
        "default = gc.get_threshold()\n"
        "c.app = lambda: None\n"
        "c.main()\n"
        "print(json.dumps([default, gc.get_threshold()]))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    default, tuned = json.loads(out.stdout)
    assert default[0] == 700
    assert tuned == [100_000, 10, 10]


_POOL_PROBE = (
    "import json, impactkit.cli as c\n"
    "c.app = lambda: None\n"
    "c.main()\n"
    "import pyarrow as pa\n"
    "print(json.dumps(pa.default_memory_pool().backend_name))"
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_command_line_gives_arrow_the_system_allocator() -> None:
    # Arrow's bundled mimalloc kept the freed text of a large table (630 MiB at a million families)
    env = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    out = subprocess.run(
        [sys.executable, "-c", _POOL_PROBE], capture_output=True, text=True, check=True, env=env
    )
    assert json.loads(out.stdout) == "system"
    # a user's choice wins
    env["ARROW_DEFAULT_MEMORY_POOL"] = "mimalloc"
    out = subprocess.run(
        [sys.executable, "-c", _POOL_PROBE], capture_output=True, text=True, check=True, env=env
    )
    assert json.loads(out.stdout) == "mimalloc"


def test_system_pool_when_pyarrow_is_already_loaded() -> None:
    probe = (
        "import json, os, pyarrow as pa\n"
        "os.environ.pop('ARROW_DEFAULT_MEMORY_POOL', None)\n"
        "from impactkit._malloc import _arrow_system_pool\n"
        "_arrow_system_pool()\n"
        "print(json.dumps(pa.default_memory_pool().backend_name))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == "system"
