"""The endpoint readers' live pages poll: one cache read, and a 304 when nothing changed.

GET /live/<page id>/updates.json answers every visible update by id (the newest with their
HTML), the key events and whether coverage goes on. A shared cache keeps the answer for
NEWSROOM_LIVE_CACHE_SECONDS (each change purges it sooner); browsers revalidate every poll
with the ETag, so an unchanged stream costs a 304 of a few bytes.
"""

from django.http import HttpResponse, HttpResponseNotModified, JsonResponse
from django.views.decorators.http import require_GET

from ..conf import newsroom_setting
from . import updates


@require_GET
def live_updates(request, page_id: int):
    value = updates.stream(page_id)
    shared = newsroom_setting("LIVE_CACHE_SECONDS")
    cache_control = f"public, max-age=0, s-maxage={shared}, must-revalidate"
    if not value.get("readable"):
        response = JsonResponse(
            {"error": "No live coverage readers may see has this id."}, status=404
        )
        response["Cache-Control"] = cache_control
        return response
    status = updates.status(value)
    etag = f'"{value["version"]}-{status}"'
    if etag in request.headers.get("If-None-Match", ""):
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = JsonResponse(
            updates.for_polling(value), json_dumps_params={"ensure_ascii": False}
        )
    response["ETag"] = etag
    response["Cache-Control"] = cache_control
    return response
