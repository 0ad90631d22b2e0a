"""Live updates in Wagtail's API v3 (mounted at /api/v3/live-entries/ by apps.py).

    GET    /api/v3/live-entries/?page={id}   the updates readers see, newest first
    POST   /api/v3/live-entries/             post one (an editor, or someone assigned)
    PATCH  /api/v3/live-entries/{id}/        correct, hide or pin one (editors)
    DELETE /api/v3/live-entries/{id}/        delete one (editors)

Reading needs no token and shows what the page shows (the one cached stream, so hidden
updates and pages readers may not see stay out). Writes take a token and go through the one
writer (articles/live/entries.py): the admin's rules, word for word.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import PositiveInt
from wagtail.api.v3.auth import BearerTokenAuth
from wagtail.api.v3.errors import as_validation_error

from ..models import Author, LiveCoveragePage, LiveEntry
from . import entries, updates

router = Router(tags=["live-entries"])


class LiveEntryOut(Schema):
    id: int
    page_id: int
    anchor: str
    posted_at: str
    updated_at: str
    headline: str
    text: str
    body_html: str
    authors: list[str]
    key_event: bool
    pinned: bool
    correction_note: str


class LiveEntryIn(Schema):
    page: PositiveInt
    headline: str = ""
    # StreamField JSON, as the pages API takes a body: [{"type": "paragraph", "value": ...}]
    body: list[dict]
    authors: list[PositiveInt] = []
    is_key_event: bool = False
    is_pinned: bool = False


class LiveEntryChange(Schema):
    posted_at: datetime.datetime | None = None
    headline: str | None = None
    body: list[dict] | None = None
    authors: list[PositiveInt] | None = None
    is_key_event: bool | None = None
    is_pinned: bool | None = None
    is_hidden: bool | None = None
    correction_note: str | None = None


def _out(item: dict, page_id: int) -> dict:
    return {**{k: item[k] for k in LiveEntryOut.model_fields if k in item}, "page_id": page_id}


def _body(raw: list[dict]):
    block = LiveEntry._meta.get_field("body").stream_block
    try:
        return block.clean(block.to_python(raw))
    except ValidationError as error:
        raise as_validation_error(error, " ".join(error.messages), loc=("body", "body")) from None
    except (KeyError, TypeError, ValueError):
        raise as_validation_error(
            ValueError(),
            'The body is a list of blocks: {"type": "paragraph", "value": "<p>…</p>"}, '
            '{"type": "image", "value": {"image": 12, "alt_text": "…", "credit": "…"}} or '
            '{"type": "quote", "value": {"quote": "…", "attribution": "…"}}.',
            loc=("body", "body"),
        ) from None


def _authors(ids):
    if ids is None:
        return None
    found = list(Author.objects.filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise as_validation_error(
            ValueError(), "One of the authors doesn't exist: use ids from /api/v3/snippets/.",
            loc=("body", "authors"),
        )  # fmt: skip
    return found


def _written(entry) -> dict:
    item = updates.entry_summary(entry, pinned=entry.is_pinned)
    return _out(item, entry.page_id)


def _refused(error: Exception):
    if isinstance(error, PermissionDenied):
        raise HttpError(403, str(error))
    raise as_validation_error(error, " ".join(error.messages), loc=("body",))


@router.get(
    "/",
    response=list[LiveEntryOut],
    url_name="newsroom_live_entries",
    summary="The updates of a live coverage page",
    operation_id="newsroom_live_entries",
)
def list_entries(request: HttpRequest, page: PositiveInt):
    stream = updates.stream(page)
    if not stream.get("readable"):
        raise HttpError(404, "No live coverage readers may see has this id.")
    return [_out(item, page) for item in stream["entries"]]


@router.post(
    "/",
    response={201: LiveEntryOut},
    auth=BearerTokenAuth(),
    url_name="newsroom_live_entries_post",
    summary="Post an update to live coverage",
    operation_id="newsroom_live_entries_post",
)
def post_entry(request: HttpRequest, data: LiveEntryIn):
    page = LiveCoveragePage.objects.filter(pk=data.page).first()
    if page is None:
        raise HttpError(404, "No live coverage page has this id.")
    entry = LiveEntry(
        headline=data.headline,
        body=_body(data.body),
        is_key_event=data.is_key_event,
        is_pinned=data.is_pinned,
    )
    try:
        entry = entries.post(page, request.user, entry, authors=_authors(data.authors or None))
    except (PermissionDenied, ValidationError) as error:
        _refused(error)
    return Status(201, _written(entry))


def _entry(entry_id: int) -> LiveEntry:
    entry = LiveEntry.objects.filter(pk=entry_id).select_related("page").first()
    if entry is None:
        raise HttpError(404, "No live update has this id.")
    return entry


@router.patch(
    "/{entry_id}/",
    response=LiveEntryOut,
    auth=BearerTokenAuth(),
    url_name="newsroom_live_entries_change",
    summary="Correct, hide or pin an update (editors)",
    operation_id="newsroom_live_entries_change",
)
def change_entry(request: HttpRequest, entry_id: PositiveInt, data: LiveEntryChange):
    entry = _entry(entry_id)
    fields = data.model_dump(exclude_unset=True, exclude={"authors", "body"})
    if data.body is not None:
        fields["body"] = _body(data.body)
    try:
        entry = entries.change(entry, request.user, authors=_authors(data.authors), **fields)
    except (PermissionDenied, ValidationError) as error:
        _refused(error)
    return _written(entry)


@router.delete(
    "/{entry_id}/",
    response={204: None},
    auth=BearerTokenAuth(),
    url_name="newsroom_live_entries_delete",
    summary="Delete an update (editors)",
    operation_id="newsroom_live_entries_delete",
)
def delete_entry(request: HttpRequest, entry_id: PositiveInt):
    try:
        entries.delete(_entry(entry_id), request.user)
    except PermissionDenied as error:
        raise HttpError(403, str(error)) from None
    return Status(204, None)
