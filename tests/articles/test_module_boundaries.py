"""The app's module boundaries: no import cycles among its modules (counting imports inside
functions, the usual way a cycle is hidden), the reader cache a leaf, and one owner of the
reactions to content changes."""

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "articles"


def module_name(path: Path) -> str:
    """`articles/stories/importer.py` -> `stories.importer`."""
    return ".".join(path.relative_to(APP).with_suffix("").parts)


def local_imports(path: Path, modules: set[str]) -> set[str]:
    """The `articles` modules `path` imports, anywhere in the file (a package counts as
    its modules: `from .stories import importer` is `stories.importer`)."""
    here = module_name(path).split(".")[:-1]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        targets = []
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - (node.level - 1)]
                base += node.module.split(".") if node.module else []
            elif node.module and node.module.startswith("articles."):
                base = node.module.split(".")[1:]
            else:
                continue
            targets.append(".".join(base))
            targets += [".".join([*base, alias.name]) for alias in node.names]
        elif isinstance(node, ast.Import):
            targets += [
                alias.name.split(".", 1)[1]
                for alias in node.names
                if alias.name.startswith("articles.")
            ]
        names.update(target for target in targets if target in modules)
    return names


def import_graph() -> dict[str, set[str]]:
    paths = {
        module_name(path): path
        for path in APP.rglob("*.py")
        if path.stem != "__init__" and not {"migrations", "management"} & set(path.parts)
    }
    return {name: local_imports(path, set(paths)) for name, path in paths.items()}


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


def test_the_graph_sees_the_stories_package():
    graph = import_graph()
    assert {"models", "stories.bulk_writer", "stories.sections"} <= graph["stories.importer"]
    assert graph["stories.format"] == set()


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
