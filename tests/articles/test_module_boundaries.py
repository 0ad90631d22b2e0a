"""The app's module boundaries: no import cycles among its modules (counting imports inside
functions, the usual way a cycle is hidden), the reader cache a leaf, and one owner of the
reactions to content changes."""

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "articles"


def local_imports(path: Path) -> set[str]:
    """The `articles` modules `path` imports, anywhere in the file."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1 and node.module:
                names.add(node.module.split(".")[0])
            elif node.level == 1:
                names.update(alias.name for alias in node.names)
            elif node.module and node.module.startswith("articles."):
                names.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            names.update(
                alias.name.split(".")[1]
                for alias in node.names
                if alias.name.startswith("articles.")
            )
    return names


def import_graph() -> dict[str, set[str]]:
    modules = {path.stem: path for path in APP.glob("*.py") if path.stem != "__init__"}
    return {name: local_imports(path) & set(modules) for name, path in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    visiting, done = [], set()

    def visit(node):
        if node in visiting:
            return [*visiting[visiting.index(node) :], node]
        if node in done:
            return None
        visiting.append(node)
        for target in sorted(graph.get(node, ())):
            cycle = visit(target)
            if cycle:
                return cycle
        visiting.pop()
        done.add(node)
        return None

    for node in sorted(graph):
        cycle = visit(node)
        if cycle:
            return cycle
    return None


def test_the_apps_modules_import_each_other_without_a_cycle():
    assert find_cycle(import_graph()) is None


def test_the_cycle_finder_finds_one():
    assert find_cycle({"models": {"filings"}, "filings": {"models"}}) == [
        "filings",
        "models",
        "filings",
    ]


def test_the_reader_cache_is_a_leaf():
    assert import_graph()["reader_cache"] == set()
    source = (APP / "reader_cache.py").read_text()
    assert "from wagtail" not in source and "import wagtail" not in source
    assert ".models" not in source


def test_signals_are_connected_in_one_module_only():
    connecting = sorted(
        path.name
        for path in APP.rglob("*.py")
        if "migrations" not in path.parts and ".connect(" in path.read_text()
    )
    assert connecting == ["signal_handlers.py"]


def test_cache_keys_carry_the_code_version(monkeypatch):
    """A deploy never reads values pickled by older code: the key changes with the code."""
    from django.core.cache import cache

    from articles import reader_cache

    assert reader_cache.cached("boundary-test", lambda: "old code") == "old code"
    version = reader_cache.content_version()
    key = f"newsroom:{reader_cache.code_version()}:boundary-test:{version}"
    assert cache.get(key) == "old code"
    monkeypatch.setattr(reader_cache, "code_version", lambda: "a-new-deploy")
    reader_cache._local_values.clear()
    assert reader_cache.cached("boundary-test", lambda: "new code") == "new code"
