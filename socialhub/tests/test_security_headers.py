"""Security headers of the web UI: a CSP without inline script, no framing, a referrer policy, HSTS and
`check --deploy` clean with production settings."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from kernel.middleware import ContentSecurityPolicyMiddleware

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
PRODUCTION = {
    "DEBUG": "false",
    "DJANGO_SETTINGS_MODULE": "socialhub.settings",
    "SECRET_KEY": "k8Jq2vX9pL4mN7rT1wZ5bC3fH6yA0sD-eG_uI8oP2qR4tV6xY9zB1nM3",
    "FIELD_ENCRYPTION_KEYS": "dGVzdC1rZXktb25lLXRlc3Qta2V5LW9uZS10ZXN0LWs=",
    "ALLOWED_HOSTS": "socialhub.example.com",
    "SECURE_HSTS_PRELOAD": "true",
}


def directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


@pytest.mark.django_db
class TestPages:
    @pytest.mark.parametrize("path", ["/", "/posts/", "/posts/new/", "/campaigns/", "/accounts/", "/settings/"])
    def test_every_page_forbids_inline_script_and_framing(self, web, path):
        response = web.get(path)
        assert response.status_code == 200
        csp = directives(response)
        assert csp["script-src"] == "'self'" and "unsafe" not in csp["script-src"]
        assert csp["style-src"] == "'self'"
        assert csp["frame-ancestors"] == "'none'" and csp["object-src"] == "'none'"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert response.headers["X-Content-Type-Options"] == "nosniff"

    def test_the_login_page_and_the_api_have_it_too(self, client, api):
        assert directives(client.get("/login/"))["frame-ancestors"] == "'none'"
        assert directives(api.get("/api/v1/me"))["default-src"] == "'self'"

    def test_swagger_ui_runs_its_script_from_a_file(self, client):
        response = client.get("/docs")
        html = response.content.decode()
        csp = directives(response)
        assert "unsafe" not in csp["script-src"] and csp["frame-ancestors"] == "'none'"
        # Every <script> has a src on our own origin; the start-up script is one of them and is JavaScript.
        scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
        assert scripts and all('src="/' in attrs and not body.strip() for attrs, body in scripts)
        init = re.search(r'<script src="(/docs\?[^"]*script[^"]*)"', html).group(1).replace("&amp;", "&")
        script = client.get(init)
        assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()


@override_settings(SECURE_SSL_REDIRECT=True, SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True)
@pytest.mark.django_db
def test_production_redirects_to_https_and_sends_hsts(client):
    assert client.get("/login/").status_code == 301
    secure = client.get("/login/", secure=True)
    assert secure.status_code == 200
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    # The health probe of a load balancer may be plain http.
    assert client.get("/api/v1/health").status_code in (200, 503)


def test_a_view_that_sets_its_own_policy_keeps_it(rf):
    from django.http import HttpResponse

    def view(request):
        response = HttpResponse()
        response.headers["Content-Security-Policy"] = "default-src 'none'"
        return response

    response = ContentSecurityPolicyMiddleware(view)(rf.get("/"))
    assert response.headers["Content-Security-Policy"] == "default-src 'none'"


def test_templates_have_no_inline_script_handlers_or_styles():
    """What the CSP would block in a browser, caught here first: inline <script>, on* handlers, style attributes."""
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        html = path.read_text()
        for match in re.finditer(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", html):
            offenders.append(f"{path.name}: {match.group(0)}")
        offenders += [f"{path.name}: {m.group(0)}" for m in re.finditer(r"\son[a-z]+=\"", html)]
        offenders += [f"{path.name}: {m.group(0)}" for m in re.finditer(r"\sstyle=\"", html)]
        offenders += [f"{path.name}: {m.group(0)}" for m in re.finditer(r"<style", html)]
    assert offenders == []


def test_production_settings_turn_the_secure_switches_on():
    assert settings.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    assert settings.SECURE_HSTS_SECONDS >= 31536000


def test_check_deploy_is_clean_with_production_settings():
    env = {key: value for key, value in os.environ.items() if not key.startswith(("SECURE_", "DJANGO_"))}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**env, **PRODUCTION},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
