"""RSS 2.0 and Atom feeds of the latest live articles, for the site, each section, each
author and each topic; and an RSS feed of the corrections log."""

import copy

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from wagtail.models import Site

from . import archives, bylines, images
from .models import ArticleCorrection, ArticlePage, live_sections_by_url_path
from .site_name import site_name
from .xml_text import xml_safe

FEED_SIZE = 50
MEDIA_NS = "http://search.yahoo.com/mrss/"
DC_NS = "http://purl.org/dc/elements/1.1/"


def _contributors(item) -> list[str]:
    """Everyone in the byline who is not an author of the story (photos, video, translation,
    editing, by default): they go in the feed as contributors."""
    return item.get("contributors") or []


def _add_media_element(handler, item) -> None:
    """The lead image as a Media RSS element, understood by RSS and Atom readers alike."""
    media = item.get("media")
    if not media:
        return
    ref = media["ref"]
    handler.startElement(
        "media:content",
        {
            "url": ref.url,
            "medium": "image",
            "type": ref.media_type,
            "width": str(ref.width),
            "height": str(ref.height),
        },
    )
    if media["alt"]:
        handler.addQuickElement("media:description", media["alt"], {"type": "plain"})
    if media["caption"]:
        handler.addQuickElement("media:title", media["caption"], {"type": "plain"})
    if media["credit"]:
        handler.addQuickElement("media:credit", media["credit"])
    handler.endElement("media:content")


class XmlSafeFeed:
    """Feed and item text without the characters XML 1.0 forbids: one story with an ESC in
    its headline must not take the feed down."""

    def __init__(self, *args, **kwargs):
        super().__init__(*xml_safe(list(args)), **xml_safe(kwargs))

    def add_item(self, *args, **kwargs):
        super().add_item(*xml_safe(list(args)), **xml_safe(kwargs))


class MediaRssFeed(XmlSafeFeed, Rss201rev2Feed):
    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:media": MEDIA_NS, "xmlns:dc": DC_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name in _contributors(item):
            handler.addQuickElement("dc:contributor", name)
        _add_media_element(handler, item)


class MediaAtomFeed(XmlSafeFeed, Atom1Feed):
    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name in _contributors(item):
            handler.startElement("contributor", {})
            handler.addQuickElement("name", name)
            handler.endElement("contributor")
        _add_media_element(handler, item)


