from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.api.v3.urls import api as wagtail_api
from wagtail.documents import urls as wagtaildocs_urls

from articles.api import openapi_schema

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Our own schema view: NEWSROOM_API_SCHEMA_PUBLIC turns it off (production).
    path("api/v3/openapi.json", openapi_schema, name="openapi_schema"),
    path("api/v3/", wagtail_api.urls),
]

urlpatterns += [
    # Feeds, sitemaps, robots.txt, search, and originals for staff only: before the DEBUG
    # media files below and before page serving.
    path("", include("articles.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [  # Wagtail's page serving last: it catches every other URL.
    path("", include(wagtail_urls)),
]
