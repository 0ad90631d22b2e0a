"""The one owner of "content changed": every reaction to every state change of the
newsroom's content is here, and nowhere else. Connected by `register_signal_handlers()` from
`ArticlesConfig.ready()`; a writer that bypasses Django's signals (the importer's bulk insert)
calls `articles_imported()` instead of repeating the reactions.

| change | reactions |
| --- | --- |
| any page published, unpublished, moved, deleted | content version (the reader cache) |
| article published or unpublished | purge it, its sections, the site pages, its sitemap, |
| | its authors' and topics' pages, the corrections log |
| article saved whole (created, published, a revision made live) | refile its sections |
| article moved | refile; purge old and new address and both sections |
| article's slug changed | purge its old address |
| article deleted | purge where it showed (before the rows go) |
| section published, unpublished, deleted | purge it, its feeds, the site pages |
| section moved or its slug changed | purge every page under it at both addresses |
| section created outside every newsroom section | the newsroom's review workflow |
| view restriction added, changed, lifted | content version; purge the page and all below |
| image file uploaded (new or replaced) | a name with a random part, before it is stored; |
| | its embedded credit, copyright and caption into the image's rights |
| image saved or deleted (file, focal point, title) | content version; purge live pages using it |
| author saved (name, role, bio, photo, links) | stored bylines; content version; purge |
| | the articles and the author page |
| site saved or deleted | content version |
| journalist logs in without an author profile | their profile, linked to their account |
| bulk import | filings, content version, purge (`articles_imported`) |
| live update posted, changed, hidden, deleted | its page's stream (articles/live/updates.py); |
| | purge the page, its feeds of updates and its update endpoint |
| live coverage page published, unpublished, moved, | its stream (readers may see it or not), |
| deleted, made private or public | as well as everything an article gets |

Purges go through `frontend_cache` (Wagtail's frontend cache, after the transaction commits);
nothing is sent unless `WAGTAILFRONTENDCACHE` is configured (production: `VARNISH_URL`). The
search index follows pages through Wagtail's own handlers; the bulk writer writes its entries.
"""

import logging

from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from . import filings, frontend_cache, reader_cache, signals
from .live import updates as live_updates
from .media_visibility import live_pages_using, unguessable_name
from .models import (
    ArticlePage,
    Author,
    BreakingNewsAlert,
    ImageRights,
    LiveCoveragePage,
    LiveEntry,
    SectionPage,
)
from .roles import ensure_author_profile

# Page types that are articles (filed in sections, listed, purged as articles).
ARTICLE_TYPES = (ArticlePage, LiveCoveragePage)
PREVIOUS_SECTIONS = "_newsroom_previous_section_ids"
PREVIOUS_EXTRAS = "_newsroom_previous_reader_extras"
NEW_FILE = "_newsroom_new_file"
logger = logging.getLogger(__name__)


def remember_live_sections(sender, instance, update_fields=None, raw=False, **kwargs):
    """Before publishing saves an article, note the secondary sections readers saw until now,
    and its stored byline, tags and corrections, so a section, an author page or a topic
    page the article is taken off is purged too. Skipped, with no query, for saving a
    draft revision (a few columns) and for the importer's raw inserts of new pages."""
    if instance.pk is None or update_fields is not None or raw:
        return
    through = sender.secondary_sections.through
    setattr(
        instance,
        PREVIOUS_SECTIONS,
        list(
            through.objects.filter(articlepage_id=instance.pk).values_list(
                "sectionpage_id", flat=True
            )
        ),
    )
    setattr(
        instance,
        PREVIOUS_EXTRAS,
        sender.objects.filter(pk=instance.pk).values_list("reader_extras", flat=True).first(),
    )


def _previous_sections(article):
    ids = getattr(article, PREVIOUS_SECTIONS, None)
    if not ids:
        return []
    return list(SectionPage.objects.filter(pk__in=ids))


def article_changed(sender, instance, **kwargs):
    """Published or unpublished."""
    alerts_follow_pages([instance.pk])
    frontend_cache.purge(
        frontend_cache.urls_to_purge(
            instance,
            previous_sections=_previous_sections(instance),
            previous_extras=getattr(instance, PREVIOUS_EXTRAS, None),
        )
    )


