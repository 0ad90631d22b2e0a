"""RSS 2.0 and Atom feeds of the latest live articles, for the site and for each section."""

import copy

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from wagtail.models import Site

from . import images
from .models import ArticlePage, live_sections_by_url_path
from .site_name import site_name
from .xml_text import xml_safe

FEED_SIZE = 50
MEDIA_NS = "http://search.yahoo.com/mrss/"


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
        return {**super().rss_attributes(), "xmlns:media": MEDIA_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        _add_media_element(handler, item)


class MediaAtomFeed(XmlSafeFeed, Atom1Feed):
    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
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
        return self.articles(obj).prefetch_related("byline__author")[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Feed readers treat descriptions as HTML; the standfirst is text, so escape it.
        return escape(item.standfirst)

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
        names = [entry.author.name for entry in item.byline.all()]
        return ", ".join(names) or None

    def item_extra_kwargs(self, item):
        if not item.lead_image:
            return {}
        return {
            "media": {
                "ref": images.crop(item.lead_image, images.FEED_CROP, self.request),
                "alt": item.lead_image_alt,
                "caption": item.lead_image_caption,
                "credit": item.lead_image_credit,
            }
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
