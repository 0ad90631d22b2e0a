"""Wagtail's API v3 as the newsroom needs it, set up once by `guard_api()` (from
wagtail_hooks.py, as the site's URLconf imports Wagtail's admin, before the API's URLs are
built):

- Anonymous clients see only the images and documents a live, public page uses
  (media_visibility.py): a photo waiting for an embargoed story is not listed, nor its file.
- Anonymous clients get no redirects: the list maps old paths to pages, private and withdrawn
  ones included; readers follow a redirect by asking for the old address, which needs no API.
- Input that Wagtail 8.0's API answers with a 500 gets a 400 with a sentence saying what to
  change. Each guard recognises its own case from the request and lets anything else through
  unchanged, so a real bug still shows as one.

Wagtail offers no hook for the image and document querysets: their module functions are
replaced (tests/articles/test_api_guards.py notices if Wagtail renames them).
"""

import json
from functools import wraps

from django.apps import apps
from django.db import DatabaseError
from django.http.multipartparser import MultiPartParserError

# The largest integer a database column holds: offsets, limits and ids beyond it match nothing.
MAX_OFFSET = 2**63 - 1
WRITE_METHODS = ("POST", "PUT", "PATCH")


def guard_api() -> None:
    if not apps.is_installed("wagtail.api.v3"):
        return
    from wagtail.api.v3.api import api

    if getattr(api, "_newsroom_guarded", False):
        return
    api._newsroom_guarded = True
    _only_public_media_for_anonymous()
    _no_redirects_for_anonymous()
    api.add_decorator(_refuse_non_object_bodies)
    for exception_class in (
        AttributeError,
        KeyError,
        TypeError,
        ValueError,
        OverflowError,
        DatabaseError,
    ):
        api.add_exception_handler(exception_class, _client_mistake_or_raise)
    api.add_exception_handler(MultiPartParserError, _unreadable_upload)


# What anonymous clients see --------------------------------------------------------------


def _for_readers(get_queryset):
    from .media_visibility import publicly_used

    @wraps(get_queryset)
    def get_queryset_for_request(request):
        queryset = get_queryset(request)
        return queryset if request.user.is_authenticated else publicly_used(queryset)

    return get_queryset_for_request


def _only_public_media_for_anonymous() -> None:
    from wagtail.documents.api.v3 import router as documents
    from wagtail.images.api.v3 import router as images

    images.get_images_queryset = _for_readers(images.get_images_queryset)
    documents.get_documents_queryset = _for_readers(documents.get_documents_queryset)


def _no_redirects_for_anonymous() -> None:
    if not apps.is_installed("wagtail.contrib.redirects"):
        return
    from ninja.errors import HttpError
    from wagtail.contrib.redirects.api.v3.router import router

    def tokens_only(operation):
        @wraps(operation)
        def operation_for_token_holders(request, *args, **kwargs):
            if not request.user.is_authenticated:
                raise HttpError(
                    401,
                    "Redirects are listed for the newsroom's own tools only: send an API "
                    "token (Authorization: Bearer ...). Readers' old addresses redirect "
                    "by themselves.",
                )
            return operation(request, *args, **kwargs)

        return operation_for_token_holders

    router.add_decorator(tokens_only)


# Clear 400s instead of 500s --------------------------------------------------------------


def _problem(request, detail: str):
    from wagtail.api.v3.errors import problem_response

    return problem_response(status=400, detail=detail)


def _json_body(request):
    if request.method not in WRITE_METHODS or "json" not in request.content_type:
        return None
    try:
        return json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        return None


def _non_object_body_message(body) -> str | None:
    if body is None or isinstance(body, dict):
        return None
    kind = {list: "a list", str: "a string", bool: "true or false"}.get(type(body), "a number")
    return f"The request body must be a JSON object ({{...}}) of fields, not {kind}."


def _refuse_non_object_bodies(operation):
    """Wagtail reads a JSON string body as an object of its characters' names (a copy gets
    the title "X"): any write whose body isn't a JSON object is refused first."""
    from ninja.errors import HttpError

    @wraps(operation)
    def operation_with_object_body(request, *args, **kwargs):
        message = _non_object_body_message(_json_body(request))
        if message:
            raise HttpError(400, message)
        return operation(request, *args, **kwargs)

    return operation_with_object_body


def _id_list_message(body) -> str | None:
    """A field of ids (secondary_sections, tags' ids...) given something other than ids."""
    if not isinstance(body, dict):
        return None
    for name, value in body.items():
        if isinstance(value, list) and any(
            not isinstance(item, int) or isinstance(item, bool) for item in value
        ):
            if all(isinstance(item, dict | list | type(None)) for item in value):
                return (
                    f"{name} takes a list of page ids, whole numbers such as [12, 14]; "
                    "it got something else."
                )
    return None


def _block_list_message(body, missing: str) -> str | None:
    """A StreamField (an article's body) given items without their `type` or `value`."""
    if not isinstance(body, dict):
        return None
    for name, value in body.items():
        if isinstance(value, list) and any(
            not isinstance(item, dict) or missing not in item for item in value
        ):
            return (
                f'{name} takes a list of blocks, each an object with "type" and "value", '
                'e.g. [{"type": "paragraph", "value": "<p>Text</p>"}].'
            )
    return None


def _query_message(request) -> str | None:
    params = request.GET
    for name in ("offset", "limit"):
        value = params.get(name, "")
        if value.isdigit() and int(value) > MAX_OFFSET:
            return f"{name} must be a whole number no larger than {MAX_OFFSET}."
    user_id = params.get("user_id")
    if user_id is not None and not user_id.isdigit():
        return "user_id must be a user's id, a whole number such as user_id=12."
    site = params.get("site")
    if site and ":" in site and not site.rsplit(":", 1)[1].isdigit():
        return (
            "site must be a host name, with a port number after a colon if any: "
            "site=example.com:8080."
        )
    for name in ("child_of", "descendant_of", "translation_of"):
        if params.get(name) == "root":
            from wagtail.models import Site

            if Site.find_for_request(request) is None:
                return (
                    f"{name}=root means this site's home page, but no site answers to "
                    f"the host name {request.get_host()!r}: give a page id instead."
                )
    return None


def _client_mistake_or_raise(request, exc):
    if any(part.isdigit() and int(part) > MAX_OFFSET for part in request.path.split("/")):
        from wagtail.api.v3.errors import problem_response

        # No row can have an id beyond what the database stores.
        return problem_response(status=404, detail="Not found: no object has that id.")
    message = (
        _query_message(request)
        or _non_object_body_message(_json_body(request))
        or (_id_list_message(_json_body(request)) if isinstance(exc, TypeError) else None)
        or (
            _block_list_message(_json_body(request), exc.args[0])
            if isinstance(exc, KeyError) and exc.args and exc.args[0] in ("type", "value")
            else None
        )
    )
    if message is None:
        raise exc
    return _problem(request, message)


def _unreadable_upload(request, exc):
    return _problem(
        request,
        "The upload could not be read: send it as multipart/form-data with its boundary "
        f"(HTTP libraries add it when given a file). ({exc})",
    )