def article_moved(sender, instance, parent_page_before, parent_page_after, **kwargs):
    if parent_page_before.pk == parent_page_after.pk or not instance.live:
        return  # a reorder within the section, or a draft: no URL readers see changed
    before = parent_page_before.specific
    before_url = before.get_full_url()
    frontend_cache.purge(
        frontend_cache.urls_to_purge(
            instance.specific,
            previous_sections=[before],
            previous_url=f"{before_url}{instance.slug}/" if before_url else None,
        )
    )


def article_deleted(sender, instance, **kwargs):
    """Before the rows go: the secondary sections are still there to be listed."""
    alerts_follow_pages([instance.pk])
    frontend_cache.purge(frontend_cache.urls_to_purge(instance))


def article_slug_changed(sender, instance, instance_before, **kwargs):
    """Its old URL (publishing, which changed the slug, purges the rest)."""
    frontend_cache.purge(frontend_cache.urls_for_path(instance_before.url_path))


def section_changed(sender, instance, **kwargs):
    """Published, unpublished, or deleted (before the rows go)."""
    frontend_cache.purge(frontend_cache.section_urls_to_purge(instance))


def section_moved(sender, instance, parent_page_after, url_path_before, url_path_after, **kwargs):
    """Every page under the section has a new URL. Not only for a live section: the live
    articles under an unpublished one are still served."""
    if url_path_before == url_path_after:
        # A reorder among its siblings: the parent lists its sections in the new order.
        frontend_cache.purge(frontend_cache.section_urls_to_purge(parent_page_after))
        return
    frontend_cache.purge(
        frontend_cache.section_move_urls_to_purge(
            instance, url_path_before=url_path_before, url_path_after=url_path_after
        )
    )


def section_slug_changed(sender, instance, instance_before, **kwargs):
    """A new slug moves every page under the section, as a move does."""
    frontend_cache.purge(
        frontend_cache.section_move_urls_to_purge(
            instance, url_path_before=instance_before.url_path, url_path_after=instance.url_path
        )
    )


def view_restriction_changed(sender, instance, **kwargs):
    """A page made private (password, login, groups), its restriction changed or lifted: it
    and every page under it leave (or rejoin) the listings, feeds and sitemaps, and the copies
    Varnish keeps of all of them must go."""
    reader_cache.bump_content_version()
    page = Page.objects.filter(pk=instance.page_id).first()
    try:
        specific = page.specific if page is not None else None
    except ObjectDoesNotExist:
        specific = None  # its page is being deleted (its row of a page type already gone)
    if specific is None:
        return  # the restriction goes with its page, whose deletion purges
    live_pages_below_changed(specific)
    alerts_follow_pages(Page.objects.descendant_of(specific, inclusive=True).values("pk"))
    frontend_cache.purge(frontend_cache.subtree_urls_to_purge(specific))


def section_created(sender, instance, created, raw=False, **kwargs):
    """A new section outside every newsroom section (under a host's page, by an editor or
    an import) goes through the newsroom's review, as those set up by `setup_newsroom` do;
    the host's own pages keep their workflow."""
    if not created or raw:
        return
    from .roles import attach_workflow, newsroom_workflow

    workflow = newsroom_workflow()
    if workflow is None:
        return  # not set up yet: setup_newsroom attaches it
    current = instance.get_workflow()
    if current is None or current.pk != workflow.pk:
        attach_workflow(instance, workflow)


def article_saved(sender, instance, **kwargs):
    """A whole save (creation, publishing, a revision made live), relations included, can
    change the sections and the date."""
    filings.refile_article(instance)


def article_moved_refile(sender, instance, **kwargs):
    filings.refile_article(ArticlePage.objects.get(pk=instance.pk))


def content_version_changed(**kwargs):
    reader_cache.bump_content_version()


def author_saved(sender, instance, raw=False, **kwargs):
    """A new name or role reaches the articles that already show the author: their stored
    byline, the cached copies, and the pages Varnish keeps."""
    if raw:
        return
    articles = list(ArticlePage.objects.filter(byline__author=instance).distinct())
    for article in articles:
        ArticlePage.objects.filter(pk=article.pk).update(
            reader_extras=article.compute_reader_extras()
        )
    # Its own page and feed show the name, bio and photo too (rendered once per version).
    reader_cache.bump_content_version()
    if articles:
        for article in articles:
            if article.live:
                frontend_cache.purge(frontend_cache.urls_to_purge(article))
    frontend_cache.purge(frontend_cache.author_urls(instance))  # bio, photo, links


