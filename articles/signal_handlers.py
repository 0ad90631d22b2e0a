"""Purge the frontend cache (Varnish, a CDN) when articles and sections change.

Connected from `ArticlesConfig.ready()` through `connect_signals()`. Nothing is sent unless
`WAGTAILFRONTENDCACHE` is configured (production: `VARNISH_URL`).
"""

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from wagtail.models import PageViewRestriction
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from . import frontend_cache

PREVIOUS_SECTIONS = "_newsroom_previous_section_ids"


def remember_live_sections(sender, instance, update_fields=None, raw=False, **kwargs):
    """Before publishing saves an article, note the secondary sections readers saw until now,
    so a section the article is taken off is purged too. Skipped, with no query, for saving a
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


def _previous_sections(article):
    from .models import SectionPage

    ids = getattr(article, PREVIOUS_SECTIONS, None)
    if not ids:
        return []
    return list(SectionPage.objects.filter(pk__in=ids))


def article_changed(sender, instance, **kwargs):
    """Published or unpublished."""
    frontend_cache.purge(
        frontend_cache.urls_to_purge(instance, previous_sections=_previous_sections(instance))
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
    from wagtail.models import Page

    page = Page.objects.filter(pk=instance.page_id).first()
    if page is None:
        return  # the restriction goes with its page, whose deletion purges
    frontend_cache.purge(frontend_cache.subtree_urls_to_purge(page.specific))


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


def connect_signals() -> None:
    from .models import ArticlePage, SectionPage

    uid = "newsroom-frontend-cache"
    pre_save.connect(remember_live_sections, sender=ArticlePage, dispatch_uid=f"{uid}-pre-save")
    page_published.connect(article_changed, sender=ArticlePage, dispatch_uid=f"{uid}-published")
    page_unpublished.connect(article_changed, sender=ArticlePage, dispatch_uid=f"{uid}-unpublished")
    post_page_move.connect(article_moved, sender=ArticlePage, dispatch_uid=f"{uid}-moved")
    pre_delete.connect(article_deleted, sender=ArticlePage, dispatch_uid=f"{uid}-deleted")
    page_slug_changed.connect(
        article_slug_changed, sender=ArticlePage, dispatch_uid=f"{uid}-slug-changed"
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
