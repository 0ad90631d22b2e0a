"""Add the newsroom to the host site the way docs/plugin.md says, then read it as a visitor.

Prints one JSON object with what it saw; tests/test_host_project.py runs this in a fresh
process (the host's own settings) and checks it.
"""

import json
import os
import sys


def main(seeds: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.host_project.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from wagtail.models import Page, Site

    import articles
    from articles.models import ArticlePage, SectionPage

    call_command("migrate", verbosity=0)
    host_home = Site.objects.get(is_default_site=True).root_page
    call_command("setup_newsroom", "--parent", str(host_home.pk), verbosity=0)
    call_command("import_stories", seeds, verbosity=0)

    article = ArticlePage.objects.get()
    client = Client()
    pages = {
        "home": client.get("/"),
        "section": client.get("/top-stories/"),
        "secondary_section": client.get("/world/"),
        "article": client.get(article.url),
        "feed": client.get("/feed/"),
    }
    print(  # noqa: T201 - the result goes to the test that runs this script
        json.dumps(
            {
                "articles_module": articles.__file__,
                "host_home_type": host_home.specific_class._meta.label,
                "section_parent": SectionPage.objects.get(title="Top Stories").get_parent().pk
                == host_home.pk,
                "can_create_section_under_home": SectionPage.can_create_at(host_home),
                "pages_in_tree": Page.objects.count(),
                "status": {name: r.status_code for name, r in pages.items()},
                "article_url": article.url,
                "article_html": pages["article"].content.decode(),
                "section_html": pages["section"].content.decode(),
                "world_html": pages["secondary_section"].content.decode(),
                "feed": pages["feed"].content.decode(),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
