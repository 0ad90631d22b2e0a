"""Live coverage pages and updates for tests, made the way editors make them."""

from django.utils import timezone
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from articles.live import entries
from articles.models import LiveAssignment, LiveCoveragePage, LiveEntry


def entry_body(*blocks):
    """Body blocks from plain values: a str is a paragraph, a dict an image slot or quote."""
    raw = []
    for block in blocks:
        if isinstance(block, str):
            raw.append({"type": "paragraph", "value": block})
        elif "quote" in block:
            raw.append({"type": "quote", "value": block})
        else:
            raw.append({"type": "image", "value": block})
    stream_block = LiveEntry._meta.get_field("body").stream_block
    return stream_block.to_python(raw)


def make_live_page(section, *, title="Election night", live=True, assigned=(), **fields):
    page = LiveCoveragePage(title=title, publication_date=timezone.now(), live=False, **fields)
    section.add_child(instance=page)
    revision = page.save_revision()
    if live:
        revision.publish()
    page.refresh_from_db()
    for user in assigned:
        LiveAssignment.objects.create(page=page, user=user)
    return page


def post(page, user, text="<p>Polls have closed.</p>", **fields):
    body = fields.pop("body", None) or entry_body(text)
    return entries.post(page, user, LiveEntry(body=body, **fields))


def live_entry_form(page, text, **extra):
    return nested_form_data(
        {
            "page": page.pk,
            "headline": extra.pop("headline", ""),
            "body": streamfield([("paragraph", rich_text(f"<p>{text}</p>"))]),
            "is_key_event": extra.pop("is_key_event", ""),
            "is_pinned": "",
            **extra,
        }
    )
