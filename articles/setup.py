"""Setting up a newsroom: the site, its front page and the default sections. Idempotent."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page, Site

from .conf import newsroom_setting
from .models import HomePage, SectionPage
from .roles import set_up_roles, set_up_workflow


@dataclass
class SetupReport:
    created: list[str] = field(default_factory=list)

    def note(self, what: str) -> None:
        self.created.append(what)


def _is_wagtail_welcome_page(page: Page) -> bool:
    """The placeholder page Wagtail's first migration makes; safe to replace while childless."""
    return page.specific_class is Page and page.depth == 2 and page.numchild == 0


@transaction.atomic
def set_up_newsroom(
    *,
    site_name: str | None = None,
    hostname: str | None = None,
    port: int | None = None,
    parent: Page | None = None,
) -> SetupReport:
    """Our own site (a HomePage as the default site's root), or, given `parent`, a newsroom
    attached under an existing page of a host site, which is left as it is. `hostname` and
    `port` are the address readers use: canonical, Open Graph and feed links carry it."""
    report = SetupReport()
    _ensure_wagtail_roots()
    if parent is not None:
        root = parent
    else:
        root = _home_page(report, site_name)
        _set_address(report, root, hostname, port)

    existing = set(SectionPage.objects.child_of(root).values_list("title", flat=True))
    for title in newsroom_setting("DEFAULT_SECTIONS"):
        if title not in existing:
            section = root.add_child(instance=SectionPage(title=title))
            section.save_revision().publish()
            root.refresh_from_db()
            report.note(f"section “{title}”")
    groups = set_up_roles(root, own_site=parent is None)
    set_up_workflow(root, groups, own_site=parent is None)
    return report


def _ensure_wagtail_roots() -> None:
    """Wagtail's migrations make a default locale, the page tree's root and the root
    collection; a database emptied since (a flush, a partial restore) gets them back."""
    locale = Locale.objects.first() or Locale.objects.create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale, live=True))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")


def _home_page(report: SetupReport, site_name: str | None) -> HomePage:
    site_name = site_name or getattr(settings, "WAGTAIL_SITE_NAME", "Newsroom")
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        for page in root.get_children():
            if _is_wagtail_welcome_page(page):
                Site.objects.filter(root_page=page).update(root_page=root)
                page.delete()
        root.refresh_from_db()
        home = root.add_child(instance=HomePage(title="Home", slug="home"))
        home.save_revision().publish()
        report.note(f"home page “{home.title}”")

    site = (
        Site.objects.filter(root_page=home).first()
        or Site.objects.filter(is_default_site=True).first()
    )
    if site is None:
        Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True, site_name=site_name
        )
        report.note(f"site “{site_name}”")
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = site.site_name or site_name
        site.save()
        report.note(f"site “{site.site_name}” pointed at the home page")
    return home


def _set_address(report: SetupReport, home: Page, hostname: str | None, port: int | None) -> None:
    site = Site.objects.get(root_page=home)
    wanted = (hostname or site.hostname, port or site.port)
    if wanted != (site.hostname, site.port):
        site.hostname, site.port = wanted
        site.save()
        report.note(f"site address {site.hostname}:{site.port}")


def find_parent_page(reference: str) -> Page:
    """A page by id ("42") or by its path in the default site ("/news/")."""
    if reference.isdigit():
        page = Page.objects.filter(pk=int(reference)).first()
    else:
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        if site is None:
            raise ValueError("There is no default site to look the path up in; give a page id.")
        path = reference.strip("/")
        url_path = site.root_page.url_path + (f"{path}/" if path else "")
        page = Page.objects.filter(url_path=url_path).first()
    if page is None:
        raise ValueError(f"No page “{reference}”: give a page id or a path such as /news/.")
    return page.specific
