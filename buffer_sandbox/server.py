"""HTTP plumbing: a ThreadingHTTPServer that hands `/1/` to the v1 API, `/graphql` to the GraphQL API
(same state, faults and stats) and `/__sandbox/` to admin.

`SandboxServer` is the public entry point (tests, `python -m buffer_sandbox`). It binds
in the constructor, so `url` is known (port=0 picks a free port) before `start()`.
"""

from __future__ import annotations

import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

from buffer_sandbox.admin import PREFIX, AdminApi
from buffer_sandbox.api import V1Api
from buffer_sandbox.budgets import Budgets
from buffer_sandbox.errors import ApiError
from buffer_sandbox.faults import FaultInjector, Faults, RateLimiter, Stats
from buffer_sandbox.graphql_api import PATH as GRAPHQL_PATH
from buffer_sandbox.graphql_api import GraphQLApi
from buffer_sandbox.state import SandboxState
from buffer_sandbox.wire import Request, Response


class SandboxServer:
    """A Buffer v1 look-alike on a real socket.

    Fault flags given here (`latency_ms`, `error_rate`, …) are also what `/__sandbox/reset` returns
    to, so a sandbox started with `--error-rate 0.1` stays flaky across resets. `graphql_rate_limit`
    (per 15 minutes) defaults to Buffer's 100, or to off when `rate_limit_per_minute` is 0.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        state_path: str = ":memory:",
        rate_limit_per_minute: int = 60,
        quiet: bool = True,
        *,
        latency_ms: int = 0,
        error_rate: float = 0.0,
        error_after_write: bool = False,
        rate_limit_rate: float = 0.0,
        down: bool = False,
        seed: int | None = None,
        log: Callable[[str], None] | None = None,
        graphql_rate_limit: int | None = None,
        unexpected_rate: float = 0.0,
        unexpected_after_write: bool = False,
    ):
        if graphql_rate_limit is None:
            graphql_rate_limit = 100 if rate_limit_per_minute else 0
        initial = Faults().merged(
            {
                "latency_ms": latency_ms,
                "error_rate": error_rate,
                "error_after_write": error_after_write,
                "rate_limit_rate": rate_limit_rate,
                "down": down,
                "seed": seed,
                "rate_limit_per_minute": rate_limit_per_minute,
                "graphql_rate_limit": graphql_rate_limit,
                "unexpected_rate": unexpected_rate,
                "unexpected_after_write": unexpected_after_write,
            }
        )
        self.state = SandboxState(state_path)
        self.faults = FaultInjector(initial)
        self.limiter = RateLimiter()
        self.stats = Stats()
        self.v1 = V1Api(self.state, self.faults, self.limiter, self.stats)
        self.budgets = Budgets()
        self.graphql = GraphQLApi(self.state, self.faults, self.budgets, self.stats)
        self.admin = AdminApi(self.state, self.faults, self.limiter, self.stats, self.budgets)
        self.quiet = quiet
        self._log = log or (lambda line: print(line, file=sys.stdout, flush=True))
        self.httpd = ThreadingHTTPServer((host, port), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.sandbox = self  # type: ignore[attr-defined]
        self._thread: threading.Thread | None = None
        self._stopped = False
        self._done = threading.Event()
        self._stop_lock = threading.Lock()

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> SandboxServer:
        """Serve from a daemon thread; the socket is already listening, so callers may connect at once."""
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="buffer-sandbox", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the listening socket (new connections are refused) and the store."""
        self._done.set()
        with self._stop_lock:
            if self._stopped:
                return
            self._stopped = True
            if self._thread is not None:
                self.httpd.shutdown()
                self._thread.join(timeout=5)
            self.httpd.server_close()
            self.state.close()

    def serve_forever(self) -> None:
        """Block until Ctrl-C, SIGTERM or `stop()`, then stop cleanly (for the management command)."""
        previous = {}
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                previous[sig] = signal.signal(sig, lambda *_: self._done.set())
        try:
            self.start()
            while not self._done.wait(0.5):
                pass
        finally:
            self.stop()
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def dispatch(self, request: Request) -> Response:
        if request.path.startswith("/1/"):
            return self.v1.handle(request)
        if request.path.rstrip("/") == GRAPHQL_PATH:
            return self.graphql.handle(request)
        if request.path.startswith(PREFIX) or request.path == PREFIX.rstrip("/"):
            return self.admin.handle(request)
        return Response.json(404, ApiError(404).body())

    def log(self, line: str) -> None:
        if not self.quiet:
            self._log(line)


class _Handler(BaseHTTPRequestHandler):
    server_version = "BufferSandbox/1.0"
    timeout = 30  # a stalled client must not pin a thread forever

    def _handle(self) -> None:
        started = time.monotonic()
        sandbox: SandboxServer = self.server.sandbox  # type: ignore[attr-defined]
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        length = int(self.headers.get("Content-Length") or 0)
        request = Request(
            method=self.command,
            path=path,
            query_string=parts.query,
            headers={k.lower(): v for k, v in self.headers.items()},
            body=self.rfile.read(length) if length > 0 else b"",
        )
        try:
            response = sandbox.dispatch(request)
        except Exception:
            traceback.print_exc()
            response = Response.json(500, ApiError(1000).body())
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if response.body and self.command != "HEAD":
            self.wfile.write(response.body)
        # Only the path: query strings and bodies may carry access tokens.
        sandbox.log(f"{self.command} {path} {response.status} {(time.monotonic() - started) * 1000:.1f}ms")

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _handle

    def log_message(self, format: str, *args: object) -> None:
        """Silence http.server's own stderr lines; `_handle` logs one sanitised line per call."""
