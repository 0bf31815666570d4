"""Content-Security-Policy on every response (Django 5.2 has none built in).

The web UI loads only its own files: no inline script, no inline style, nothing from another
origin, and it may not be framed. Django's SecurityMiddleware and XFrameOptionsMiddleware send the
other headers (Referrer-Policy, HSTS, nosniff, X-Frame-Options) from the SECURE_* settings.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

PAGE_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    # data: for the small SVGs and icons of the stylesheets; media previews in the composer may be anywhere.
    "img-src": "'self' data: https: http:",
    "media-src": "'self' https: http:",
    "connect-src": "'self'",
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
# Swagger UI (drf-spectacular-sidecar, served by SpectacularSwaggerSplitView: its script is a file)
# ships an inline <style> block and sets styles from React, and draws its icons as data: images.
DOCS_POLICY = {**PAGE_POLICY, "style-src": "'self' 'unsafe-inline'", "img-src": "'self' data:"}
DOCS_PATHS = ("/docs",)


def _header(policy: dict[str, str]) -> str:
    return "; ".join(f"{directive} {sources}" for directive, sources in policy.items())


PAGE_HEADER = _header(PAGE_POLICY)
DOCS_HEADER = _header(DOCS_POLICY)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response.headers:
            docs = request.path.rstrip("/") in DOCS_PATHS
            response.headers["Content-Security-Policy"] = DOCS_HEADER if docs else PAGE_HEADER
        return response
