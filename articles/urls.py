"""Reader URLs that are not Wagtail pages. Include before Wagtail's catch-all page serving:

path("", include("articles.urls")),
"""

from django.conf import settings
from django.urls import path, re_path

from . import api, feeds, throttling, views
from .alerts import views as alert_views
from .conf import newsroom_setting
from .live import feeds as live_feeds
from .live import views as live_views
from .reader.rendered import shared_view as shared

app_name = "articles"

# Feeds and archive pages every reader sees alike: rendered once per content version
# (articles/reader/rendered.py). Search is not: its queries are too many to keep.
urlpatterns = [
    # Wagtail's page-password form, with a limit on guesses (before Wagtail's own URL).
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        throttling.throttled_authenticate_with_password,
        name="authenticate_with_password",
    ),
    path("feed/", shared(feeds.LatestArticlesFeed()), name="feed"),
    path("feed/atom/", shared(feeds.LatestArticlesAtomFeed()), name="feed_atom"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("sitemap.xml", views.sitemap_index, name="sitemap"),
    path("sitemap-sections.xml", views.sections_sitemap, name="sitemap_sections"),
    # Bucket numbers without leading zeros: one URL per bucket, the one purges reach.
    re_path(
        r"^sitemap-articles-(?P<bucket>0|[1-9][0-9]{0,17})\.xml$",
        views.articles_sitemap,
        name="sitemap_articles",
    ),
    path("news-sitemap.xml", views.news_sitemap, name="news_sitemap"),
    path(newsroom_setting("SEARCH_PATH"), views.search, name="search"),
    path("authors/<str:slug>/", shared(views.author_page), name="author"),
    path("authors/<str:slug>/feed/", shared(feeds.AuthorArticlesFeed()), name="author_feed"),
    path("topics/<str:slug>/", shared(views.topic_page), name="topic"),
    path("topics/<str:slug>/feed/", shared(feeds.TopicArticlesFeed()), name="topic_feed"),
    path("corrections/", shared(views.corrections_page), name="corrections"),
    path("corrections/feed/", shared(feeds.CorrectionsFeed()), name="corrections_feed"),
    path("live/<int:page_id>/updates.json", live_views.live_updates, name="live_updates"),
    path("alerts/banner/", alert_views.banner, name="alert_banner"),
    path("alerts/feed/", alert_views.AlertsFeed(), name="alerts_feed"),
    path("alerts/feed/atom/", alert_views.AlertsAtomFeed(), name="alerts_feed_atom"),
    path("api/ninjs/alerts/<int:pk>/", alert_views.ninjs_alert, name="ninjs_alert"),
    path(
        "api/ninjs/3/alerts/<int:pk>/",
        alert_views.ninjs_alert,
        {"version": "3.1"},
        name="ninjs3_alert",
    ),
    path("api/ninjs/articles/<int:pk>/", api.ninjs_article, name="ninjs_article"),
    path(
        "api/ninjs/3/articles/<int:pk>/",
        api.ninjs_article,
        {"version": "3.1"},
        name="ninjs3_article",
    ),
    # A section's feeds live under its own URL: /world/feed/, /world/europe/feed/atom/.
    # A live coverage page's feeds of updates too (articles/live/feeds.py).
    re_path(
        r"^(?P<section_path>(?:[^/]+/)+)feed/$",
        live_feeds.section_or_live_feed,
        name="section_feed",
    ),
    re_path(
        r"^(?P<section_path>(?:[^/]+/)+)feed/atom/$",
        live_feeds.section_or_live_feed,
        {"atom": True},
        name="section_feed_atom",
    ),
]

# Originals only for staff (articles.views.original_image), where media is served from this site.
if settings.MEDIA_URL.startswith("/"):
    if newsroom_setting("SERVE_RENDITIONS"):
        urlpatterns.insert(
            0,
            path(
                f"{settings.MEDIA_URL.lstrip('/')}images/<path:path>",
                views.rendition,
                name="rendition",
            ),
        )
    urlpatterns.insert(
        0,
        path(
            f"{settings.MEDIA_URL.lstrip('/')}original_images/<path:path>",
            views.original_image,
            name="original_image",
        ),
    )
