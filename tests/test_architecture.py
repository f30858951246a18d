"""The shape of the code: imports go one way, no two modules import each other, demo data stays
apart from production code, every package says what it is for, and no module is too long."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("lms", "courses", "quizzes")
MAX_LINES = 400


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts or "catalog" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """Project modules that ``name`` imports (at any depth of the file, lazy imports included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                full = f"{base}.{alias.name}"
                targets.add(full if full in MODULES else base)
    resolved = set()
    for target in targets:
        while target and target not in MODULES:
            target = target.rpartition(".")[0]
        if target and target != name:
            resolved.add(target)
    return resolved


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _is_parent(a: str, b: str) -> bool:
    return b.startswith(a + ".")


def test_no_two_modules_import_each_other():
    pairs = sorted(
        (a, b)
        for a, targets in GRAPH.items()
        for b in targets
        if a < b and a in GRAPH.get(b, ()) and not _is_parent(a, b) and not _is_parent(b, a)
    )
    assert pairs == []


def _top(name: str) -> str:
    return name.split(".")[0]


@pytest.mark.parametrize(
    ("importer", "forbidden"),
    [("lms", ("courses", "quizzes")), ("courses", ("quizzes",))],
)
def test_imports_go_quizzes_courses_lms_only(importer, forbidden):
    wrong = sorted(
        (name, target)
        for name, targets in GRAPH.items()
        if _top(name) == importer
        for target in targets
        if _top(target) in forbidden
    )
    assert wrong == []


def _inside(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        (
            "quizzes.taking",
            ("quizzes.results", "quizzes.views", "quizzes.authoring", "quizzes.demo"),
        ),
        ("quizzes.authoring", ("quizzes.taking", "quizzes.results", "quizzes.views")),
        ("quizzes.results", ("quizzes.views", "quizzes.authoring")),
        ("quizzes.qtypes", ("quizzes.taking", "quizzes.results", "quizzes.views")),
        ("quizzes.surveys", ("quizzes.views", "quizzes.authoring", "quizzes.demo")),
    ],
)
def test_quizzes_rooms_import_only_what_their_docstring_allows(package, forbidden):
    wrong = sorted(
        (name, target)
        for name, targets in GRAPH.items()
        if _inside(name, package)
        for target in targets
        if any(_inside(target, f) for f in forbidden)
    )
    assert wrong == []


def test_production_code_never_imports_demo_data():
    demo = ("courses.demo", "quizzes.demo")
    wrong = sorted(
        (name, target)
        for name, targets in GRAPH.items()
        if not any(_inside(name, d) for d in demo)
        for target in targets
        if any(_inside(target, d) for d in demo)
    )
    # the plugin objects load their demo lazily, through the ``demo`` hook only
    assert wrong == [("courses", "courses.demo.loader"), ("quizzes", "quizzes.demo.loader")]


def test_demo_modules_live_in_demo_packages():
    stray = sorted(
        name
        for name, path in MODULES.items()
        if "demo" in path.stem and "demo" not in path.relative_to(ROOT).parts[:-1]
    )
    assert stray == []


def test_every_package_says_what_it_is_for_and_what_it_may_import():
    missing = sorted(
        name
        for name, path in MODULES.items()
        if path.name == "__init__.py"
        and "templates" not in path.parts
        and "may import" not in (ast.get_docstring(ast.parse(path.read_text())) or "").lower()
    )
    assert missing == []


def test_no_module_is_over_400_lines():
    long = sorted(
        (name, n)
        for name, path in MODULES.items()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    )
    assert long == []
