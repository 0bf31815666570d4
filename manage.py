#!/usr/bin/env python
import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialhub.settings")
    from kernel.env import load_env_file

    # A development checkout (bin/setup made var/local.env) runs like bin/run: its secrets, DEBUG on,
    # and what the shell already set wins. Without the file (production) only the environment counts.
    if load_env_file(BASE_DIR / "var" / "local.env"):
        os.environ.setdefault("DEBUG", "true")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
