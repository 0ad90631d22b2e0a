"""The app's settings, each read as `NEWSROOM_<NAME>` from Django settings, with defaults.

A host project sets only what it wants to change, e.g. `NEWSROOM_SECTION_PAGE_SIZE = 30`.
"""

from django.conf import settings

DEFAULTS = {
    # The site's name as readers see it; unset, the Wagtail Site's name (see site_name.py).
    "SITE_NAME": None,
    # Where the newsroom's search answers. A host with a search of its own at /search/ (as
    # `wagtail start` makes) sets another path, so neither hides the other.
    "SEARCH_PATH": "search/",
    # Sections `setup_newsroom` creates.
    "DEFAULT_SECTIONS": ("Top Stories", "World"),
    # Articles per page on a section page and on search results.
    "SECTION_PAGE_SIZE": 20,
    "SEARCH_PAGE_SIZE": 20,
    # Page types a section may be created under (a host adds its own home page type here).
    "SECTION_PARENT_PAGE_TYPES": ("articles.HomePage", "articles.SectionPage"),
    # Responsive image renditions: formats (first supported wins) and widths per use.
    # The icon /favicon.ico leads to: a static file path (ICO, PNG or SVG).
    "FAVICON": "articles/favicon.ico",
    "IMAGE_FORMATS": ("webp", "jpeg"),
    "IMAGE_WIDTHS": {"lead": (480, 800, 1200), "body": (480, 800, 1200), "card": (480, 960)},
    # Whether /api/v3/openapi.json answers (production turns it off with the API docs).
    "API_SCHEMA_PUBLIC": True,
    # Slugs a section may not take: its address would be shadowed by a URL the site answers
    # before Wagtail's pages (the admin, the API, feeds, search, files). The search path's
    # first part is added, whatever it is. "feed" is also refused for articles, as
    # <section>/feed/ is the section's feed.
    "RESERVED_SLUGS": (
        "admin",
        "django-admin",
        "api",
        "feed",
        "search",
        "static",
        "media",
        "documents",
        "_util",
        # Reader pages that are not Wagtail pages (articles/urls.py).
        "authors",
        "topics",
        "corrections",
        "live",
        "alerts",
    ),
    # Imported stories dated more than this many days ahead are refused (a typo such as
    # 9999 would otherwise lead the front page for ever); none dated before EARLIEST.
    "IMPORT_DAYS_AHEAD": 1,
    "IMPORT_EARLIEST_DATE": "1800-01-01",
    # Terms of reuse stated in every ninjs item (`usageterms`), e.g. "Syndication partners only."
    "USAGE_TERMS": "",
    # Wrong page passwords one client address may try in a window (seconds) before waiting.
    "PASSWORD_ATTEMPTS": 10,
    "PASSWORD_ATTEMPTS_WINDOW": 15 * 60,
    # Whether this site answers /media/images/ (renditions) itself, with DEBUG off: for
    # `make serve`, which has no web server in front. In production the web server or the
    # bucket serves them (docs/deploy.md); with DEBUG on, Django's static() does.
    "SERVE_RENDITIONS": False,
    # Whether publishing needs a credit on every filled image slot (alt text always does).
    "REQUIRE_IMAGE_CREDIT": True,
    # Articles per sitemap page, bucketed by page id: bucket k holds ids [k*size, (k+1)*size).
    # An article never changes bucket; changing the size moves them all (purge the sitemaps).
    # At most 50,000, the sitemap protocol's limit.
    "SITEMAP_BUCKET_SIZE": 1000,
    # Kinds of article: key -> (label readers see, schema.org type of its JSON-LD). The
    # first is the default; "news" carries no label on the page (it is what a newspaper is).
    "ARTICLE_TYPES": {
        "news": ("News", "NewsArticle"),
        "analysis": ("Analysis", "AnalysisNewsArticle"),
        "opinion": ("Opinion", "OpinionNewsArticle"),
        "review": ("Review", "ReviewNewsArticle"),
        "sponsored": ("Sponsored", "AdvertiserContentArticle"),
    },
    # The publisher's policies (schema.org NewsMediaOrganization properties -> address, on the
    # site or absolute), named in every article's JSON-LD and linked from the footer. The
    # corrections page exists on every newsroom; the others are pages of the host's own.
    "POLICIES": {"correctionsPolicy": "/corrections/"},
    # Articles per page on author and topic pages, corrections per page on /corrections/.
    "ARCHIVE_PAGE_SIZE": 20,
    # Related articles under each article.
    "RELATED_ARTICLES": 4,
    # Live coverage: how often readers' pages ask for new updates, how long a shared cache
    # (Varnish, a CDN) may keep the answer (a change purges it sooner), and how many updates
    # the page shows.
    "LIVE_POLL_SECONDS": 15,
    "LIVE_CACHE_SECONDS": 5,
    "LIVE_ENTRIES_SHOWN": 500,
    # Reader pages rendered once per content version for anonymous readers
    # (articles/reader/rendered.py); off renders every request.
    "RENDER_ONCE": True,
    # Breaking-news alerts (articles/alerts/): the longest a cache keeps the banner, the alerts
    # feed or API (an alert change purges them; an alert's start or expiry comes sooner).
    "ALERT_CACHE_SECONDS": 60,
    # What each name in a byline did for the story: key -> (label editors choose, the words
    # readers see before the names, the schema.org property of the article JSON-LD that
    # names them). The first is the default; readers see the roles in this order.
    "BYLINE_ROLES": {
        "reporting": ("Reporting", "By", "author"),
        "additional_reporting": ("Additional reporting", "Additional reporting by", "author"),
        "photos": ("Photos", "Photos by", "contributor"),
        "video": ("Video", "Video by", "contributor"),
        "translation": ("Translation", "Translated by", "translator"),
        "editing": ("Editing", "Edited by", "editor"),
    },
}


def newsroom_setting(name: str):
    return getattr(settings, f"NEWSROOM_{name}", DEFAULTS[name])


def article_type_choices() -> list[tuple[str, str]]:
    """(key, label) of each kind of article `NEWSROOM_ARTICLE_TYPES` names."""
    types = newsroom_setting("ARTICLE_TYPES")
    return [(key, label) for key, (label, _schema_type) in types.items()]


def default_article_type() -> str:
    return next(iter(newsroom_setting("ARTICLE_TYPES")))


def byline_role_choices() -> list[tuple[str, str]]:
    """(key, label) of each byline role `NEWSROOM_BYLINE_ROLES` names."""
    return [
        (key, label) for key, (label, _words, _prop) in newsroom_setting("BYLINE_ROLES").items()
    ]


def default_byline_role() -> str:
    return next(iter(newsroom_setting("BYLINE_ROLES")))


def reserved_section_slugs() -> set[str]:
    """Slugs no section may take (`NEWSROOM_RESERVED_SLUGS` and the search path)."""
    search = newsroom_setting("SEARCH_PATH").strip("/").split("/")[0]
    return {*newsroom_setting("RESERVED_SLUGS"), search}


# An article at <section>/feed/ would be hidden by the section's feed.
RESERVED_ARTICLE_SLUGS = frozenset({"feed"})