def image_changed(sender, instance, raw=False, **kwargs):
    """A new file, focal point or title changes what readers of every live article using
    the image see (renditions are cut from the file around the focal point)."""
    if raw:
        return
    reader_cache.bump_content_version()
    for page in live_pages_using(instance).type(ArticlePage).specific():
        frontend_cache.purge(frontend_cache.urls_to_purge(page))


def image_uploading(sender, instance, raw=False, **kwargs):
    """A new file (a new image, or a replaced file) gets a name no one can guess, before the
    storage saves it: its renditions are named after it."""
    if raw or not instance.file or getattr(instance.file, "_committed", True):
        return
    instance.file.name = unguessable_name(instance.file.name)
    setattr(instance, NEW_FILE, True)


def image_file_stored(sender, instance, raw=False, **kwargs):
    """A new file's embedded credit, copyright and caption fill the image's rights where
    they are still empty (what its form said comes first)."""
    if raw or not getattr(instance, NEW_FILE, False):
        return
    setattr(instance, NEW_FILE, False)
    try:
        ImageRights.fill_from_file(instance)
    except OSError:
        # The storage can't give the file back just now: the upload stands without its
        # rights, which `manage.py read_image_rights` reads later.
        logger.warning("Could not read the rights of image %s", instance.pk, exc_info=True)


def articles_imported(pages) -> None:
    """The importer inserted `pages` (pairs of article and parent section) in bulk, which
    sends no signal: file them, and once the transaction commits, refresh and purge what
    readers see."""
    filings.file_new_articles(pages)
    if any(article.live for article, _parent in pages):
        transaction.on_commit(reader_cache.bump_content_version)
        frontend_cache.purge(frontend_cache.imported_articles_urls_to_purge(pages))


def live_entry_changed(sender, instance, raw=False, **kwargs):
    """An update posted, corrected, hidden, pinned or deleted (articles/live/entries.py):
    once committed, the page's stream is computed again and Varnish's copies go."""
    if raw:
        return
    page_id = instance.page_id
    transaction.on_commit(lambda: live_updates.refresh(page_id))
    page = LiveCoveragePage.objects.filter(pk=page_id).first()
    if page is not None:
        frontend_cache.purge(frontend_cache.live_urls(page))


