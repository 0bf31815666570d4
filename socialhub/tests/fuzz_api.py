"""A bounded Schemathesis run against the real app: `bin/fuzz` (CI runs it on the PostgreSQL + Redis leg).

What it does, in order:
1. a fresh database: `<name>_fuzz` next to `DATABASE_URL`'s PostgreSQL database (dropped and created),
   or a new SQLite file in a temporary directory; everything else the server writes (file broker,
   file cache when `REDIS_URL` is unset, logs, the schema) goes to that temporary directory too;
2. a Buffer sandbox on a free port (in this process, over real HTTP like the test suite's);
3. two users, `alice` and `bob`, each with a Buffer config against the sandbox, connected accounts,
   a campaign, posts, an analytics snapshot, a publisher channel and post, so every id in a path can
   resolve and the stateful phase has objects to start from;
4. gunicorn (2 workers, DEBUG off) on a free port with `API_RATE_LIMIT=100000/min`: the per-user limit
   of 60/min would answer most of the run 429, which proves nothing about the schema (the limit has its
   own tests) — the 429 responses stay documented and checked; the login lock-out is raised the same
   way, since the fuzzer's deliberate wrong logins all come from one address;
5. `schemathesis run` on /api/schema with every check (`--checks all`), every phase (examples,
   coverage, fuzzing, stateful over the schema's OpenAPI links), a fixed seed and example budget,
   authenticated as alice through the login endpoint (a Web Fuzzing Commons auth file) with bob as
   the peer that `object_level_authorization` replays alice's reads as.

Exit status: schemathesis' own (non-zero on any failure), or 2 when the setup itself fails.
Nothing is excluded. Options: `--max-examples`, `--seed`, `--report-dir`; anything after `--` goes
to `schemathesis run` unchanged (e.g. `bin/fuzz -- --include-path-regex posts`).
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests

BASE_DIR = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
PASSWORD = "fuzz-Passw0rd-not-secret"
USERS = ("alice", "bob")
DEFAULT_MAX_EXAMPLES = 50  # about 3.5 minutes on the 2-core machine
DEFAULT_SEED = 20261111
START_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fresh_database_url(base_url: str | None, workdir: Path) -> str:
    """A new, empty database of the same kind as `base_url` (SQLite when unset)."""
    if not base_url or not base_url.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{workdir / 'fuzz.sqlite3'}"
    import dj_database_url
    import psycopg
    from psycopg import sql

    parsed = dj_database_url.parse(base_url)
    name = f"{parsed['NAME']}_fuzz"
    admin: dict[str, Any] = {
        "host": parsed["HOST"] or "127.0.0.1",
        "port": parsed["PORT"] or 5432,
        "user": parsed["USER"] or None,
        "password": parsed["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**{k: v for k, v in admin.items() if v is not None}) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return base_url.rsplit("/", 1)[0] + "/" + name


def server_environment(*, database_url: str, workdir: Path, sandbox_url: str) -> dict[str, str]:
    from cryptography.fernet import Fernet

    env = {key: value for key, value in os.environ.items() if not key.startswith(("CELERY_", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="socialhub.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database_url,
        SOCIALHUB_VAR_DIR=str(workdir),
        # Tasks queue on a filesystem broker of this run only: nothing consumes them and nothing
        # is left behind in a shared Redis.
        CELERY_BROKER_DIR=str(workdir / "broker"),
        BUFFER_API_URL=sandbox_url,
        BUFFER_CONNECT_TIMEOUT="1",
        BUFFER_READ_TIMEOUT="3",
        BUFFER_MAX_RETRIES="0",
        API_RATE_LIMIT="100000/min",
        # Likewise the Buffer key's request budget (buffer_integration/tests/test_budget*.py): the fuzzer
        # calls Buffer far more often than a key's 100 per 15 minutes, and a 503 is a server error to it.
        BUFFER_BUDGET_SCALE="1000000",
        BUFFER_RATE_LIMIT_PER_MINUTE="0",
        # The fuzzer sends many wrong logins on purpose, all from 127.0.0.1: with the production lock-out
        # (50 per address) its own logins as alice and bob would be locked out after the first phase.
        # The lock-out has its own tests (accounts/tests/test_login_lockout.py).
        LOGIN_LOCKOUT_ADDRESS_FAILURES="1000000",
        LOGIN_LOCKOUT_USERNAME_FAILURES="1000000",
        # No beat runs here: one tick is recorded at seed time, and health must not go stale during the
        # run (a 503 from /health is a server error to `not_a_server_error`, and it would be true).
        HEALTH_BEAT_MAX_AGE_SECONDS="86400",
        LOG_LEVEL="WARNING",
        # Plain HTTP on loopback: production's redirect to HTTPS (and its HSTS) would answer every call 301.
        SECURE_SSL_REDIRECT="false",
    )
    return env


def seed(*, sandbox_url: str) -> None:
    """Objects of both users, created through the services like the API would."""
    from django.utils import timezone

    from accounts.models import User
    from accounts.services import buffer_profiles_for_workspace, social_account_create
    from accounts.workspaces import workspace_personal_for
    from analytics.services import analytics_record
    from buffer_integration.platforms import platform_for_service
    from buffer_integration.services import buffer_config_create
    from campaigns.services import campaign_create
    from kernel.heartbeat import record_beat_tick
    from posts.models import Post, PostStatus
    from posts.services import post_create
    from publisher.config_services import channel_create
    from publisher.defaults import ensure_default_posttypes
    from publisher.models import PostType
    from publisher.schema import parse_post_request
    from publisher.services import publisher_post_create

    record_beat_tick()

    for name in USERS:
        user = User.objects.create_user(username=name, password=PASSWORD, email=f"{name}@example.com")
        workspace = workspace_personal_for(user)
        buffer_config_create(workspace=workspace, actor=user, access_token=f"fuzz-token-{name}", api="v1")
        accounts = []
        for profile, _ in buffer_profiles_for_workspace(workspace=workspace)[:3]:
            accounts.append(
                social_account_create(
                    workspace=workspace,
                    actor=user,
                    platform=platform_for_service(profile.service),
                    account_name=f"@{name}-{profile.service}",
                    buffer_profile_id=profile.id,
                )
            )
        campaign = campaign_create(
            workspace=workspace,
            actor=user,
            name=f"{name}'s campaign",
            description="Seeded for the fuzzer",
        )
        posts = [
            post_create(
                workspace=workspace,
                actor=user,
                social_account_id=account.pk,
                campaign_id=campaign.pk,
                content=f"Hello from {name}",
                media_urls=["https://example.com/seed.jpg"],  # some networks need an image
            )
            for account in accounts
        ]
        # Analytics exist only for posts that went out: the first one is seeded as already published
        # (no engine runs beside the fuzzer to publish it).
        Post.objects.filter(pk=posts[0].pk).update(status=PostStatus.PUBLISHED, published_at=timezone.now())
        posts[0].refresh_from_db()
        analytics_record(post=posts[0], views=100, likes=5, shares=1, comments=1)
        ensure_default_posttypes(workspace=workspace)
        channel_create(
            workspace=workspace,
            actor=user,
            name=f"{name}'s channel",
            posttype_ids=PostType.objects.in_workspace(workspace).values_list("pk", flat=True),
        )
        publisher_post_create(
            workspace=workspace,
            actor=user,
            request=parse_post_request({"payload": {"message": f"Hi from {name}"}}, tz=user.tzinfo),
        )


def wfc_auth_file(path: Path) -> Path:
    """Both users log in through POST /auth/token; their access tokens are refreshed by schemathesis."""
    import json

    entries = [
        {
            "name": name,
            "loginEndpointAuth": {
                "endpoint": "/api/v1/auth/token",
                "verb": "POST",
                "contentType": "application/json",
                "payloadUserPwd": {
                    "username": name,
                    "usernameField": "username",
                    "password": PASSWORD,
                    "passwordField": "password",
                },
                "token": {
                    "extractFrom": "body",
                    "extractSelector": "/access",
                    "sendIn": "header",
                    "sendName": "Authorization",
                    "sendTemplate": "Bearer {token}",
                },
            },
        }
        for name in USERS
    ]
    path.write_text(json.dumps({"schemaVersion": "0.2.0", "auth": entries}, indent=2))
    return path


def schemathesis_config(path: Path, *, auth_file: Path) -> Path:
    path.write_text(
        "[auth.wfc]\n"
        f'path = "{auth_file}"\n'
        'user = "alice"\n'
        # Access tokens live 300 s; log in again well before that.
        "refresh_interval = 240\n"
        'peers = ["alice", "bob"]\n'
        "\n"
        # Schema-valid input may still break a rule JSON Schema cannot state: an id that is not one of
        # the caller's objects, a time in the past, a network's content rules, a duplicate name. Those are
        # 400s with `detail` (their body is checked against the Error schema like every other answer);
        # everything else the check expects stays as it is.
        "[checks.positive_data_acceptance]\n"
        'expected-statuses = ["2xx", "3xx", "400", "401", "403", "404", "409", "429"]\n'
    )
    return path


def wait_until_up(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode} before answering")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {START_TIMEOUT:.0f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--max-examples", type=int, default=DEFAULT_MAX_EXAMPLES)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--report-dir", default=str(BASE_DIR / "var" / "fuzz-report"))
    parser.add_argument("--keep", action="store_true", help="Keep the temporary directory (logs, database).")
    parser.add_argument("extra", nargs="*", help="Arguments for `schemathesis run` (after --).")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="socialhub-fuzz-"))
    server = None
    sandbox = None
    started = time.monotonic()
    try:
        from buffer_sandbox.server import SandboxServer

        sandbox = SandboxServer(host="127.0.0.1", port=0, state_path=":memory:", rate_limit_per_minute=0, quiet=True)
        sandbox.start()
        database_url = fresh_database_url(os.environ.get("DATABASE_URL"), workdir)
        env = server_environment(database_url=database_url, workdir=workdir, sandbox_url=sandbox.url)
        os.environ.clear()
        os.environ.update(env)
        sys.path.insert(0, str(BASE_DIR))
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        seed(sandbox_url=sandbox.url)
        from django.db import connections

        connections.close_all()

        port = free_port()
        origin = f"http://127.0.0.1:{port}"
        log = (workdir / "gunicorn.log").open("w")
        server = subprocess.Popen(
            [
                *(str(VENV_BIN / "gunicorn"), "socialhub.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}"),
                *("--timeout", "60", "--error-logfile", "-", "--capture-output"),
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        wait_until_up(f"{origin}/api/schema", server)
        setup_seconds = time.monotonic() - started
        print(f"fuzz: server on {origin}, database {database_url.rsplit('/', 1)[-1]}, setup {setup_seconds:.0f} s")

        config = schemathesis_config(workdir / "schemathesis.toml", auth_file=wfc_auth_file(workdir / "auth.json"))
        command = [
            str(VENV_BIN / "schemathesis"),
            "--config-file",
            str(config),
            "run",
            f"{origin}/api/schema",
            "--checks",
            "all",
            "--phases",
            "examples,coverage,fuzzing,stateful",
            "--max-examples",
            str(args.max_examples),
            "--seed",
            str(args.seed),
            "--workers",
            "2",
            "--generation-database",
            "none",
            "--request-timeout",
            "30",
            "--report",
            "junit",
            "--report-dir",
            args.report_dir,
            "--no-color",
            *args.extra,
        ]
        fuzz_started = time.monotonic()
        result = subprocess.run(command, cwd=workdir, env=env)  # its own state dir (.schemathesis) goes there
        print(f"fuzz: schemathesis took {time.monotonic() - fuzz_started:.0f} s, exit status {result.returncode}")
        return result.returncode
    except Exception as exc:
        print(f"fuzz: setup failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
            errors = (workdir / "gunicorn.log").read_text(errors="replace")
            if "Traceback" in errors:
                print("fuzz: server log (tracebacks):\n" + errors[-20000:])
        if sandbox is not None:
            sandbox.stop()
        if args.keep:
            print(f"fuzz: kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
