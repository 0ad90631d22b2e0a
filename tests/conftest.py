import datetime
import io

import pytest
from django.core.cache import caches
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.images import get_image_model

from articles.models import ArticleAuthor, ArticlePage, Author, HomePage, SectionPage
from articles.setup import set_up_newsroom


@pytest.fixture
def home(db) -> HomePage:
    set_up_newsroom()
    return HomePage.objects.get()


@pytest.fixture
def top_stories(home) -> SectionPage:
    return SectionPage.objects.child_of(home).get(title="Top Stories")


@pytest.fixture
def world(home) -> SectionPage:
    return SectionPage.objects.child_of(home).get(title="World")


@pytest.fixture
def make_image(db):
    """A real image file made with Pillow, stored as a Wagtail image."""

    def make(title="Test photo", size=(1600, 900), color=(200, 30, 30)):
        buffer = io.BytesIO()
        PILImage.new("RGB", size, color).save(buffer, format="JPEG")
        return get_image_model().objects.create(
            title=title, file=ImageFile(buffer, name=f"{title.replace(' ', '-')}.jpg")
        )

    return make


def publish_article(section, *, title, published=None, live=True, **fields) -> ArticlePage:
    """Add an article under `section` through Wagtail's own revision flow."""
    authors = fields.pop("authors", [])
    tags = fields.pop("tags", [])
    article = ArticlePage(
        title=title,
        publication_date=published or timezone.now(),
        live=False,
        byline=[ArticleAuthor(author=author) for author in authors],
        **fields,
    )
    article.tags.add(*tags)
    section.add_child(instance=article)
    revision = article.save_revision()
    if live:
        revision.publish()
    article.refresh_from_db()
    return article


@pytest.fixture
def article_factory(db):
    counter = {"n": 0}

    def make(section, **fields):
        counter["n"] += 1
        fields.setdefault("title", f"Story number {counter['n']}")
        fields.setdefault(
            "published",
            timezone.make_aware(datetime.datetime(2025, 1, 1))
            + datetime.timedelta(hours=counter["n"]),
        )
        return publish_article(section, **fields)

    return make


@pytest.fixture
def author(db) -> Author:
    return Author.objects.create(name="Anna Petrova", role="Moscow correspondent")


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Caches outlive a test's database rollback; ids are reused, so stale entries would leak."""
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture(scope="session")
def wheel(tmp_path_factory):
    """The app's wheel, built once for the host-site tests."""
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    project = Path(__file__).resolve().parent.parent
    out = tmp_path_factory.mktemp("wheel")
    # Built from a copy: setuptools writes build/ and *.egg-info where it builds, and two
    # builds (or an edit) in one tree at once have failed a run.
    source = tmp_path_factory.mktemp("wheel-source") / "project"
    shutil.copytree(
        project,
        source,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "build", "*.egg-info", "media", "test-artifacts", "db.sqlite3*",
            "__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis",
        ),
    )  # fmt: skip
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if built.returncode != 0:
        pytest.fail(f"Building the app's wheel failed:\n{built.stdout}\n{built.stderr}")
    [built] = out.glob("*.whl")
    return built


def install_wheel(wheel, target) -> None:
    """Install the app's wheel alone into `target`, a host site's own packages folder."""
    import subprocess
    import sys

    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target)]
        + [str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
