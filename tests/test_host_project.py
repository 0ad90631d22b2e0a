"""`articles` as a plugin: built as a wheel, installed into a minimal host site, and used."""

import ast
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import install_wheel

# Under pytest-xdist, one worker runs every test that installs the wheel, which it builds once.
pytestmark = pytest.mark.xdist_group("wheel")

PROJECT = Path(__file__).resolve().parent.parent
HEADLINE = "Putin Signals Willingness for Direct Peace Talks with Ukraine"


def test_wheel_carries_the_app_with_templates_static_and_migrations(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "articles/templates/articles/article_page.html" in names
    assert "articles/static/articles/newsroom.css" in names
    assert "articles/migrations/0001_initial.py" in names
    assert "articles/management/commands/import_stories.py" in names
    assert not [n for n in names if n.startswith("newsroom/")]


@pytest.fixture(scope="module")
def host_run(wheel, tmp_path_factory):
    """The host site, importing `articles` from the installed wheel only (not this repo)."""
    host = tmp_path_factory.mktemp("host")
    site_packages = host / "site-packages"
    install_wheel(wheel, site_packages)
    shutil.copytree(PROJECT / "tests" / "host_project", host / "tests" / "host_project")
    (host / "tests" / "__init__.py").write_text("")
    env = {
        **os.environ,
        "PYTHONPATH": str(site_packages),
        "HOST_DIR": str(host),
        "DJANGO_SETTINGS_MODULE": "tests.host_project.settings",
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "tests.host_project.smoke", str(PROJECT / "seeds")],
        cwd=host,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_host_imports_the_app_from_the_wheel(host_run):
    assert "site-packages" in host_run["articles_module"]


def test_newsroom_attaches_under_the_hosts_own_home_page(host_run):
    assert host_run["host_home_type"] == "wagtailcore.Page"
    assert host_run["section_parent"] is True
    assert host_run["can_create_section_under_home"] is True


def test_host_serves_article_sections_and_feed(host_run):
    assert host_run["status"] == {
        "home": 200,
        "section": 200,
        "secondary_section": 200,
        "article": 200,
        "feed": 200,
    }
    assert host_run["article_url"].startswith("/top-stories/")
    assert HEADLINE in host_run["article_html"]
    assert "Monday, May 12, 2025" in host_run["article_html"]
    assert HEADLINE in host_run["section_html"]
    assert HEADLINE in host_run["world_html"]
    assert HEADLINE in host_run["feed"]


def test_articles_never_imports_from_the_newsroom_project():
    offenders = []
    for path in (PROJECT / "articles").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            offenders += [f"{path}: {n}" for n in names if n.split(".")[0] == "newsroom"]
    assert offenders == []
