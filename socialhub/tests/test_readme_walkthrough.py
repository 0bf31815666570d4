"""The README's curl walk-through runs on any day against any database: nothing in it is hard-coded.

(It was run verbatim against `bin/run`; this keeps later edits from pinning ids or dates again.)
"""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent.parent / "README.md"


def walkthrough() -> str:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("### Walk-through with curl") :]
    return section[section.index("```bash") : section.index("```\n", section.index("```bash") + 7)]


def test_ids_come_from_the_answers_not_from_the_text():
    script = walkthrough()
    assert not re.findall(r"/[a-z-]+/\d+(?:/|\b)", script)  # e.g. /posts/1/schedule
    assert not re.findall(r'_id\\?"?:\s*\d', script)  # e.g. "social_account_id": 1


def test_dates_are_relative_to_today():
    assert not re.findall(r"\b20\d\d-\d\d-\d\d", walkthrough())


def test_it_needs_nothing_but_a_shell():
    script = walkthrough()
    assert "python" not in script and "jq" not in script
