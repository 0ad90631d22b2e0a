"""The live desk in Wagtail's admin: "Live coverage" in the menu, with its updates (posted
by the people assigned to a page, corrected, hidden or deleted by editors) and who is
assigned where (editors only). Every save goes through the one writer, articles/live/entries.py.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    MultiFieldPanel,
    ObjectList,
)
from wagtail.admin.widgets import Button
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.snippets.views.snippets import (
    CreateView,
    DeleteView,
    EditView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from ..editorial_checks import entry_problems
from ..models import LiveAssignment, LiveCoveragePage, LiveEntry
from ..roles import ROLES, ensure_author_profile
from . import entries, rules

EDITORS_ONLY = "articles.change_liveentry"


class LiveEntryPermissionPolicy(ModelPermissionPolicy):
    """Editors have the model's permissions; the people assigned to a live page may add
    (post) and see the list of updates, nothing more (articles/live/rules.py)."""

    def user_has_permission(self, user, action):
        if action in ("add", "view") and rules.may_post_somewhere(user):
            return True
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions)

    def instances_user_has_any_permission_for(self, user, actions):
        if rules.is_live_editor(user):
            return LiveEntry.objects.all()
        if self.user_has_any_permission(user, actions):
            return LiveEntry.objects.filter(page__in=rules.pages_to_post_to(user))
        return LiveEntry.objects.none()


def register_live_entry_policy() -> None:
    from wagtail.permissions import register_permission_policy

    register_permission_policy(LiveEntry, LiveEntryPermissionPolicy(LiveEntry))


class LiveEntryForm(WagtailAdminModelForm):
    """Offers only the pages the person may post to; checks the photos as publishing does."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if "page" in self.fields:
            if self.instance.pk:
                del self.fields["page"]  # an update stays on its page
            else:
                self.fields["page"].queryset = rules.pages_to_post_to(user)
                self.fields["page"].empty_label = None
                self.fields["page"].help_text = "The live coverage this update belongs to."
        if "posted_at" in self.fields:
            self.fields["posted_at"].required = False
            self.fields["posted_at"].help_text = "Left empty, the time it is posted."
        if "authors" in self.fields and not self.instance.pk and not self.is_bound:
            profile = ensure_author_profile(user) if user else None
            if profile is not None:
                self.initial.setdefault("authors", [profile.pk])

    def clean(self):
        cleaned = super().clean()
        page = cleaned.get("page") or getattr(self.instance, "page", None)
        if page is not None and not self.instance.pk:
            refusal = rules.post_refusal(self.for_user, page)
            if refusal:
                self.add_error("page", refusal)
        body = cleaned.get("body")
        if body is not None:
            if not list(body):
                self.add_error("body", "Write the update: add a paragraph, a photo or a quote.")
            for problem in entry_problems(body):
                self.add_error("body", problem)
        return cleaned


def _as_form_errors(view, error: Exception):
    if isinstance(error, ValidationError):
        view.form.add_error(None, error)
    else:
        view.form.add_error(None, str(error))
    return view.form_invalid(view.form)


class PostUpdateView(CreateView):
    def get_initial(self):
        initial = super().get_initial()
        if page_id := self.request.GET.get("page", "").strip():
            initial["page"] = page_id if page_id.isdigit() else None
        return initial

    def save_instance(self):
        data = self.form.cleaned_data
        return entries.post(
            data["page"], self.request.user, self.form.instance, authors=data.get("authors")
        )

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except (PermissionDenied, ValidationError) as error:
            return _as_form_errors(self, error)

    def get_success_message(self, instance=None):
        return f"Your update is live on “{self.object.page.title}”."

    def get_success_url(self):
        return f"{reverse(self.index_url_name)}?page={self.object.page_id}"


class CorrectUpdateView(EditView):
    def save_instance(self):
        data = self.form.cleaned_data
        fields = {name: data[name] for name in entries.CHANGEABLE if name in data}
        return entries.change(
            self.form.instance, self.request.user, authors=data.get("authors"), **fields
        )

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except (PermissionDenied, ValidationError) as error:
            return _as_form_errors(self, error)

    def get_success_message(self):
        if self.object.is_hidden:
            return "The update is hidden: readers no longer see it. It stays in the history."
        return "The update is corrected; readers see the new version."


class DeleteUpdateView(DeleteView):
    def delete_action(self):
        entries.delete(self.object, self.request.user)


class LiveEntryViewSet(SnippetViewSet):
    model = LiveEntry
    icon = "time"
    menu_label = "Updates"
    add_view_class = PostUpdateView
    edit_view_class = CorrectUpdateView
    delete_view_class = DeleteUpdateView
    list_display = ["__str__", "page", "posted_at", "is_key_event", "is_pinned", "is_hidden"]
    list_filter = ["page", "is_key_event", "is_pinned", "is_hidden"]
    ordering = ["-posted_at", "-pk"]
    edit_handler = ObjectList(
        [
            FieldPanel("page"),
            FieldPanel("headline"),
            FieldPanel("body"),
            HelpPanel(template="articles/admin/photo_rights_help.html"),
            FieldPanel("authors"),
            FieldRowPanel([FieldPanel("is_key_event"), FieldPanel("is_pinned")]),
            MultiFieldPanel(
                [
                    FieldPanel("posted_at", permission=EDITORS_ONLY),
                    FieldPanel("is_hidden", permission=EDITORS_ONLY),
                    FieldPanel("correction_note", permission=EDITORS_ONLY),
                ],
                heading="Editors",
            ),
        ],
        base_form_class=LiveEntryForm,
    )

    def get_queryset(self, request):
        policy = LiveEntryPermissionPolicy(LiveEntry)
        return policy.instances_user_has_any_permission_for(request.user, ["view"]).select_related(
            "page"
        )


class LiveAssignmentForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "user" in self.fields:
            self.fields["user"].queryset = (
                get_user_model()
                .objects.filter(is_active=True, groups__name__in=list(ROLES))
                .distinct()
                .order_by("username")
            )
            self.fields["user"].help_text = "They can post updates to this page while it is live."
        if "page" in self.fields:
            self.fields["page"].queryset = LiveCoveragePage.objects.order_by("-pk")


class LiveAssignmentViewSet(SnippetViewSet):
    model = LiveAssignment
    icon = "group"
    menu_label = "Who posts where"
    list_display = ["user", "page", "assigned_at"]
    list_filter = ["page"]
    edit_handler = ObjectList(
        [FieldPanel("page"), FieldPanel("user")], base_form_class=LiveAssignmentForm
    )


class LiveCoverageGroup(SnippetViewSetGroup):
    menu_label = "Live coverage"
    menu_icon = "time"
    menu_order = 250
    items = (LiveEntryViewSet, LiveAssignmentViewSet)


def page_header_buttons(page, user, view_name, next_url=None):
    """ "Post an update" and "Updates" on a live coverage page's screens in the admin."""
    page = page.specific_deferred if hasattr(page, "specific_deferred") else page
    if not isinstance(page, LiveCoveragePage):
        return
    if rules.may_post(user, page):
        yield Button(
            "Post an update",
            f"{reverse('wagtailsnippets_articles_liveentry:add')}?page={page.pk}",
            icon_name="plus",
            priority=5,
        )
    if rules.is_live_editor(user) or rules.is_assigned(user, page):
        yield Button(
            "Updates",
            f"{reverse('wagtailsnippets_articles_liveentry:list')}?page={page.pk}",
            icon_name="time",
            priority=6,
        )
