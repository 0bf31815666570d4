"""Layering rules that a code review would miss: read every module's imports with `ast`, run nothing.

- The Buffer sandbox is a development and test tool: no product module imports `buffer_sandbox`
  (tests, conftests and the sandbox itself may), so production needs none of its dependencies.
- The publishing engine is a part of `posts` the content side never reaches into: rules, services,
  composer, views, API and admin change a post through `posts.transitions`; the engine finds it in the
  database. Only `posts.tasks` (Celery's entry points), the engine itself and health may import it.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCT_PACKAGES = ("socialhub", "accounts", "buffer_integration", "posts", "campaigns", "analytics", "publisher")
ENGINE_IMPORTERS_ALLOWED = ("posts/engine/", "posts/tasks.py", "socialhub/health.py")


def _is_test_code(path: Path) -> bool:
    parts = path.relative_to(ROOT).parts
    return "tests" in parts or path.name == "conftest.py"


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _product_modules():
    for package in PRODUCT_PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if not _is_test_code(path):
                yield path


def test_no_product_module_imports_the_sandbox():
    offenders = {
        str(path.relative_to(ROOT)): sorted(n for n in _imports(path) if n.split(".")[0] == "buffer_sandbox")
        for path in _product_modules()
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_content_side_of_posts_does_not_import_the_engine():
    offenders = {}
    for path in _product_modules():
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith(ENGINE_IMPORTERS_ALLOWED):
            continue
        engine = sorted(n for n in _imports(path) if n == "posts.engine" or n.startswith("posts.engine."))
        if engine:
            offenders[relative] = engine
    assert offenders == {}


def test_the_sandbox_imports_no_product_code():
    offenders = {}
    for path in sorted((ROOT / "buffer_sandbox").rglob("*.py")):
        if _is_test_code(path):
            continue
        product = sorted(n for n in _imports(path) if n.split(".")[0] in PRODUCT_PACKAGES)
        if product:
            offenders[str(path.relative_to(ROOT))] = product
    assert offenders == {}
