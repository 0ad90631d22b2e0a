"""The permission matrix: who may do what, through the admin's own views.

The table below is the product's promise (README, "Roles, review and scheduling"); each cell
is a test that performs the action as that person and checks what actually happened.
"""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.test.utils.form_data import nested_form_data

from articles.models import (
    ArticlePage,
    Author,
    BreakingNewsAlert,
    ImageRights,
    LiveEntry,
    SectionPage,
)
from articles.roles import COPY_EDITORS, EDITORS, REPORTERS
from tests.conftest import publish_article

from .live_helpers import live_entry_form, make_live_page, post
from .test_api_write import TokenClient, article_payload, token_for
from .workflow_helpers import admin_datetime, article_form, make_user

ROLES = ("anonymous", "reporter", "copy editor", "editor", "admin")
Y, N = True, False
#                        anonymous reporter copy-ed editor admin
MATRIX = {
    "view live":           (Y, Y, Y, Y, Y),
    "view draft":          (N, N, Y, Y, Y),
    "preview":             (N, N, Y, Y, Y),
    "edit own":            (N, Y, Y, Y, Y),
    "edit other's":        (N, N, Y, Y, Y),
    "submit":              (N, Y, Y, Y, Y),
    "approve":             (N, N, Y, Y, Y),
    "send back":           (N, N, Y, Y, Y),
    "publish":             (N, N, N, Y, Y),
    "unpublish":           (N, N, N, Y, Y),
    "schedule":            (N, N, N, Y, Y),
    "delete":              (N, N, N, Y, Y),
    "move":                (N, N, N, Y, Y),
    "see history":         (N, N, Y, Y, Y),
    "upload image":        (N, Y, Y, Y, Y),
    "change live photo":   (N, N, N, Y, Y),
    "delete live photo":   (N, N, N, Y, Y),
    # A photo's credit and caption: the slots keep their own, so the uploader may correct it.
    "correct live photo's credit": (N, Y, Y, Y, Y),
    "read photo's rights": (N, Y, Y, Y, Y),
    # The editorial checks the form shows as it changes (articles/admin_views.py).
    "check other's draft": (N, N, Y, Y, Y),
    "API read draft":      (N, N, Y, Y, Y),
    "API create":          (N, Y, N, Y, Y),
    "API edit other's":    (N, N, Y, Y, Y),
    "API publish":         (N, N, N, Y, Y),
    "API change live photo": (N, N, N, Y, Y),
    "API unreleased photo": (N, Y, Y, Y, Y),
    # Review over the API (articles/api_workflow.py): the admin's rules.
    "API submit":          (N, Y, Y, Y, Y),
    "API approve":         (N, N, Y, Y, Y),
    "API send back":       (N, N, Y, Y, Y),
    # Sections are the newsroom's structure: editors manage them (articles/permissions.py).
    "create section":      (N, N, N, Y, Y),
    "edit section":        (N, N, N, Y, Y),
    "edit own section draft": (N, N, N, Y, Y),
    "submit section":      (N, N, N, Y, Y),
    "copy section":        (N, N, N, Y, Y),
    "bulk-publish section": (N, N, N, Y, Y),
    "API create section":  (N, N, N, Y, Y),
    "API edit section":    (N, N, N, Y, Y),
    "set embargo":         (N, N, N, Y, Y),
    "clear embargo":       (N, N, N, Y, Y),
    # Bylines (articles/roles.py): the desk credits guests; editors say who is who.
    "add guest author":    (N, Y, Y, Y, Y),
    "edit an author":      (N, N, N, Y, Y),
    "link author to account": (N, N, N, Y, Y),
    # Live coverage (articles/live/rules.py): those assigned post; editors post anywhere,
    # correct, hide and delete, and say who is assigned.
    "post live update (assigned)": (N, Y, Y, Y, Y),
    "post live update (not assigned)": (N, N, N, Y, Y),
    "API post live update (assigned)": (N, Y, Y, Y, Y),
    "correct live update":  (N, N, N, Y, Y),
    "hide live update":     (N, N, N, Y, Y),
    "delete live update":   (N, N, N, Y, Y),
    "API hide live update": (N, N, N, Y, Y),
    "assign to live coverage": (N, N, N, Y, Y),
    # Breaking-news alerts (articles/alerts/): editors only.
    "create breaking-news alert": (N, N, N, Y, Y),
    "change breaking-news alert": (N, N, N, Y, Y),
    "delete breaking-news alert": (N, N, N, Y, Y),
}  # fmt: skip


