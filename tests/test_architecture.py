"""The package's layers: which part may import which, no import circles, a text layer free of Sphinx.

``docs/architecture.md`` describes the layers; these tests hold the code to it. Every
``import`` and ``from ... import`` of every module counts, at module level and inside
functions alike; only imports under ``if TYPE_CHECKING:`` (never run) are left out.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

PACKAGE = REPO / "extensions" / "confarchive"

#: what each part may import from confarchive, besides itself (``*`` for anything)
ALLOWED = {
    "problems": set(),
    "model": set(),
    "version": set(),
    "text": {"problems", "model"},
    "config": {"text"},
    "nodes": set(),
    "importer": {"text", "problems", "model"},
    "checks": {"config"},
    "archive": {"text", "problems", "model", "config", "nodes"},
    "directives": {"archive", "text", "problems", "model", "config", "nodes"},
    "search": {"archive", "text", "problems", "model", "config", "nodes"},
    "publish": {"archive", "text", "problems", "model", "config", "version"},
    "cli": {"importer", "checks", "text"},
    "__main__": {"cli"},
    "__init__": {"version", "extension"},
    "extension": {"*"},
}
#: the parts that must work without Sphinx, docutils or MyST
PURE = ("confarchive.text", "confarchive.importer", "confarchive.cli", "confarchive.problems",
        "confarchive.model", "confarchive.config", "confarchive.checks.report", "confarchive.checks.walker")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The confarchive modules ``name`` imports, wherever in it the import stands."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _type_checking(child):
                for other in child.orelse:
                    visit(other)
                continue
            if isinstance(child, ast.Import):
                found.update(alias.name for alias in child.names if alias.name.startswith("confarchive"))
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".")
                    base = base[: len(base) - (child.level - 1)] if child.level > 1 else base
                    target = ".".join([*base, *([child.module] if child.module else [])])
                else:
                    target = child.module or ""
                if not target.startswith("confarchive"):
                    continue
                for alias in child.names:
                    # "from . import config": a module; "from .x import y": x (or x.y, a module)
                    submodule = f"{target}.{alias.name}"
                    found.add(submodule if submodule in known else target)
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    found.discard(name)
    return {module for module in found if module in known}


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    found = modules()
    return {name: imports_of(name, path, set(found)) for name, path in found.items()}


def part_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import circles of ``graph``: Tarjan's strongly connected components of two or more modules."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def connect(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in graph.get(module, ()):
            if other not in index:
                connect(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            connect(module)
    return found


def test_there_are_no_import_circles(graph):
    assert circles(graph) == []


def test_a_circle_is_found_however_long():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set()}
    assert circles(graph) == [["a", "b", "c"]]


def test_function_level_imports_count(tmp_path):
    path = tmp_path / "sample.py"
    path.write_text("from __future__ import annotations\nfrom typing import TYPE_CHECKING\n"
                    "if TYPE_CHECKING:\n    from confarchive import model\n"
                    "def f():\n    from confarchive.text import slugs\n")
    assert imports_of("confarchive.sample", path, {"confarchive.text.slugs", "confarchive.model"}) == {
        "confarchive.text.slugs"}


def test_each_part_imports_only_the_parts_below_it(graph):
    wrong = []
    for module, imported in sorted(graph.items()):
        part = part_of(module)
        allowed = ALLOWED[part]
        for other in sorted(imported):
            other_part = part_of(other)
            if other_part != part and "*" not in allowed and other_part not in allowed:
                wrong.append(f"{module} imports {other}")
    assert wrong == []


def test_every_part_has_a_place_in_the_layers(graph):
    assert {part_of(module) for module in graph} <= set(ALLOWED)


def test_text_importer_and_the_command_import_no_sphinx():
    code = (
        "import importlib, pkgutil, sys\n"
        f"names = {list(PURE)!r}\n"
        "for name in names:\n"
        "    module = importlib.import_module(name)\n"
        "    for found in pkgutil.walk_packages(getattr(module, '__path__', []), name + '.'):\n"
        "        importlib.import_module(found.name)\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'sphinx', 'docutils', 'myst_parser'}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            env={"PYTHONPATH": str(PACKAGE.parent), "PATH": "/usr/bin:/bin"})
    assert result.stdout.strip() == "[]"


def test_no_private_config_and_no_cache_of_build_state():
    sources = {path: path.read_text(encoding="utf-8") for path in PACKAGE.rglob("*.py")}
    assert [path.name for path, text in sources.items() if "_raw_config" in text] == []
    cached = sorted(f"{path.relative_to(PACKAGE)}" for path, text in sources.items() if "lru_cache" in text)
    # pure functions of their text only: a slug, a lexer's name
    assert cached == ["importer/migrate.py", "text/slugs.py"]


def test_every_setting_is_registered_in_one_place():
    registering = sorted(path.relative_to(PACKAGE).as_posix() for path in PACKAGE.rglob("*.py")
                         if "add_config_value" in path.read_text(encoding="utf-8"))
    assert registering == ["config.py"]


def test_the_configuration_reference_lists_every_setting_with_its_help(docs_build):
    from bs4 import BeautifulSoup
    from confarchive.config import PREFIX, fields

    page = BeautifulSoup((docs_build / "reference" / "configuration.html").read_text(encoding="utf-8"),
                         "html.parser")
    rows = page.select("table.confarchive-config-reference tbody tr")
    assert [row.find("code").get_text() for row in rows] == [PREFIX + item.name for item in fields()]
    for row, item in zip(rows, fields()):
        shown = row.find_all("td")[-1].get_text().strip().replace("\u2019", "'")  # smart quotes
        assert " ".join(shown.split()) == " ".join(item.metadata["help"].replace("``", "").split()), item.name


def test_the_warnings_reference_lists_every_kind(docs_build):
    from bs4 import BeautifulSoup
    from confarchive.problems import IMPORT_ONLY, ArchiveWarning

    page = BeautifulSoup((docs_build / "reference" / "warnings.html").read_text(encoding="utf-8"), "html.parser")
    cells = page.select("table.confarchive-warnings-reference tbody tr td:first-child code")
    listed = [code.get_text() for code in cells]
    assert listed == [f"confarchive.{kind.value}" for kind in ArchiveWarning if kind not in IMPORT_ONLY] + [
        kind.label for kind in ArchiveWarning if kind in IMPORT_ONLY]
    described = [cell.get_text(" ", strip=True) for cell in
                 page.select("table.confarchive-warnings-reference tbody tr td:last-child")]
    assert all(len(text) > 20 for text in described)
