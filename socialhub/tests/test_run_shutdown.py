"""Ctrl-C on `bin/run`: honcho waits for a warm shutdown, and only a process's main process is told.

Both scripts run for real here, on small stand-in programs whose progress is written to files, so
the tests read what happened rather than how long it took.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.real_worker]  # real honcho and process trees

BIN = Path(__file__).resolve().parents[2] / "bin"

# A stand-in for Celery: its "pool child" shares its process group (as Celery's do) and must be
# allowed to finish the task it is in when the main process is asked to stop.
WORKER = textwrap.dedent(
    """
    import signal, subprocess, sys, time
    from pathlib import Path
    out = Path(sys.argv[1])
    child = subprocess.Popen([sys.executable, "-c",
        "import sys, time; from pathlib import Path; Path(sys.argv[1], 'task-started').touch();"
        "time.sleep(3); Path(sys.argv[1], 'task-finished').touch()", str(out)])
    def warm_shutdown(signum, frame):
        (out / "main-got-sigterm").touch()
        sys.exit(child.wait())
    signal.signal(signal.SIGTERM, warm_shutdown)
    while True:
        time.sleep(0.1)
    """
)


def _wait_for(path: Path, *, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert time.monotonic() < deadline, f"{path.name} never appeared"
        time.sleep(0.05)


def test_warm_stop_passes_sigterm_to_the_main_process_only(tmp_path):
    script = tmp_path / "worker.py"
    script.write_text(WORKER)
    # A process group of its own, as honcho gives each Procfile entry.
    command = [sys.executable, str(BIN / "warm-stop"), sys.executable, str(script), str(tmp_path)]
    proc = subprocess.Popen(command, start_new_session=True)
    _wait_for(tmp_path / "task-started")
    os.killpg(proc.pid, signal.SIGTERM)  # what honcho does: the whole group of the Procfile entry
    assert proc.wait(timeout=60) == 0
    assert (tmp_path / "main-got-sigterm").exists()
    assert (tmp_path / "task-finished").exists()  # the pool child was not killed mid-task


def test_procs_waits_longer_than_honchos_five_seconds(tmp_path):
    # Stops 7 s after SIGTERM: stock honcho SIGKILLs after 5 s, bin/procs waits RUN_STOP_TIMEOUT.
    slow_stopper = tmp_path / "slow_stopper.py"
    slow_stopper.write_text(
        textwrap.dedent(
            """
            import signal, sys, time
            from pathlib import Path
            def stop(signum, frame):
                time.sleep(7)
                Path(sys.argv[1], "stopped-cleanly").touch()
                sys.exit(0)
            signal.signal(signal.SIGTERM, stop)
            Path(sys.argv[1], "running").touch()
            while True:
                time.sleep(0.1)
            """
        )
    )
    # honcho's 5 s start counting when the first process has stopped: the web server and the sandbox
    # stop at once on SIGTERM, like `quick` here, while the worker finishes its tasks.
    quick = f"exec {sys.executable} -c 'import time; time.sleep(600)'"
    (tmp_path / "Procfile").write_text(f"quick: {quick}\nslow: exec {sys.executable} {slow_stopper} {tmp_path}\n")
    env = {**os.environ, "RUN_STOP_TIMEOUT": "60"}
    honcho = subprocess.Popen(
        [sys.executable, str(BIN / "procs"), "-f", str(tmp_path / "Procfile"), "start"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    _wait_for(tmp_path / "running")
    honcho.send_signal(signal.SIGINT)
    output, _ = honcho.communicate(timeout=90)
    assert (tmp_path / "stopped-cleanly").exists(), output
    assert "Killing" not in output and "SIGKILL" not in output, output
