"""The layering, checked by reading every module's imports with `ast` (nothing is run).

LAYERS is the one place the allowed order is written: a package may import its own modules and
those of the layers before it, never one after it, so no two apps can import each other. Lazy
imports inside functions count too: a cycle hidden in a function is still a cycle. Tests and
conftests are exempt (a test may build any app's objects); migrations are not.

Two rules inside the layering:
- The Buffer sandbox is a development and test tool beside the product: it may use the kernel and
  Buffer's facts in `buffer_integration`, and no product module imports it, so production needs none
  of its dependencies.
- The publishing engine is a part of `posts` the content side never reaches into: rules, services,
  API and admin change a post through `posts.transitions`; the engine finds it in the database. Only
  `posts.tasks` (Celery's entry points), the engine itself and health may import it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Bottom to top. README.md ("Architecture") explains each layer.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("kernel",),  # API plumbing, errors with their HTTP status, crypto, env: imports no app
    ("buffer_integration",),  # the Buffer seam: configs, backends, budgets, Buffer's facts
    ("accounts",),  # users, social accounts and connecting them from Buffer
    ("media_library",),  # uploaded images and videos, checked against the networks' limits
    ("campaigns",),
    ("posts",),  # posts, their rules and transitions, and the publishing engine
    ("analytics",),  # reads and syncs of post metrics, campaign analytics
    ("publisher",),  # the integrators' API on top of posts
    ("web",),  # server-rendered pages: may use every domain app, none uses it
    ("socialhub",),  # the project root: settings, URLs, Celery, health
)
SANDBOX = "buffer_sandbox"
SANDBOX_MAY_IMPORT = ("kernel", "buffer_integration")
ENGINE_IMPORTERS_ALLOWED = ("posts/engine/", "posts/tasks.py", "socialhub/health.py")

LAYER_OF = {package: index for index, layer in enumerate(LAYERS) for package in layer}
PRODUCT_PACKAGES = tuple(LAYER_OF)


def _is_test_code(path: Path) -> bool:
    return "tests" in path.relative_to(ROOT).parts or path.name == "conftest.py"


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _modules(*packages: str) -> Iterator[tuple[str, Path]]:
    for package in packages:
        for path in sorted((ROOT / package).rglob("*.py")):
            if not _is_test_code(path):
                yield package, path


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _imported_packages(path: Path) -> set[str]:
    return {name.split(".")[0] for name in _imports(path)}


def _app_graph() -> dict[str, dict[str, list[str]]]:
    """importer package → imported package → the modules that import it."""
    graph: dict[str, dict[str, list[str]]] = {package: {} for package in (*PRODUCT_PACKAGES, SANDBOX)}
    for package, path in _modules(*PRODUCT_PACKAGES, SANDBOX):
        for imported in _imported_packages(path) & set(graph) - {package}:
            graph[package].setdefault(imported, []).append(_relative(path))
    return graph


def _cycles(graph: dict[str, dict[str, list[str]]]) -> list[list[str]]:
    found: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        for neighbour in sorted(graph[node]):
            if neighbour in trail:
                cycle = [*trail[trail.index(neighbour) :], neighbour]
                if min(cycle[:-1]) == cycle[0]:  # each cycle once, from its smallest member
                    found.append(cycle)
            else:
                visit(neighbour, [*trail, neighbour])

    for start in sorted(graph):
        visit(start, [start])
    return found


def test_every_package_is_placed_in_a_layer():
    top_level = {
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if not path.parent.name.startswith(".") and path.parent.name not in ("bench",)
    }
    assert top_level - set(PRODUCT_PACKAGES) - {SANDBOX} == set()


def _is_upward(importer: str, imported_name: str) -> bool:
    imported = imported_name.split(".")[0]
    return imported in LAYER_OF and LAYER_OF[imported] > LAYER_OF[importer]


def test_the_layer_check_tells_up_from_down():
    assert _is_upward("posts", "web.posts.views")
    assert _is_upward("kernel", "buffer_integration.exceptions")
    assert not _is_upward("posts", "accounts.models")
    assert not _is_upward("posts", "posts.models")
    assert not _is_upward("kernel", "django.db")


def test_apps_import_only_downward():
    upward = {}
    for package, path in _modules(*PRODUCT_PACKAGES):
        higher = sorted(name for name in _imports(path) if _is_upward(package, name))
        if higher:
            upward[_relative(path)] = higher
    assert upward == {}


def test_no_import_cycle_between_apps():
    assert _cycles(_app_graph()) == []


def test_the_cycle_check_finds_a_cycle():
    graph = {"a": {"b": ["a/x.py"]}, "b": {"c": ["b/y.py"]}, "c": {"a": ["c/z.py"]}, "d": {}}
    assert _cycles(graph) == [["a", "b", "c", "a"]]


def test_no_product_module_imports_the_sandbox():
    offenders = {
        _relative(path): sorted(n for n in _imports(path) if n.split(".")[0] == SANDBOX)
        for _, path in _modules(*PRODUCT_PACKAGES)
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_the_sandbox_imports_only_the_kernel_and_buffers_facts():
    offenders = {}
    for _, path in _modules(SANDBOX):
        product = sorted(_imported_packages(path) & set(PRODUCT_PACKAGES) - set(SANDBOX_MAY_IMPORT))
        if product:
            offenders[_relative(path)] = product
    assert offenders == {}


def test_content_side_of_posts_does_not_import_the_engine():
    offenders = {}
    for _, path in _modules(*PRODUCT_PACKAGES):
        relative = _relative(path)
        if relative.startswith(ENGINE_IMPORTERS_ALLOWED):
            continue
        engine = sorted(n for n in _imports(path) if n == "posts.engine" or n.startswith("posts.engine."))
        if engine:
            offenders[relative] = engine
    assert offenders == {}
