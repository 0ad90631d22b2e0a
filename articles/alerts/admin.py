"""Editors' screens for breaking-news alerts (Wagtail snippets, "Breaking news" in the menu).

Only editors hold the alert permissions (articles/roles.py); Wagtail keeps every create, edit
and delete in the alert's history, and articles/signal_handlers.py sends the change to every
door once it commits.
"""

from django import forms
from django.utils import timezone
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList, PageChooserPanel
from wagtail.admin.widgets import AdminDateTimeInput
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet

from ..models import ArticlePage, BreakingNewsAlert


class AlertForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        required = {
            "page": "Choose the article or live coverage page the banner links to.",
            "expires_at": "Say when the banner goes: pick a “show until” time.",
            "text": "Write the alert: one sentence readers see in the banner.",
        }
        for name, message in required.items():
            if name in self.fields:
                self.fields[name].error_messages["required"] = message
        for name in ("starts_at", "expires_at"):
            if name in self.fields:
                self.fields[name].widget = AdminDateTimeInput()

    def clean_page(self):
        page = self.cleaned_data["page"]
        if page is None:
            return page
        if not ArticlePage.objects.filter(pk=page.pk).exists():
            raise forms.ValidationError(
                f"“{page.title}” is not an article or live coverage page: an alert links "
                "readers to a story."
            )
        if not ArticlePage.objects.for_readers().filter(pk=page.pk).exists():
            raise forms.ValidationError(
                f"Readers cannot see “{page.title}” yet (it is a draft, scheduled, embargoed "
                "or private): publish it first, or link a story that is live."
            )
        return page

    def clean_expires_at(self):
        expires_at = self.cleaned_data["expires_at"]
        if expires_at is not None and expires_at <= timezone.now():
            if self.instance.pk is None or self.instance.expires_at != expires_at:
                raise forms.ValidationError(
                    "This time has passed: the alert would never show. Pick a time to come."
                )
        return expires_at


class CreateAlertView(CreateView):
    def save_instance(self):
        self.form.instance.created_by = self.request.user
        return super().save_instance()

    def get_success_message(self, instance=None):
        return "The alert is saved: readers see it on every page while it is active."


class BreakingNewsAlertViewSet(SnippetViewSet):
    model = BreakingNewsAlert
    icon = "warning"
    menu_label = "Breaking news"
    menu_order = 260
    add_to_admin_menu = True
    add_view_class = CreateAlertView
    list_display = ["text", "urgency", "page", "starts_at", "expires_at"]
    list_filter = ["urgency"]
    ordering = ["-expires_at", "-pk"]
    edit_handler = ObjectList(
        [
            FieldPanel("text"),
            # The chooser lists articles and live coverage pages (a subclass of articles).
            PageChooserPanel("page", page_type="articles.ArticlePage"),
            FieldPanel("urgency"),
            FieldRowPanel([FieldPanel("starts_at"), FieldPanel("expires_at")]),
        ],
        base_form_class=AlertForm,
    )