@pytest.fixture
def people(home):
    users = {
        "reporter": make_user("reporter", REPORTERS),
        "copy editor": make_user("copyeditor", COPY_EDITORS),
        "editor": make_user("editor", EDITORS),
        "admin": get_user_model().objects.create_superuser("admin", "a@example.com", "pw"),
    }
    return users


@pytest.fixture
def stage(people, top_stories, world, make_image):
    """A live article, a draft the acting person owns and a draft someone else owns."""

    def create(owner, title, publish=False):
        return publish_article(top_stories, title=title, live=publish, owner=owner)

    def live_photo(uploader):
        image = make_image("Harbour photo")
        image.uploaded_by_user = uploader
        image.save()
        publish_article(
            world,
            title="Photo story",
            lead_image=image,
            lead_image_alt="Boats",
            lead_image_credit="Staff",
        )
        return image

    unreleased = make_image("Photo for a draft")
    publish_article(top_stories, title="Draft with a photo", live=False, lead_image=unreleased)
    return {
        "live": create(people["editor"], "Live story", publish=True),
        "other": create(people["editor"], "Someone else's draft"),
        "create": create,
        "world": world,
        "photo": live_photo,
        "unreleased photo": unreleased,
    }


def photo_upload():
    buffer = io.BytesIO()
    PILImage.new("RGB", (400, 300), (10, 120, 200)).save(buffer, format="JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


def edit(client, page, **fields):
    return client.post(
        reverse("wagtailadmin_pages:edit", args=(page.pk,)),
        article_form(title=page.title, slug=page.slug, **fields),
    )


def submitted(stage, people, client, step):
    """A draft in review, at the copy desk or at editor sign-off."""
    page = stage["create"](people["reporter"], f"In review at {step}")
    client.force_login(people["reporter"])
    edit(client, page, action="action-submit")
    if step == "Editor sign-off":
        client.force_login(people["copy editor"])
        state = ArticlePage.objects.get(pk=page.pk).current_workflow_task_state
        client.post(
            reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", state.pk)),
            {},
        )
    client.logout()
    return ArticlePage.objects.get(pk=page.pk)


def attempt(action, role, user, client, stage, people):
    """Do `action` as `user` (None: anonymous). True when it took effect."""
    if user is not None:
        client.force_login(user)
    live, other = stage["live"], stage["other"]
    if action == "view live":
        return client.get(live.url).status_code == 200
    if action == "view draft":
        return (
            client.get(reverse("wagtailadmin_pages:view_draft", args=(other.pk,))).status_code
            == 200
        )
    if action == "preview":
        url = reverse("wagtailadmin_pages:preview_on_edit", args=(other.pk,))
        posted = client.post(url, article_form(title="Previewed", slug=other.slug))
        return (
            posted.status_code == 200
            and client.get(url).status_code == 200
            and (b"Previewed" in client.get(url).content)
        )
    if action in ("edit own", "edit other's"):
        page = other
        if action == "edit own":
            if user is None:
                return False
            client.logout()
            page = stage["create"](user, f"Own draft of {role}")
            client.force_login(user)
        before = page.revisions.count()
        edit(client, page, standfirst="Edited")
        return page.revisions.count() > before
    if action == "submit":
        if user is None:
            edit(client, other, action="action-submit")
            return ArticlePage.objects.get(pk=other.pk).workflow_in_progress
        client.logout()
        page = stage["create"](user, f"Submitted by {role}")
        client.force_login(user)
        edit(client, page, action="action-submit")
        return ArticlePage.objects.get(pk=page.pk).workflow_in_progress
    if action in ("approve", "send back", "API approve", "API send back"):
        # Each reviewer acts on the step that is theirs; others try the copy desk.
        step = "Editor sign-off" if role == "editor" else "Copy desk"
        client.logout()
        page = submitted(stage, people, client, step)
        state = page.current_workflow_task_state
        verb = "approve" if action.endswith("approve") else "reject"
        if action.startswith("API"):
            api = token_for(user) if user is not None else TokenClient()
            api_action = "approve" if verb == "approve" else "request_changes"
            api.post(f"/api/v3/pages/{page.pk}/actions/{api_action}/", {"comment": "Fix it."})
        else:
            if user is not None:
                client.force_login(user)
            client.post(
                reverse("wagtailadmin_pages:workflow_action", args=(page.pk, verb, state.pk)),
                {"comment": "Fix it."},
            )
        page.refresh_from_db()
        state.refresh_from_db()
        if verb == "reject":
            return state.status == state.STATUS_REJECTED
        return state.status == state.STATUS_APPROVED
    if action == "publish":
        edit(client, other, action="action-publish")
        return ArticlePage.objects.get(pk=other.pk).live
    if action == "unpublish":
        client.post(reverse("wagtailadmin_pages:unpublish", args=(live.pk,)))
        return not ArticlePage.objects.get(pk=live.pk).live
    if action == "schedule":
        go_live = timezone.now() + datetime.timedelta(days=1)
        edit(client, other, action="action-publish", go_live_at=admin_datetime(go_live))
        return other.revisions.filter(approved_go_live_at__isnull=False).exists()
    if action == "delete":
        client.post(reverse("wagtailadmin_pages:delete", args=(other.pk,)))
        return not ArticlePage.objects.filter(pk=other.pk).exists()
    if action == "move":
        client.post(reverse("wagtailadmin_pages:move_confirm", args=(other.pk, stage["world"].pk)))
        return ArticlePage.objects.get(pk=other.pk).get_parent().pk == stage["world"].pk
    if action == "see history":
        response = client.get(reverse("wagtailadmin_pages:history", args=(other.pk,)))
        return response.status_code == 200
    if action in ("change live photo", "delete live photo", "API change live photo"):
        # A photo the acting person uploaded themselves (Wagtail lets uploaders edit their
        # images), shown by a live article.
        photo = stage["photo"](user)
        if action == "change live photo":
            client.post(
                reverse("wagtailimages:edit", args=(photo.pk,)),
                {"title": photo.title, "tags": "", "focal_point_x": "10",
                 "focal_point_y": "10", "focal_point_width": "5", "focal_point_height": "5"},
            )  # fmt: skip
            photo.refresh_from_db()
            return photo.focal_point_x == 10
        if action == "delete live photo":
            client.post(reverse("wagtailimages:delete", args=(photo.pk,)))
            return not get_image_model().objects.filter(pk=photo.pk).exists()
        client.logout()
        api = token_for(user) if user is not None else TokenClient()
        api.patch(f"/api/v3/images/{photo.pk}/", {"focal_point_x": 10, "focal_point_y": 10,
                                                   "focal_point_width": 5,
                                                   "focal_point_height": 5})  # fmt: skip
        photo.refresh_from_db()
        return photo.focal_point_x == 10
    if action == "correct live photo's credit":
        photo = stage["photo"](user)
        client.post(
            reverse("wagtailimages:edit", args=(photo.pk,)),
            {"title": photo.title, "collection": photo.collection_id, "credit": "Corrected"},
        )
        return ImageRights.objects.get(image=photo).credit == "Corrected"
    if action == "read photo's rights":
        photo = stage["photo"](people["editor"])
        ImageRights.objects.update_or_create(image=photo, defaults={"credit": "Wire Agency"})
        response = client.get(reverse("newsroom_image_rights", args=(photo.pk,)))
        return response.status_code == 200 and response.json()["credit"] == "Wire Agency"
    if action == "check other's draft":
        response = client.post(
            reverse("newsroom_checks_on_edit", args=(other.pk,)), article_form(standfirst="")
        )
        return response.status_code == 200 and b"There is no standfirst." in response.content
    if action == "upload image":
        before = get_image_model().objects.count()
        client.post(reverse("wagtailimages:add"), {"title": "Photo", "file": photo_upload()})
        return get_image_model().objects.count() > before
    if "live update" in action or "live coverage" in action:
        return attempt_on_live(action, user, client, stage, people)
    if "breaking-news alert" in action:
        return attempt_on_alerts(action, client, live)
    if "section" in action or "embargo" in action:
        return attempt_on_sections_and_embargoes(action, role, user, client, stage)
    if "author" in action:
        return attempt_on_authors(action, user, client, people)
    if action.startswith("API"):
        client.logout()
        api = token_for(user) if user is not None else TokenClient()
        if action == "API read draft":
            response = api.get(f"/api/v3/pages/{other.pk}/?version=draft")
            return response.status_code == 200 and other.title in response.content.decode()
        if action == "API create":
            response = api.post("/api/v3/pages/", article_payload(stage["world"]))
            return (
                response.status_code in (200, 201)
                and ArticlePage.objects.filter(title="Harbour reopens after storm").exists()
            )
        if action == "API edit other's":
            api.patch(f"/api/v3/pages/{other.pk}/", {"standfirst": "Edited by API"})
            return ArticlePage.objects.get(
                pk=other.pk
            ).get_latest_revision_as_object().standfirst == ("Edited by API")
        if action == "API publish":
            api.post(f"/api/v3/pages/{other.pk}/actions/publish/", {})
            return ArticlePage.objects.get(pk=other.pk).live
        if action == "API submit":
            page = other if user is None else stage["create"](user, f"Submitted by {role}")
            api.post(f"/api/v3/pages/{page.pk}/actions/submit/")
            return ArticlePage.objects.get(pk=page.pk).workflow_in_progress
        if action == "API unreleased photo":
            response = api.get(f"/api/v3/images/{stage['unreleased photo'].pk}/")
            return response.status_code == 200
    raise AssertionError(f"unknown action {action}")


def section_form(title, **fields):
    return nested_form_data(
        {"title": title, "slug": slugify(title), "introduction": "", "go_live_at": "",
         "expire_at": "", **fields}
    )  # fmt: skip


def attempt_on_sections_and_embargoes(action, role, user, client, stage):
    world = stage["world"]
    home = world.get_parent()
    if action == "create section":
        client.post(
            reverse("wagtailadmin_pages:add", args=("articles", "sectionpage", home.pk)),
            section_form("Europe", **{"action-publish": "publish"}),
        )
        return SectionPage.objects.filter(title="Europe").exists()
    if action == "edit section":
        before = world.revisions.count()
        client.post(
            reverse("wagtailadmin_pages:edit", args=(world.pk,)),
            section_form("World", introduction="Edited"),
        )
        return world.revisions.count() > before
    if action in ("edit own section draft", "submit section"):
        # A draft section that the acting person owns, as one made before this rule existed.
        draft = home.add_child(
            instance=SectionPage(title="Europe", slug="europe", live=False, owner=user)
        )
        draft.save_revision(user=user)
        fields = {"introduction": "Edited"}
        if action == "submit section":
            fields["action-submit"] = "submit"
        before = draft.revisions.count()
        client.post(
            reverse("wagtailadmin_pages:edit", args=(draft.pk,)), section_form("Europe", **fields)
        )
        draft.refresh_from_db()
        if action == "submit section":
            return draft.workflow_in_progress
        return draft.revisions.count() > before
    if action == "copy section":
        client.post(
            reverse("wagtailadmin_pages:copy", args=(world.pk,)),
            {"new_title": "World copy", "new_slug": "world-copy", "new_parent_page": home.pk,
             "copy_subpages": "", "publish_copies": ""},
        )  # fmt: skip
        return SectionPage.objects.filter(slug="world-copy").exists()
    if action == "bulk-publish section":
        world.save_revision(user=None)  # an unpublished change waiting on the section
        url = (
            reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
            + f"?id={world.pk}"
        )
        client.post(url, {"include_descendants": ""})
        return not SectionPage.objects.get(pk=world.pk).has_unpublished_changes
    if action in ("API create section", "API edit section"):
        client.logout()
        api = token_for(user) if user is not None else TokenClient()
        if action == "API create section":
            api.post(
                "/api/v3/pages/",
                {"meta": {"type": "articles.SectionPage", "parent_id": home.pk},
                 "title": "Europe"},
            )  # fmt: skip
            return SectionPage.objects.filter(title="Europe").exists()
        api.patch(f"/api/v3/pages/{world.pk}/", {"introduction": "Edited by API"})
        return SectionPage.objects.get(
            pk=world.pk
        ).get_latest_revision_as_object().introduction == ("Edited by API")
    if action in ("set embargo", "clear embargo"):
        # The acting person's own draft (reporters may edit theirs), embargoed by an editor
        # for "clear embargo".
        client.logout()
        embargo = timezone.now() + datetime.timedelta(days=2)
        page = stage["create"](user, f"Embargo story of {role}")
        if action == "clear embargo":
            page.embargo_until = embargo
            page.save_revision()
        if user is not None:
            client.force_login(user)
        value = "" if action == "clear embargo" else admin_datetime(embargo)
        edit(client, page, embargo_until=value)
        latest = ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object()
        if action == "clear embargo":
            return latest.embargo_until is None
        return latest.embargo_until is not None
    raise AssertionError(f"unknown action {action}")


def attempt_on_live(action, user, client, stage, people):
    client.logout()
    assigned = [user] if user is not None and "(assigned)" in action else []
    page = make_live_page(stage["world"], title="Election night", assigned=assigned)
    if user is not None:
        client.force_login(user)
    if action.startswith("post live update"):
        client.post(
            reverse("wagtailsnippets_articles_liveentry:add"),
            live_entry_form(page, "Polls close"),
        )
        return LiveEntry.objects.filter(page=page).exists()
    if action == "API post live update (assigned)":
        client.logout()
        api = token_for(user) if user is not None else TokenClient()
        api.post(
            "/api/v3/live-entries/",
            {"page": page.pk, "body": [{"type": "paragraph", "value": "<p>Polls close</p>"}]},
        )
        return LiveEntry.objects.filter(page=page).exists()
    if action == "assign to live coverage":
        client.post(
            reverse("wagtailsnippets_articles_liveassignment:add"),
            {"page": page.pk, "user": people["reporter"].pk},
        )
        return page.assignments.filter(user=people["reporter"]).exists()
    entry = post(page, people["editor"], "<p>Polls close</p>")
    if action in ("correct live update", "hide live update"):
        extra = {"is_hidden": "on"} if action == "hide live update" else {}
        client.post(
            reverse("wagtailsnippets_articles_liveentry:edit", args=(entry.pk,)),
            live_entry_form(page, "Polls closed at ten", **extra),
        )
        entry.refresh_from_db()
        if action == "hide live update":
            return entry.is_hidden
        return "closed at ten" in str(entry.body[0].value)
    if action == "delete live update":
        client.post(reverse("wagtailsnippets_articles_liveentry:delete", args=(entry.pk,)))
        return not LiveEntry.objects.filter(pk=entry.pk).exists()
    if action == "API hide live update":
        client.logout()
        api = token_for(user) if user is not None else TokenClient()
        api.patch(f"/api/v3/live-entries/{entry.pk}/", {"is_hidden": True})
        entry.refresh_from_db()
        return entry.is_hidden
    raise AssertionError(f"unknown action {action}")


def alert_form(story, text):
    now = timezone.localtime()
    return {
        "text": text,
        "page": story.pk,
        "urgency": 1,
        "starts_at": now.strftime("%Y-%m-%d %H:%M"),
        "expires_at": (now + datetime.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"),
    }


def attempt_on_alerts(action, client, story):
    if action == "create breaking-news alert":
        client.post(
            reverse("wagtailsnippets_articles_breakingnewsalert:add"),
            alert_form(story, "Dam breaks"),
        )
        return BreakingNewsAlert.objects.filter(text="Dam breaks").exists()
    alert = BreakingNewsAlert.objects.create(
        page=story, text="Dam breaks", expires_at=timezone.now() + datetime.timedelta(hours=1)
    )
    if action == "change breaking-news alert":
        client.post(
            reverse("wagtailsnippets_articles_breakingnewsalert:edit", args=(alert.pk,)),
            alert_form(story, "Dam holds"),
        )
        return BreakingNewsAlert.objects.filter(pk=alert.pk, text="Dam holds").exists()
    if action == "delete breaking-news alert":
        client.post(reverse("wagtailsnippets_articles_breakingnewsalert:delete", args=(alert.pk,)))
        return not BreakingNewsAlert.objects.filter(pk=alert.pk).exists()
    raise AssertionError(f"unknown action {action}")


def author_form(name, **fields):
    return {"name": name, "role": "", "slug": "", "photo": "", "bio": "", "links": "", **fields}


def attempt_on_authors(action, user, client, people):
    if action == "add guest author":
        client.post(reverse("wagtailsnippets_articles_author:add"), author_form("Guest Writer"))
        return Author.objects.filter(name="Guest Writer").exists()
    if action == "edit an author":
        colleague = Author.objects.create(name="A Colleague")
        client.post(
            reverse("wagtailsnippets_articles_author:edit", args=(colleague.pk,)),
            author_form("Renamed Colleague"),
        )
        return Author.objects.filter(name="Renamed Colleague").exists()
    if action == "link author to account":
        # Claiming to be someone else's author profile: the copy editor's, say.
        target = people["copy editor"]
        client.post(
            reverse("wagtailsnippets_articles_author:add"),
            author_form("An Impostor", user=target.pk),
        )
        return Author.objects.filter(name="An Impostor", user=target).exists()
    raise AssertionError(f"unknown action {action}")


@pytest.mark.parametrize("action", MATRIX)
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(role, action, people, stage, client):
    expected = MATRIX[action][ROLES.index(role)]
    user = people.get(role)
    assert attempt(action, role, user, client, stage, people) is expected, (
        f"{role} {'should' if expected else 'should not'} be able to {action}"
    )
