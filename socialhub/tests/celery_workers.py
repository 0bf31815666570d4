"""Real Celery worker processes for end-to-end tests (a pytest plugin, loaded by the root conftest).

`celery_workers` starts `celery -A socialhub worker` subprocesses that share the test database
(the SQLite test file via SQLITE_PATH, or the PostgreSQL test database via DATABASE_URL), the
session's broker (its own filesystem folder, or Redis with a per-session queue) and cache, and
the test's Buffer sandbox. Tests using it need `@pytest.mark.django_db(transaction=True)` so the
workers see committed rows. Every worker runs in its own process group: `kill()` takes the whole
pool down with SIGKILL, as a crashed machine would, and teardown never leaves one behind.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings

from socialhub.tests import log_secrets

READY_TIMEOUT = 60.0
PR_SET_PDEATHSIG = 1


@dataclass
class Worker:
    name: str
    process: subprocess.Popen
    log_path: Path

    def log(self, tail: int = 40) -> str:
        lines = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join(lines[-tail:])

    @property
    def alive(self) -> bool:
        return self.process.poll() is None


class CeleryWorkers:
    def __init__(self, *, log_dir: Path, base_env: dict[str, str]):
        self.log_dir = log_dir
        self.base_env = base_env
        self.workers: list[Worker] = []

    def start(self, **kwargs) -> Worker:
        """Start one worker (optionally with an embedded beat) and wait until it consumes."""
        return self.start_many(1, **kwargs)[0]

    def start_many(
        self,
        count: int,
        *,
        concurrency: int = 2,
        pool: str = "prefork",
        beat: bool = False,
        env: dict[str, str] | None = None,
    ) -> list[Worker]:
        """Start `count` workers in parallel (each with its own beat if asked) and wait until all consume."""
        started = [self._spawn(concurrency=concurrency, pool=pool, beat=beat, env=env) for _ in range(count)]
        for worker in started:
            self._wait_ready(worker)
        return started

    def _spawn(self, *, concurrency: int, pool: str, beat: bool, env: dict[str, str] | None) -> Worker:
        name = f"w{len(self.workers) + 1}-{os.getpid()}"
        log_path = self.log_dir / f"{name}.log"
        cmd = [
            *(sys.executable, "-m", "celery", "-A", "socialhub", "worker"),
            *("--pool", pool, "--concurrency", str(concurrency), "--hostname", f"{name}@%h"),
            *("--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", "INFO"),
            *(["--beat"] if beat else []),
        ]
        with open(log_path, "wb") as log:
            process = subprocess.Popen(
                cmd,
                cwd=settings.BASE_DIR,
                env={**self.base_env, **(env or {})},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: kill() reaches the pool's children
                preexec_fn=_die_with_parent,
            )
        worker = Worker(name, process, log_path)
        self.workers.append(worker)
        return worker

    def _wait_ready(self, worker: Worker) -> None:
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if re.search(rf"{worker.name}@\S+ ready\.", worker.log_path.read_text(errors="replace")):
                return
            if not worker.alive:
                raise RuntimeError(f"worker {worker.name} exited:\n{worker.log()}")
            time.sleep(0.05)
        raise RuntimeError(f"worker {worker.name} not ready after {READY_TIMEOUT}s:\n{worker.log()}")

    def kill(self, worker: Worker, sig: int = signal.SIGKILL) -> None:
        """Kill the worker and its pool processes at once (no warm shutdown, no acks)."""
        if worker.alive:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(worker.process.pid, sig)
        worker.process.wait(timeout=30)

    def stop_all(self) -> None:
        for worker in self.workers:
            self.kill(worker)

    def logs(self, tail: int = 30) -> str:
        return "\n".join(f"--- {w.name} ---\n{w.log(tail)}" for w in self.workers)


def _die_with_parent() -> None:
    """Linux: SIGKILL the worker if pytest itself dies (killed run), so none outlives the session."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def wait_until(predicate: Callable[[], object], *, timeout: float, interval: float = 0.1, message="") -> object:
    """Poll `predicate` until it returns something truthy; fail with `message()` after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            details = message() if callable(message) else message
            pytest.fail(f"condition not met within {timeout}s\n{details}")
        time.sleep(interval)


def _database_env() -> dict[str, str]:
    """Point the workers at the test database pytest-django created (its NAME is the test one now)."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return {"SQLITE_PATH": str(db["NAME"])}
    port = f":{db['PORT']}" if db.get("PORT") else ""
    user, password = quote(db.get("USER") or "", safe=""), quote(db.get("PASSWORD") or "", safe="")
    auth = f"{user}:{password}@" if password else f"{user}@"
    return {"DATABASE_URL": f"postgres://{auth}{db.get('HOST') or '127.0.0.1'}{port}/{db['NAME']}"}


@pytest.fixture
def celery_workers(transactional_db, sandbox, tmp_path) -> Iterator[CeleryWorkers]:
    """Start workers with `celery_workers.start(...)`; the test process sends tasks to the broker."""
    from socialhub.celery import app

    with app.connection_for_write() as conn:  # tasks left by an earlier test must not run now
        conn.default_channel.queue_purge(app.conf.task_default_queue)  # type: ignore[attr-defined]  # not in kombu-stubs
    base_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "socialhub.settings_test",
        "CELERY_TASK_ALWAYS_EAGER": "false",  # tasks the workers send must go through the broker
        "BUFFER_API_URL": sandbox.url,
        "PYTHONUNBUFFERED": "1",
        **_database_env(),
    }
    workers = CeleryWorkers(log_dir=tmp_path, base_env=base_env)
    # The suite runs tasks eagerly (CELERY_TASK_ALWAYS_EAGER); here they must go through the broker.
    # Celery resolves the Django-prefixed name first, so that is the one to override.
    eager = app.conf.task_always_eager
    app.conf.CELERY_TASK_ALWAYS_EAGER = False
    try:
        yield workers
    finally:
        app.conf.CELERY_TASK_ALWAYS_EAGER = eager
        workers.stop_all()
        for worker in workers.workers:  # their log files join the session's scan for secrets
            log_secrets.SCAN.capture_text(worker.log_path.read_text(errors="replace"))
        with app.connection_for_write() as conn:
            conn.default_channel.queue_purge(app.conf.task_default_queue)  # type: ignore[attr-defined]  # not in kombu-stubs


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that uses `celery_workers` (directly or through a fixture) is marked `real_worker`:
    the slow part of the suite, which `bin/test --fast` leaves out."""
    for item in items:
        if "celery_workers" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.real_worker)


def pytest_sessionfinish(session, exitstatus) -> None:
    """The session's private broker folder and file cache (see settings_test) go with it."""
    for variable, parent in (("CELERY_BROKER_DIR", "test-broker"), ("SOCIALHUB_TEST_CACHE_DIR", "test-cache")):
        folder = os.environ.get(variable, "")
        if folder and Path(folder).parent.name == parent:
            shutil.rmtree(folder, ignore_errors=True)
