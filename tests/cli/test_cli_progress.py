"""Progress on stderr for long steps: on a terminal only, never with --json, never on stdout."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys

from typer.testing import CliRunner

from impactkit.cli import app

runner = CliRunner()
SHORT = ["analyse", "data/sample", "--today", "2026-11-01"]
LONG = ["costs", "data/sample", "--draws", "150000", "--today", "2026-11-01"]  # the cost step takes > 1 s


def test_piped_stderr_and_json_are_silent():
    """Piped: nothing on stderr.  --json on a terminal (rich's TTY_COMPATIBLE=1): nothing either."""
    piped = runner.invoke(app, SHORT, env={"TTY_COMPATIBLE": "0"})
    assert piped.exit_code == 0
    assert piped.stderr == ""
    as_json = runner.invoke(app, [*SHORT, "--json"], env={"TTY_COMPATIBLE": "1"})
    assert as_json.exit_code == 0
    assert as_json.stderr == ""


def test_a_real_pseudo_terminal(tmp_path):
    """The console script in a pty: the progress line is drawn there, then erased (transient)."""
    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("TTY_COMPATIBLE", "FORCE_COLOR", "NO_COLOR")}
    env.update(COLUMNS="80", IMPACTKIT_LANG="nl")
    proc = subprocess.Popen(
        [sys.executable, "-c", "from impactkit.cli import main; main()", *LONG],
        stdout=subprocess.PIPE,
        stderr=slave,
        stdin=subprocess.DEVNULL,
        env=env,
    )
    os.close(slave)
    seen = b""
    while True:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # the child closed its end
                break
            if not chunk:
                break
            seen += chunk
        elif proc.poll() is not None:
            break
    out, _ = proc.communicate(timeout=120)
    os.close(master)
    assert proc.returncode == 0
    raw = seen.decode("utf-8", "replace")
    assert "\x1b[" in raw  # drawn with terminal control codes
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", raw)
    assert "Vermeden kosten" in text  # the step, in the language of the command line
    assert b"Vermeden kosten" not in out
