"""The newsroom's sections as the importer sees them: found by title under the newsroom's
home, created on first use under the tree lock (so two imports never both make "Business")."""

from collections.abc import Iterable, Sequence

from django.db import connection, transaction
from django.utils.text import slugify
from wagtail.models import Page, Site

from ..conf import reserved_section_slugs
from ..models import HomePage, SectionPage

SLUG_MAX_LENGTH = 80
# Sections nest at most this deep below the newsroom's home (Wagtail's tree allows about 60).
MAX_SECTION_LEVELS = 12


class NoNewsroomError(Exception):
    """There is no home page to import into."""


# Any number, the same in every process: PostgreSQL's advisory lock for the newsroom's tree.
TREE_LOCK = 0x6E657773


def lock_newsroom_tree() -> None:
    """Until this transaction ends, only this import adds sections and stories: two imports at
    once take turns, batch by batch, instead of both making "Business" or both picking the same
    slug from what each read before. SQLite's writers take turns anyway (IMMEDIATE
    transactions)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [TREE_LOCK])


def lock_parent_rows(parents: Iterable[Page]) -> None:
    """Lock the sections new articles go into, in id order, before reading their children:
    an editor adding a page there waits for this batch instead of both taking the same tree
    position and deadlocking. Both of a section's rows (page and section table), as Wagtail's
    add_child locks them: holding only one, the batch's foreign-key checks at commit waited
    for an editor holding the other."""
    ids = sorted({parent.pk for parent in parents})
    list(SectionPage.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))


def newsroom_root() -> Page:
    """Where the newsroom's top-level sections live: the default site's HomePage, else (the
    newsroom attached to a host site) the parent of the top-most section."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site and site.root_page.specific_class is HomePage:
        return site.root_page.specific
    home = HomePage.objects.order_by("path").first()
    if home is not None:
        return home
    top_section = SectionPage.objects.order_by("depth", "path").first()
    if top_section is not None:
        return top_section.get_parent().specific
    raise NoNewsroomError(
        "There is no newsroom to import into. Run `manage.py setup_newsroom` first."
    )


class SectionDirectory:
    """The newsroom's sections, loaded once per run; missing ones are created on first use."""

    def __init__(self, home: Page, *, dry_run: bool, new_sections: list[str]):
        self.home = home
        self.dry_run = dry_run
        self.new_sections = new_sections  # labels of sections made, in order
        self.pages: list[Page] = list(SectionPage.objects.descendant_of(home).order_by("path"))

    def _child(self, parent: Page, title: str) -> Page | None:
        wanted = title.casefold()
        for page in self.pages:
            if page.depth == parent.depth + 1 and page.path.startswith(parent.path):
                if page.title.casefold() == wanted:
                    return page
        return None

    def _create(self, parent: Page, title: str, label: str) -> Page:
        if self.dry_run:
            # Stand-in with a fake path so nested lookups work; nothing is written.
            page = SectionPage(title=title, path=f"{parent.path}DRY{len(self.pages):04d}")
            page.depth = parent.depth + 1
        else:
            with transaction.atomic():
                lock_newsroom_tree()
                # Another import may have made it since this run loaded the sections.
                made_meanwhile = (
                    SectionPage.objects.child_of(parent).filter(title__iexact=title).first()
                )
                if made_meanwhile is not None:
                    self.pages.append(made_meanwhile)
                    return made_meanwhile
                taken = set(
                    Page.objects.filter(
                        path__startswith=parent.path, depth=parent.depth + 1
                    ).values_list("slug", flat=True)
                )
                slug = unique_slug(title, taken | reserved_section_slugs(), fallback="section")
                page = parent.add_child(instance=SectionPage(title=title, slug=slug))
                page.save_revision().publish()
            parent.refresh_from_db()
        self.pages.append(page)
        self.new_sections.append(label)
        return page

    def all_known(self, section_path: Sequence[str], names: Sequence[str]) -> bool:
        """Whether the story's sections all exist already (planning it writes nothing)."""
        parent: Page | None = self.home
        for title in section_path:
            parent = self._child(parent, title)
            if parent is None:
                return False
        known = {page.title.casefold() for page in self.pages}
        return all(name.casefold() in known for name in names)

    def mark(self) -> tuple[int, int]:
        return len(self.pages), len(self.new_sections)

    def forget_since(self, mark: tuple[int, int]) -> None:
        """A transaction that made sections was rolled back: they are gone again."""
        del self.pages[mark[0] :]
        del self.new_sections[mark[1] :]

    def primary(self, section_path: Sequence[str]) -> Page:
        """The section at `Home > a > b`, creating the missing levels."""
        parent: Page = self.home
        for depth, title in enumerate(section_path, start=1):
            child = self._child(parent, title)
            if child is None:
                child = self._create(parent, title, " > ".join(section_path[:depth]))
            parent = child
        return parent

    def secondary(self, names: Sequence[str], primary: Page) -> list[Page]:
        """Sections named in the bullets: an existing one nearest the primary section, else a
        new top-level section. The primary section itself is not repeated."""
        found: list[Page] = []
        for name in names:
            matches = [p for p in self.pages if p.title.casefold() == name.casefold()]
            if matches:
                section = max(
                    matches, key=lambda p: (_shared_prefix(p.path, primary.path), -p.depth)
                )
            else:
                section = self._create(self.home, name, name)
            if section != primary and section not in found:
                found.append(section)
        return found


def _shared_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n - n % Page.steplen


def unique_slug(headline: str, taken: set[str], *, fallback: str = "story") -> str:
    base = slugify(headline, allow_unicode=True)[:SLUG_MAX_LENGTH].strip("-") or fallback
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base[: SLUG_MAX_LENGTH - len(str(n)) - 1]}-{n}"
    return slug
