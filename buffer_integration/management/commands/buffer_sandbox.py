"""`manage.py buffer_sandbox`: run the local Buffer v1 stand-in (buffer_integration.sandbox).

Only a thin wrapper: the sandbox itself never imports Django, so it also runs in plain pytest.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from buffer_integration.sandbox.server import SandboxServer


def _rate(value: str) -> float:
    rate = float(value)
    if not 0.0 <= rate <= 1.0:
        raise ValueError(value)
    return rate


class Command(BaseCommand):
    help = "Serve a Buffer v1 REST API sandbox (deterministic data, movable clock, fault injection)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8008)
        parser.add_argument(
            "--state",
            default=None,
            help="SQLite file (default: VAR_DIR/buffer_sandbox.sqlite3, i.e. BASE_DIR/var); ':memory:' for none.",
        )
        parser.add_argument("--latency-ms", type=int, default=0, help="Delay every /1/ answer by N ms.")
        parser.add_argument("--error-rate", type=_rate, default=0.0, help="Fraction of /1/ calls answered 500.")
        parser.add_argument(
            "--error-after-write",
            action="store_true",
            help="Injected 500s on POST apply the write first (a lost response).",
        )
        parser.add_argument("--rate-limit-rate", type=_rate, default=0.0, help="Fraction of /1/ calls answered 429.")
        parser.add_argument("--down", action="store_true", help="Answer every /1/ call 503.")
        parser.add_argument("--seed", type=int, default=None, help="Seed for the fault RNG (reproducible faults).")
        parser.add_argument("--rate-limit-per-minute", type=int, default=60, help="Per-token limit; 0 disables.")

    def handle(self, *args, **options) -> None:
        # VAR_DIR is BASE_DIR/var unless SOCIALHUB_VAR_DIR moves all runtime files elsewhere.
        var_dir = Path(getattr(settings, "VAR_DIR", Path(settings.BASE_DIR) / "var"))
        state = options["state"] or str(var_dir / "buffer_sandbox.sqlite3")
        if state != ":memory:":
            Path(state).parent.mkdir(parents=True, exist_ok=True)
        server = SandboxServer(
            host=options["host"],
            port=options["port"],
            state_path=state,
            rate_limit_per_minute=options["rate_limit_per_minute"],
            quiet=False,
            latency_ms=options["latency_ms"],
            error_rate=options["error_rate"],
            error_after_write=options["error_after_write"],
            rate_limit_rate=options["rate_limit_rate"],
            down=options["down"],
            seed=options["seed"],
            log=lambda line: (self.stdout.write(line), self.stdout.flush()),
        )
        self.stdout.write(
            f"Buffer sandbox on {server.url}/1/ and {server.url}/graphql"
            f" (admin: {server.url}/__sandbox/, state: {state})"
        )
        self.stdout.flush()
        server.serve_forever()
        self.stdout.write("Buffer sandbox stopped.")
