"""Outputs never overwrite inputs, and every write is atomic (full disk, kill mid-write)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest

from impactkit._write import atomic_open, atomic_write, check_outputs
from impactkit.errors import OutputError


def test_refuses_output_on_inside_or_around_an_input_and_coinciding_outputs(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "assessments.csv").write_text("x")
    link = tmp_path / "link.csv"
    link.symlink_to(data / "assessments.csv")
    hard = tmp_path / "hard.csv"
    os.link(data / "assessments.csv", hard)
    with pytest.raises(OutputError) as err:
        check_outputs(
            [
                ("--out", data / "assessments.csv"),  # the input itself
                ("--xlsx", data / "sub" / ".." / "report.xlsx"),  # inside the input folder
                ("--pseudonymise", tmp_path),  # a folder that holds the input
                ("--pdf", link),  # a symbolic link to the input
                ("--json", hard),  # a hard link to the input
                ("--a", tmp_path / "out" / "r.html"),
                ("--b", tmp_path / "out" / "." / "r.html"),  # same output twice
            ],
            [("PATH", data), ("assessments", data / "assessments.csv")],
            func="impactkit report",
        )
    msg = str(err.value)
    assert "impactkit report refuses to write" in msg
    assert f"--out {str(data / 'assessments.csv')!r} is the input assessments" in msg
    assert "--xlsx" in msg
    assert "lies inside the input PATH" in msg
    assert "--pseudonymise" in msg
    assert "holds the input PATH" in msg
    assert "--pdf" in msg
    assert "--json" in msg
    assert "--a" in msg
    assert "are the same file" in msg
    assert "Nothing was written" in msg
    # a path next to the inputs is fine
    check_outputs([("--out", tmp_path / "out" / "r.html")], [("PATH", data)])


def test_atomic_write_replaces_and_keeps_permissions(tmp_path):
    p = tmp_path / "deep" / "report.html"
    atomic_write(p, "first")
    os.chmod(p, 0o640)
    atomic_write(p, b"second")
    assert p.read_bytes() == b"second"
    assert (p.stat().st_mode & 0o777) == 0o640
    assert [q.name for q in p.parent.iterdir()] == ["report.html"]  # no temporary left


def test_an_error_while_writing_leaves_the_previous_file(tmp_path):
    p = tmp_path / "report.html"
    p.write_text("previous")

    def fail_midway() -> None:
        with atomic_open(p, "w", encoding="utf-8") as fh:
            fh.write("half a new rep")
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        fail_midway()
    assert p.read_text() == "previous"
    assert [q.name for q in tmp_path.iterdir()] == ["report.html"]


@pytest.fixture
def small_disk():
    """A 1 MiB tmpfs (needs root and mount permission, as in CI; skipped elsewhere)."""
    if shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root and mount(8)")
    where = Path("/tmp") / f"impactkit-tmpfs-{uuid.uuid4().hex[:8]}"
    where.mkdir()
    proc = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(where)], capture_output=True, check=False
    )
    if proc.returncode != 0:
        where.rmdir()
        pytest.skip(f"mount not permitted here: {proc.stderr.decode(errors='replace').strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", str(where)], check=False)
        where.rmdir()


def test_full_disk_leaves_the_previous_file_intact(small_disk):
    p = small_disk / "report.html"
    atomic_write(p, "previous report")
    with pytest.raises(OutputError, match=r"no space left on the device.*previous file"):
        atomic_write(p, b"x" * (2 * 1024 * 1024))
    assert p.read_text() == "previous report"
    assert [q.name for q in small_disk.iterdir()] == ["report.html"]  # the partial file is gone


def test_the_report_saves_through_the_atomic_writer_on_a_full_disk(small_disk):
    from impactkit.report import Report

    p = small_disk / "r.html"
    p.write_text("previous")
    rep = Report(
        html="<!DOCTYPE html>" + "x" * (2 * 1024 * 1024), sections=[], kind="annual", lang="en", footer={}
    )
    with pytest.raises(OutputError):
        rep.save(p)
    assert p.read_text() == "previous"


def test_a_process_killed_mid_write_leaves_the_previous_file(tmp_path):
    p = tmp_path / "report.html"
    p.write_text("previous report")
    script = textwrap.dedent(
        f"""
        import sys, time
        from impactkit._write import atomic_open
        with atomic_open({str(p)!r}, "wb") as fh:
            fh.write(b"new but unfinished" * 1000)
            fh.flush()
            print("writing", flush=True)
            time.sleep(60)
        """
    )
    with subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE) as proc:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == b"writing"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    assert p.read_text() == "previous report"
    # SIGKILL gives no chance to clean up: at most a hidden .part file is left, never the target
    leftovers = [q.name for q in tmp_path.iterdir() if q.name != "report.html"]
    assert all(n.startswith(".report.html.") for n in leftovers)
    assert all(n.endswith(".part") for n in leftovers)
