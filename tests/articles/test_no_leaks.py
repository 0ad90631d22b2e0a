"""No leaks by any door: draft, scheduled, private, embargoed and unpublished articles reach
anonymous readers through none of the site's outputs."""

from articles.sitemaps import bucket_of

from .conftest import HIDDEN_TITLES

SECRET_TEXT = "Nobody should read this yet."


def doors(hidden, visible):
    """Every URL an anonymous reader or client could try."""
    urls = [
        "/",
        "/top-stories/",
        "/world/",
        "/top-stories/?page=2",
        "/feed/",
        "/feed/atom/",
        "/top-stories/feed/",
        "/world/feed/atom/",
        "/sitemap.xml",
        "/sitemap-sections.xml",
        "/news-sitemap.xml",
        "/robots.txt",
        "/search/?q=story",
        "/search/?q=Nobody+should+read",
        "/api/v3/pages/?type=articles.ArticlePage&limit=50",
        "/api/v3/pages/?search=story",
        visible.url,  # another article's page: JSON-LD, related links
        f"/api/v3/pages/{visible.pk}/",
        f"/api/ninjs/articles/{visible.pk}/",
    ]
    # Every article sitemap bucket a visible or hidden article falls in.
    urls += [
        f"/sitemap-articles-{k}.xml" for k in sorted({bucket_of(p.pk) for p in [visible, *hidden]})
    ]
    for page in hidden:
        urls += [
            page.url_path.removeprefix("/home"),
            f"/api/v3/pages/{page.pk}/",
            f"/api/v3/pages/{page.pk}/?version=draft",
            f"/api/v3/pages/find/?html_path={page.url_path.removeprefix('/home')}",
            f"/api/ninjs/articles/{page.pk}/",
            f"/admin/pages/{page.pk}/edit/preview/",
            f"/admin/pages/{page.pk}/view_draft/",
        ]
    return urls


def test_hidden_articles_reach_anonymous_readers_by_no_door(
    client, hidden_articles, top_stories, world, article_factory
):
    visible = article_factory(top_stories, title="Visible story", secondary_sections=[world])
    seen = {}
    for url in doors(hidden_articles, visible):
        response = client.get(url, follow=False)
        body = response.content.decode(errors="replace")
        leaked = [title for title in HIDDEN_TITLES if title in body]
        if SECRET_TEXT in body:
            leaked.append(SECRET_TEXT)
        if "sitemap" in url:  # sitemaps list addresses, not titles
            leaked += [p.url_path.removeprefix("/home") for p in hidden_articles if p.slug in body]
        if leaked:
            seen[url] = (response.status_code, leaked)
        # Hidden pages' own doors answer "not found", send the visitor to log in, or (the
        # password-protected one) ask for the password.
        for page in hidden_articles:
            if url.endswith((f"/{page.pk}/", f"/{page.slug}/")) or f"/{page.pk}/" in url:
                if page.title == "Private story" and response.status_code == 200:
                    assert "password" in body.lower(), url
                else:
                    assert response.status_code in (302, 401, 404), (url, response.status_code)
    assert seen == {}
    # The visible article really is out there, so the doors were open.
    assert "Visible story" in client.get("/feed/").content.decode()
    article_sitemap = client.get(f"/sitemap-articles-{bucket_of(visible.pk)}.xml")
    assert visible.get_full_url() in article_sitemap.content.decode()
