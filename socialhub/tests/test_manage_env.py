"""`manage.py` reads var/local.env as bin/run does, and the demo password can be reset."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from accounts.models import User
from kernel.env import load_env_file

BASE_DIR = Path(__file__).resolve().parent.parent.parent


class TestLoadEnvFile:
    def test_sets_what_is_missing_and_keeps_what_is_set(self, tmp_path):
        path = tmp_path / "local.env"
        path.write_text("# made by bin/setup\n\nSECRET_KEY=from-file\nexport A='quoted value'\nB=\"x=y\"\nKEPT=file\n")
        environ = {"KEPT": "shell"}
        assert load_env_file(path, environ=environ) is True
        assert environ == {"SECRET_KEY": "from-file", "A": "quoted value", "B": "x=y", "KEPT": "shell"}

    def test_no_file_changes_nothing(self, tmp_path):
        environ: dict[str, str] = {}
        assert load_env_file(tmp_path / "missing.env", environ=environ) is False and environ == {}

    def test_a_malformed_line_names_the_file_and_line(self, tmp_path):
        path = tmp_path / "local.env"
        path.write_text("GOOD=1\nthis is not an assignment\n")
        with pytest.raises(ImproperlyConfigured, match=r"local\.env, line 2"):
            load_env_file(path, environ={})


@pytest.mark.django_db
class TestEnsureDemoUser:
    def test_reset_password_gives_a_new_one_and_prints_it(self, capsys):
        call_command("ensure_demo_user")
        first = capsys.readouterr().out.rsplit("password: ", 1)[1].strip()
        call_command("ensure_demo_user")
        assert "--reset-password" in capsys.readouterr().out  # says how, when the password is not shown again
        call_command("ensure_demo_user", "--reset-password")
        second = capsys.readouterr().out.rsplit(": ", 1)[1].strip()
        demo = User.objects.get(username="demo")
        assert second != first and demo.check_password(second) and not demo.check_password(first)

    def test_reset_password_of_an_unknown_user_is_an_error(self):
        with pytest.raises(CommandError, match="No user 'ghost'"):
            call_command("ensure_demo_user", "--reset-password", "--username", "ghost")


@pytest.mark.slow
def test_manage_py_changepassword_works_with_only_var_local_env(tmp_path):
    """A checkout where bin/setup wrote var/local.env: plain `manage.py changepassword demo` works."""
    shutil.copy(BASE_DIR / "manage.py", tmp_path / "manage.py")
    (tmp_path / "var").mkdir()
    (tmp_path / "var" / "local.env").write_text(
        "SECRET_KEY=local-env-secret-key-for-the-manage-py-test-0123456789\n"
        "FIELD_ENCRYPTION_KEYS=dGVzdC1rZXktb25lLXRlc3Qta2V5LW9uZS10ZXN0LWs=\n"
        f"SOCIALHUB_VAR_DIR={tmp_path / 'var'}\n"
    )
    # Nothing from this test session's environment: only what a new shell would have.
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "PYTHONPATH": str(BASE_DIR)}

    def manage(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=tmp_path,
            env=env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert manage("migrate", "-v0").returncode == 0
    assert "Demo user created" in manage("ensure_demo_user").stdout
    changed = manage("changepassword", "demo", stdin="a-new-Passw0rd-for-demo\n" * 2)
    assert changed.returncode == 0, changed.stderr
    assert "Password changed successfully for user 'demo'" in changed.stdout
    assert "New password for demo:" in manage("ensure_demo_user", "--reset-password").stdout
