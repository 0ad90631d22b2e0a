"""Users in each newsroom role, and admin form data for articles."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield


def make_user(name: str, group: str | None):
    user = get_user_model().objects.create_user(
        username=name, email=f"{name}@example.com", password="pw-" + name
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def article_form(title="Harbour reopens after storm", action=None, **overrides) -> dict:
    fields = {
        "title": title,
        # The admin's select always posts the type; "news" is the default one.
        "article_type": "news",
        "slug": overrides.pop("slug", title.lower().replace(" ", "-")[:50]),
        "standfirst": "Boats are back.",
        "lead_image": "",
        "lead_image_alt": "",
        "lead_image_caption": "",
        "lead_image_credit": "",
        "byline": inline_formset([]),
        "corrections": inline_formset(overrides.pop("corrections", [])),
        "body": streamfield(
            overrides.pop("body", [("paragraph", rich_text("<p>The harbour reopened.</p>"))])
        ),
        "tags": "",
        "embargo_until": "",
        "go_live_at": "",
        "expire_at": "",
    }
    fields.update(overrides)
    data = nested_form_data(fields)
    if action:
        data[action] = action.removeprefix("action-")
    return data


def admin_datetime(value: datetime.datetime) -> str:
    from django.utils import timezone

    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