def live_entry_authors_changed(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        live_entry_changed(sender, instance)


def live_page_changed(sender, instance, **kwargs):
    """Published, unpublished, moved or deleted: whether readers may see its updates."""
    page_id = instance.pk
    transaction.on_commit(lambda: live_updates.refresh(page_id))


def live_pages_below_changed(page) -> None:
    """A view restriction on `page` reaches the live coverage under it."""
    for page_id in LiveCoveragePage.objects.descendant_of(page, inclusive=True).values_list(
        "pk", flat=True
    ):
        transaction.on_commit(lambda page_id=page_id: live_updates.refresh(page_id))


def alert_changed(sender, instance, raw=False, **kwargs):
    """An alert written, changed or deleted (in the admin, by an editor): once committed,
    every reader page's banner, the alerts feeds and API, and ninjs show the change."""
    if raw:
        return
    transaction.on_commit(reader_cache.bump_content_version)
    frontend_cache.purge(
        frontend_cache.alert_urls(alert_ids=[instance.pk], page_ids=[instance.page_id])
    )


def alerts_follow_pages(page_ids) -> None:
    """A story readers stop (or start) seeing takes its alerts with it: the content version
    (bumped by the page's own change) recomputes them, and Varnish's copies go."""
    _purge_alerts(
        BreakingNewsAlert.objects.filter(page__in=page_ids, expires_at__gt=timezone.now())
    )


def alerts_came_and_went(since, until) -> int:
    """The scheduler's tick (publish_scheduled_loop): the alerts that started or expired in
    (since, until] leave the caches in front. Readers' copies already expire then (their
    cache lifetime ends at the alert's next moment); this is for a cache that keeps longer."""
    moments = Q(starts_at__gt=since, starts_at__lte=until) | Q(
        expires_at__gt=since, expires_at__lte=until
    )
    return _purge_alerts(BreakingNewsAlert.objects.filter(moments))


def _purge_alerts(alerts) -> int:
    """Purge what shows `alerts` (a queryset): the alert doors and their stories' ninjs."""
    rows = list(alerts.values_list("pk", "page_id"))
    if rows:
        frontend_cache.purge(
            frontend_cache.alert_urls(
                alert_ids=[pk for pk, _ in rows], page_ids={page for _, page in rows}
            )
        )
    return len(rows)


def journalist_logged_in(sender, request, user, **kwargs):
    ensure_author_profile(user)


def register_signal_handlers() -> None:
    uid = "newsroom"
    # The reader cache: any page, of any type, that readers may see or stop seeing.
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(content_version_changed, dispatch_uid=f"{uid}-version-{id(signal)}")
    for model in (Page, Site, get_image_model()):
        post_delete.connect(
            content_version_changed, sender=model, dispatch_uid=f"{uid}-version-del-{model}"
        )
    post_save.connect(content_version_changed, sender=Site, dispatch_uid=f"{uid}-version-site")
    # Articles.
    signals.article_saved.connect(article_saved, dispatch_uid=f"{uid}-refile")
    for article_type in ARTICLE_TYPES:
        post_page_move.connect(
            article_moved_refile,
            sender=article_type,
            dispatch_uid=f"{uid}-refile-moved-{article_type.__name__}",
        )
    # Live coverage: its updates, and its page's state, reach its stream.
    for signal, name in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(live_entry_changed, sender=LiveEntry, dispatch_uid=f"{uid}-live-{name}")
    for signal, name in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(alert_changed, sender=BreakingNewsAlert, dispatch_uid=f"{uid}-alert-{name}")
    m2m_changed.connect(
        live_entry_authors_changed,
        sender=LiveEntry.authors.through,
        dispatch_uid=f"{uid}-live-authors",
    )
    for signal, name in (
        (page_published, "published"),
        (page_unpublished, "unpublished"),
        (post_page_move, "moved"),
        (post_delete, "deleted"),
    ):
        signal.connect(
            live_page_changed, sender=LiveCoveragePage, dispatch_uid=f"{uid}-live-page-{name}"
        )
    post_save.connect(author_saved, sender=Author, dispatch_uid=f"{uid}-author")
    user_logged_in.connect(journalist_logged_in, dispatch_uid=f"{uid}-author-profile")
    for signal, name in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(image_changed, sender=get_image_model(), dispatch_uid=f"{uid}-image-{name}")
    pre_save.connect(image_uploading, sender=get_image_model(), dispatch_uid=f"{uid}-image-name")
    post_save.connect(
        image_file_stored, sender=get_image_model(), dispatch_uid=f"{uid}-image-rights"
    )
    connect_frontend_cache_purges()


def connect_frontend_cache_purges() -> None:
    uid = "newsroom-frontend-cache"
    # Live coverage is an article too; Django sends model signals for the saved class only.
    for article_type in ARTICLE_TYPES:
        name = article_type.__name__
        pre_save.connect(
            remember_live_sections, sender=article_type, dispatch_uid=f"{uid}-pre-save-{name}"
        )
        page_published.connect(
            article_changed, sender=article_type, dispatch_uid=f"{uid}-published-{name}"
        )
        page_unpublished.connect(
            article_changed, sender=article_type, dispatch_uid=f"{uid}-unpublished-{name}"
        )
        post_page_move.connect(
            article_moved, sender=article_type, dispatch_uid=f"{uid}-moved-{name}"
        )
        pre_delete.connect(
            article_deleted, sender=article_type, dispatch_uid=f"{uid}-deleted-{name}"
        )
        page_slug_changed.connect(
            article_slug_changed, sender=article_type, dispatch_uid=f"{uid}-slug-changed-{name}"
        )
    for signal, name in (
        (page_published, "published"),
        (page_unpublished, "unpublished"),
        (pre_delete, "deleted"),
    ):
        signal.connect(section_changed, sender=SectionPage, dispatch_uid=f"{uid}-section-{name}")
    post_page_move.connect(section_moved, sender=SectionPage, dispatch_uid=f"{uid}-section-moved")
    post_save.connect(section_created, sender=SectionPage, dispatch_uid="newsroom-section-workflow")
    for signal, name in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(
            view_restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"{uid}-view-restriction-{name}",
        )
    page_slug_changed.connect(
        section_slug_changed, sender=SectionPage, dispatch_uid=f"{uid}-section-slug-changed"
    )