class LatestArticlesFeed(Feed):
    """The site's latest live, public articles, newest first."""

    feed_type = MediaRssFeed
    item_guid_is_permalink = False

    def __call__(self, request, *args, **kwargs):
        # The URLconf shares one instance between requests: give each request its own copy.
        feed = copy.copy(self)
        feed.request = request
        return Feed.__call__(feed, request, *args, **kwargs)

    def get_object(self, request, *args, **kwargs):
        site = Site.find_for_request(request)
        if site is None:
            raise Http404("No site matches this host.")
        return site.root_page.specific

    def title(self, obj):
        return site_name(Site.find_for_request(self.request))

    def link(self, obj):
        return obj.get_full_url(self.request)

    def description(self, obj):
        return f"The latest stories from {self.title(obj)}"

    def articles(self, obj):
        return ArticlePage.objects.for_readers().descendant_of(obj)

    def items(self, obj):
        return self.articles(obj)[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Feed readers treat descriptions as HTML; the standfirst is text, so escape it. The
        # corrections and updates published with the story follow it, newest first.
        parts = [escape(item.standfirst)]
        notes = sorted(
            (item.reader_extras or {}).get("corrections", []),
            key=lambda c: c["noted_at"],
            reverse=True,
        )
        kinds = dict(ArticleCorrection.Kind.choices)
        parts += [
            f"<p><strong>{escape(kinds.get(c['kind'], c['kind']))}</strong> "
            f"({escape(c['noted_at'][:10])}): {escape(c['text'])}</p>"
            for c in notes
        ]
        return "".join(parts)

    def item_link(self, item):
        return item.get_full_url(self.request)

    def item_guid(self, item):
        # Stable across slug changes and moves: the page's UUID, not its URL.
        return f"urn:uuid:{item.translation_key}"

    def item_pubdate(self, item):
        return item.publication_date

    def item_updateddate(self, item):
        return max(filter(None, [item.last_published_at, item.publication_date]))

    def item_author_name(self, item):
        return ", ".join(bylines.author_names(item.credits())) or None

    def item_extra_kwargs(self, item):
        authors = set(bylines.author_names(item.credits()))
        extra = {"contributors": [c.name for c in item.credits() if c.name not in authors]}
        if not item.lead_image:
            return extra
        return {
            **extra,
            "media": {
                "ref": images.crop(item.lead_image, images.FEED_CROP, self.request),
                "alt": item.lead_image_alt,
                "caption": item.lead_image_caption,
                "credit": item.lead_image_credit,
            },
        }


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = MediaAtomFeed
    subtitle = LatestArticlesFeed.description


class SectionArticlesFeed(LatestArticlesFeed):
    """Articles filed in one section (as primary or secondary section), found by its path."""

    def get_object(self, request, section_path):
        site = Site.find_for_request(request)
        if site is None:
            raise Http404("No site matches this host.")
        url_path = f"{site.root_page.url_path}{section_path.strip('/')}/"
        section = live_sections_by_url_path().get(url_path)  # live and public, cached
        if section is None:
            raise Http404("No section at this address.")
        return section

    def title(self, obj):
        return f"{obj.title} · {site_name(Site.find_for_request(self.request))}"

    def description(self, obj):
        return f"The latest stories in {obj.title}"

    def articles(self, obj):
        return obj.articles()


class SectionArticlesAtomFeed(SectionArticlesFeed):
    feed_type = MediaAtomFeed
    subtitle = SectionArticlesFeed.description


class AuthorArticlesFeed(LatestArticlesFeed):
    """One author's latest stories (`/authors/<slug>/feed/`)."""

    def get_object(self, request, slug):
        return archives.author_or_404(slug)

    def title(self, obj):
        return f"{obj.name} · {site_name(Site.find_for_request(self.request))}"

    def link(self, obj):
        return _reader_url(self.request, "articles:author", slug=obj.slug)

    def description(self, obj):
        return f"The latest stories by {obj.name}"

    def articles(self, obj):
        return archives.articles_by(obj)


class TopicArticlesFeed(LatestArticlesFeed):
    """One topic's latest stories (`/topics/<slug>/feed/`)."""

    def get_object(self, request, slug):
        return archives.topic_or_404(slug)

    def title(self, obj):
        return f"{obj.name} · {site_name(Site.find_for_request(self.request))}"

    def link(self, obj):
        return _reader_url(self.request, "articles:topic", slug=obj.slug)

    def description(self, obj):
        return f"The latest stories on {obj.name}"

    def articles(self, obj):
        return archives.articles_on(obj)


class CorrectionsFeed(LatestArticlesFeed):
    """The corrections log (`/corrections/feed/`): one item per correction or update."""

    def get_object(self, request, *args, **kwargs):
        return None

    def title(self, obj):
        return f"Corrections · {site_name(Site.find_for_request(self.request))}"

    def link(self, obj):
        return _reader_url(self.request, "articles:corrections")

    def description(self, obj):
        return "Every correction and update to our stories, newest first"

    def items(self, obj):
        return archives.with_articles(list(archives.public_corrections()[:FEED_SIZE]))

    def item_title(self, item):
        return f"{item.get_kind_display()}: {item.article.title}"

    def item_description(self, item):
        return escape(item.text)

    def item_link(self, item):
        return f"{item.article.get_full_url(self.request)}#corrections-heading"

    def item_guid(self, item):
        # A tag URI (RFC 4151): stable, and unique to this note.
        host = Site.find_for_request(self.request).hostname
        return f"tag:{host},{item.noted_at.date().isoformat()}:correction-{item.pk}"

    def item_pubdate(self, item):
        return item.noted_at

    def item_updateddate(self, item):
        return item.noted_at

    def item_author_name(self, item):
        return None

    def item_extra_kwargs(self, item):
        return {}


def _reader_url(request, name: str, **kwargs) -> str:
    """An absolute address on the Site's own host, as the articles' links are."""
    site = Site.find_for_request(request)
    path = reverse(name, kwargs=kwargs or None)
    return site.root_url + path if site is not None else request.build_absolute_uri(path)
