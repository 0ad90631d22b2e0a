"""Finding a reader request's site and page with as few queries as possible.

Wagtail asks the database for the site on every request, then walks the tree; these answers
change only when content or sites change, so they come from `reader_cache`.
"""

from django.apps import apps
from wagtail.models.sites import (
    MATCH_DEFAULT,
    MATCH_HOSTNAME,
    MATCH_HOSTNAME_DEFAULT,
    MATCH_HOSTNAME_PORT,
)

from . import reader_cache


def _all_sites() -> list:
    Site = apps.get_model("wagtailcore.Site")
    sites = list(Site.objects.select_related("root_page").order_by("pk"))
    for site in sites:
        # Resolve the root page's specific type now, so routing starts without a query.
        site.root_page.localized.specific  # noqa: B018
    return sites


def site_for_hostname(hostname: str, port: int):
    """The same site Wagtail's `get_site_for_hostname` picks (None where it raises)."""
    ranked = []
    for site in reader_cache.cached("sites", _all_sites):
        if site.hostname == hostname and site.port == port:
            rank = MATCH_HOSTNAME_PORT
        elif site.hostname == hostname and site.is_default_site:
            rank = MATCH_HOSTNAME_DEFAULT
        elif site.is_default_site:
            rank = MATCH_DEFAULT
        elif site.hostname == hostname:
            rank = MATCH_HOSTNAME
        else:
            continue
        ranked.append((rank, site))
    if not ranked:
        return None
    # Wagtail's ranking, best first (get_site_for_hostname orders by the same numbers).
    ranked.sort(key=lambda pair: pair[0])
    best_rank, sites = ranked[0][0], [site for _rank, site in ranked]
    if len(sites) == 1 or best_rank in (MATCH_HOSTNAME_PORT, MATCH_HOSTNAME_DEFAULT):
        return sites[0]
    if best_rank == MATCH_DEFAULT:
        return sites[len(sites) == 2]
    return None


def site_root_paths() -> list:
    """Wagtail's `Site.get_site_root_paths()` (what page URLs are built from), which it
    otherwise reads from the shared cache on every request."""
    Site = apps.get_model("wagtailcore.Site")
    return reader_cache.cached("site-root-paths", Site.get_site_root_paths)
