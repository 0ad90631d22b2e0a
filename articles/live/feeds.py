"""RSS 2.0 and Atom feeds of a live coverage page's updates, at the page's own address:
/world/election-night/feed/ and /feed/atom/. They read the page's one cached stream
(articles/live/updates.py), so they show exactly what the page shows, hidden updates never.
"""

from django.http import Http404
from django.utils.dateparse import parse_datetime
from django.utils.html import escape
from wagtail.models import Site

from ..feeds import LatestArticlesFeed, MediaAtomFeed, SectionArticlesAtomFeed, SectionArticlesFeed
from ..models import LiveCoveragePage, live_sections_by_url_path
from ..reader.rendered import shared_view
from . import updates


class LiveUpdatesFeed(LatestArticlesFeed):
    """The updates of one live coverage page, newest first."""

    def get_object(self, request, section_path):
        page = live_page_at(request, section_path)
        if page is None:
            raise Http404("No live coverage at this address.")
        page.stream = updates.stream(page.pk)
        if not page.stream.get("readable"):
            raise Http404("No live coverage at this address.")
        return page

    def title(self, obj):
        return f"Live: {obj.title}"

    def description(self, obj):
        return obj.standfirst or f"Updates on {obj.title}, as they are posted"

    def items(self, obj):
        self.page_url = obj.get_full_url(self.request)
        return obj.stream["entries"]

    def item_title(self, item):
        return item["headline"] or item["text"][:80] or f"Update at {item['time']}"

    def item_description(self, item):
        # The update's words as text (feed readers show descriptions as HTML: escaped).
        parts = [f"<p>{escape(item['text'])}</p>"]
        if item["correction_note"]:
            parts.append(f"<p><strong>Correction:</strong> {escape(item['correction_note'])}</p>")
        return "".join(parts)

    def item_link(self, item):
        return f"{self.page_url}#{item['anchor']}"

    def item_guid(self, item):
        return f"{self.page_url}#{item['anchor']}"

    def item_pubdate(self, item):
        return parse_datetime(item["posted_at"])

    def item_updateddate(self, item):
        return parse_datetime(item["updated_at"])

    def item_author_name(self, item):
        return ", ".join(item["authors"]) or None

    def item_extra_kwargs(self, item):
        return {}


class LiveUpdatesAtomFeed(LiveUpdatesFeed):
    feed_type = MediaAtomFeed
    subtitle = LiveUpdatesFeed.description


def live_page_at(request, section_path: str):
    site = Site.find_for_request(request)
    if site is None:
        return None
    url_path = f"{site.root_page.url_path}{section_path.strip('/')}/"
    return LiveCoveragePage.objects.live().filter(url_path=url_path).first()


_feeds = {
    False: (SectionArticlesFeed(), LiveUpdatesFeed()),
    True: (SectionArticlesAtomFeed(), LiveUpdatesAtomFeed()),
}


def section_or_live_feed(request, section_path: str, atom: bool = False):
    """/<path>/feed/ is a section's feed of stories, or a live page's feed of updates."""
    section_feed, live_feed = _feeds[atom]
    site = Site.find_for_request(request)
    url_path = f"{site.root_page.url_path}{section_path.strip('/')}/" if site else ""
    if url_path in live_sections_by_url_path():
        # Rendered once per content version; a live page's feed follows its updates instead.
        return shared_view(section_feed)(request, section_path=section_path)
    return live_feed(request, section_path=section_path)
