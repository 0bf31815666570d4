"""`python -m buffer_sandbox`: run the local Buffer stand-in (v1 at /1/, GraphQL at /graphql).

A development and test tool, not product: no Django, and no production module imports this package.
The default state file is SOCIALHUB_VAR_DIR (else ./var) / buffer_sandbox.sqlite3, beside the
product's own runtime files.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from buffer_sandbox.server import SandboxServer


def _print_line(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _rate(value: str) -> float:
    rate = float(value)
    if not 0.0 <= rate <= 1.0:
        raise argparse.ArgumentTypeError(f"{value} is not between 0 and 1")
    return rate


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m buffer_sandbox",
        description="Serve a Buffer API sandbox (deterministic data, movable clock, fault injection).",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8008)
    parser.add_argument(
        "--state", default=None, help="SQLite file (default: VAR_DIR/buffer_sandbox.sqlite3); ':memory:' for none."
    )
    parser.add_argument("--latency-ms", type=int, default=0, help="Delay every answer by N ms.")
    parser.add_argument("--error-rate", type=_rate, default=0.0, help="Fraction of calls answered 500.")
    parser.add_argument(
        "--error-after-write",
        action="store_true",
        help="Injected 500s on writes apply the write first (a lost response).",
    )
    parser.add_argument("--rate-limit-rate", type=_rate, default=0.0, help="Fraction of calls answered 429.")
    parser.add_argument("--down", action="store_true", help="Answer every call 503.")
    parser.add_argument("--seed", type=int, default=None, help="Seed for the fault RNG (reproducible faults).")
    parser.add_argument("--rate-limit-per-minute", type=int, default=60, help="v1 per-token limit; 0 disables.")
    parser.add_argument(
        "--graphql-rate-limit",
        type=int,
        default=None,
        help="GraphQL requests per key per 15 min (Buffer: 100, with the plan's 24 h / 30 d windows); 0 disables.",
    )
    parser.add_argument(
        "--unexpected-rate", type=_rate, default=0.0, help="Fraction of GraphQL calls answered UNEXPECTED (HTTP 200)."
    )
    parser.add_argument(
        "--unexpected-after-write", action="store_true", help="Injected UNEXPECTED answers on writes apply them first."
    )
    return parser


def build_server(argv: list[str] | None = None) -> tuple[SandboxServer, str]:
    """The server the command line describes (bound, not yet serving), and its state path."""
    options = _parser().parse_args(argv)
    var_dir = Path(os.environ.get("SOCIALHUB_VAR_DIR") or Path.cwd() / "var")
    state = options.state or str(var_dir / "buffer_sandbox.sqlite3")
    if state != ":memory:":
        Path(state).parent.mkdir(parents=True, exist_ok=True)
    return SandboxServer(
        host=options.host,
        port=options.port,
        state_path=state,
        rate_limit_per_minute=options.rate_limit_per_minute,
        quiet=False,
        latency_ms=options.latency_ms,
        error_rate=options.error_rate,
        error_after_write=options.error_after_write,
        rate_limit_rate=options.rate_limit_rate,
        down=options.down,
        seed=options.seed,
        graphql_rate_limit=options.graphql_rate_limit,
        unexpected_rate=options.unexpected_rate,
        unexpected_after_write=options.unexpected_after_write,
        log=_print_line,
    ), state


def main(argv: list[str] | None = None) -> int:
    server, state = build_server(argv)
    print(
        f"Buffer sandbox on {server.url}/1/ and {server.url}/graphql (admin: {server.url}/__sandbox/, state: {state})",
        flush=True,
    )
    server.serve_forever()
    print("Buffer sandbox stopped.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
