"""Admin hooks: only people who can publish may delete or move pages (in the admin and,
through the action registry, in the API); and the API v3 set up as the newsroom needs it."""

from django.contrib import messages
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import path
from django.utils.html import format_html
from wagtail import hooks


@hooks.register("register_admin_urls")
def guard_the_api():
    """Wagtail asks for admin URLs as a site's URLconf imports its admin, after every app is
    ready and before the API's URLs are built: the moment to adjust the API v3, whose routers
    are fixed once built (articles/api_guards.py). Adds no URLs."""
    from .api_guards import guard_api

    guard_api()
    return []


@hooks.register("register_admin_urls")
def article_form_endpoints():
    from . import admin_views

    return [
        path(
            "newsroom/checks/<int:page_id>/",
            admin_views.checks_on_edit,
            name="newsroom_checks_on_edit",
        ),
        path(
            "newsroom/checks/new/<slug:content_type_app_name>/<slug:content_type_model_name>/"
            "<int:parent_page_id>/",
            admin_views.checks_on_create,
            name="newsroom_checks_on_create",
        ),
        path(
            "newsroom/images/<int:image_id>/rights/",
            admin_views.image_rights,
            name="newsroom_image_rights",
        ),
    ]


@hooks.register("insert_editor_js")
def article_form_script():
    """Keeps the editorial checks current and starts a slot's credit from its photo's."""
    return format_html('<script src="{}" defer></script>', static("articles/js/article_form.js"))


def _refuse(request, page, verb):
    messages.error(
        request,
        f"You can't {verb} “{page.get_admin_display_title()}”: only editors who can publish "
        f"may {verb} pages. Ask an editor.",
    )
    return redirect("wagtailadmin_explore", page.get_parent().pk)


@hooks.register("before_create_page")
def only_editors_create_sections(request, parent_page, page_class):
    """Wagtail's page-type chooser offers "Section page" to anyone who may add pages there;
    choosing it ends here for reporters and copy editors (articles/permissions.py)."""
    from .models import SectionPage
    from .permissions import may_create_sections, sections_refusal

    if issubclass(page_class, SectionPage) and not may_create_sections(request.user):
        messages.error(request, sections_refusal("create"))
        return redirect("wagtailadmin_explore", parent_page.pk)
    return None


@hooks.register("before_delete_page")
def only_publishers_delete(request, page):
    if not page.permissions_for_user(request.user).can_publish():
        return _refuse(request, page, "delete")
    return None


@hooks.register("before_move_page")
def only_publishers_move(request, page, destination):
    if not page.permissions_for_user(request.user).can_publish():
        return _refuse(request, page, "move")
    return None


@hooks.register("before_bulk_action")
def only_publishers_bulk_delete_or_move(request, action_type, objects, action_class_instance):
    if action_type not in ("delete", "move"):
        return None
    for page in objects:
        if (
            hasattr(page, "permissions_for_user")
            and not page.permissions_for_user(request.user).can_publish()
        ):
            return _refuse(request, page, action_type)
    return None


@hooks.register("register_actions", order=100)
def newsroom_api_actions(registry):
    """The newsroom's publishing rules for writes through Wagtail's API v3 (articles/api.py);
    ordered after Wagtail's own registrations, which they replace."""
    from .api import register_api_actions

    register_api_actions(registry)


@hooks.register("construct_homepage_panels")
def newsroom_dashboard(request, panels):
    """The dashboard per role: new article per section, your stories, your review queue,
    scheduled and embargoed (articles/dashboard.py)."""
    from .dashboard import newsroom_panels

    newsroom_panels(request, panels)


@hooks.register("register_admin_viewset")
def article_admin_views():
    """The article's admin views, with messages that say where the story goes next."""
    from .admin_workflow import ArticlePageViewSet

    return ArticlePageViewSet()


@hooks.register("construct_page_action_menu")
def one_primary_action_in_review(menu_items, request, context):
    from .admin_workflow import one_primary_action

    one_primary_action(menu_items, request, context)


@hooks.register("register_admin_viewset")
def live_coverage_admin_views():
    """Live coverage in the menu: its updates, and who posts where (articles/live/admin.py)."""
    from .live.admin import LiveCoverageGroup

    return LiveCoverageGroup()


@hooks.register("register_admin_viewset")
def breaking_news_admin_views():
    """Breaking-news alerts, for editors (articles/alerts/admin.py)."""
    from .alerts.admin import BreakingNewsAlertViewSet

    return BreakingNewsAlertViewSet()


@hooks.register("register_page_header_buttons")
def live_coverage_buttons(page, user, view_name, next_url=None):
    from .live.admin import page_header_buttons

    yield from page_header_buttons(page, user, view_name, next_url)


@hooks.register("register_log_actions")
def live_coverage_history(actions):
    """How the page's history names the changes to its updates (articles/live/entries.py)."""

    from wagtail.log_actions import LogFormatter

    class LiveUpdateChange(LogFormatter):
        def format_message(self, log_entry):
            data = log_entry.data or {}
            words = data.get("headline") or data.get("text", "")[:60]
            return f"{self.message}: {words}" if words else self.message

        def format_comment(self, log_entry):
            return (log_entry.data or {}).get("correction_note", "")

    for action, label, message in (
        ("newsroom.live_entry.post", "Post live update", "Live update posted"),
        ("newsroom.live_entry.edit", "Correct live update", "Live update changed"),
        ("newsroom.live_entry.hide", "Hide live update", "Live update hidden"),
        ("newsroom.live_entry.delete", "Delete live update", "Live update deleted"),
    ):
        formatter = type(
            "LiveUpdateFormatter", (LiveUpdateChange,), {"label": label, "message": message}
        )
        actions.register_action(action)(formatter)
