"""Reader URLs that are not Wagtail pages. Include before Wagtail's catch-all page serving:

path("", include("articles.urls")),
"""

from django.urls import path, re_path
from wagtail.contrib.sitemaps.views import sitemap

from . import api, feeds, views

app_name = "articles"

urlpatterns = [
    path("feed/", feeds.LatestArticlesFeed(), name="feed"),
    path("feed/atom/", feeds.LatestArticlesAtomFeed(), name="feed_atom"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("news-sitemap.xml", views.news_sitemap, name="news_sitemap"),
    path("search/", views.search, name="search"),
    path("api/ninjs/articles/<int:pk>/", api.ninjs_article, name="ninjs_article"),
    # A section's feeds live under its own URL: /world/feed/, /world/europe/feed/atom/.
    re_path(
        r"^(?P<section_path>(?:[^/]+/)+)feed/$", feeds.SectionArticlesFeed(), name="section_feed"
    ),
    re_path(
        r"^(?P<section_path>(?:[^/]+/)+)feed/atom/$",
        feeds.SectionArticlesAtomFeed(),
        name="section_feed_atom",
    ),
]
