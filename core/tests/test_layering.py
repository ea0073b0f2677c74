"""The apps' dependencies point one way: core imports neither app, accounts never imports
chatbot, and no module imports itself back through others."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("core", "accounts", "chatbot", "config")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_names(nodes) -> set[str]:
    """The project modules (and names in them) that these statements import."""
    found = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return {name for name in found if name.split(".")[0] in PACKAGES}


def project_imports(path: Path) -> set[str]:
    """What a file imports anywhere, lazy imports inside functions included."""
    return imported_names(ast.walk(ast.parse(path.read_text())))


SOURCES = {
    module_name(path): path
    for package in PACKAGES
    for path in (ROOT / package).rglob("*.py")
    if "migrations" not in path.parts and "tests" not in path.parts
}
GRAPH = {name: project_imports(path) & SOURCES.keys() for name, path in SOURCES.items()}


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [("core", ("accounts", "chatbot", "config")), ("accounts", ("chatbot",))],
)
def test_dependencies_point_one_way(package, forbidden):
    wrong = {
        (name, imported)
        for name, imports in GRAPH.items()
        if name.split(".")[0] == package
        for imported in imports
        if imported.split(".")[0] in forbidden
    }
    assert not wrong


def test_no_import_cycles():
    """Only imports at module level make a cycle; a function's own import runs later."""
    top_level = {
        name: imported_names(ast.parse(path.read_text()).body) & SOURCES.keys()
        for name, path in SOURCES.items()
    }
    visiting, done, cycles = set(), set(), []

    def visit(name: str, trail: list[str]) -> None:
        if name in done:
            return
        if name in visiting:
            cycles.append([*trail[trail.index(name) :], name])
            return
        visiting.add(name)
        for imported in sorted(top_level[name]):
            visit(imported, [*trail, name])
        visiting.discard(name)
        done.add(name)

    for name in sorted(top_level):
        visit(name, [])
    assert not cycles
