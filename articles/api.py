"""Headless API: the IPTC ninjs view, the OpenAPI schema view, and the newsroom's publishing
rules for writes through Wagtail's API v3. The fields the API v3 exposes are declared on the
models (`articles/api_fields.py`)."""

from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_GET
from wagtail.actions import action_registry
from wagtail.actions.create import CreatePermissionError
from wagtail.actions.create_page import CreatePageAction
from wagtail.actions.delete_page import DeletePageAction, DeletePagePermissionError
from wagtail.actions.edit import EditPermissionError
from wagtail.actions.edit_page import EditPageAction
from wagtail.actions.move_page import MovePageAction, MovePagePermissionError
from wagtail.actions.publish_page_revision import PublishPageRevisionAction
from wagtail.models import Page, Site

from . import bylines, images, ninjs
from .alerts import current as alerts
from .blocks import plain_body_html
from .conf import newsroom_setting
from .editorial_checks import publishing_problems
from .live import updates as live_updates
from .models import ArticlePage, LiveCoveragePage, SectionPage
from .permissions import manages_sections, may_create_sections, sections_refusal
from .site_name import site_name
from .structured_data import author_url

# Writes through API v3 ---------------------------------------------------------------------
#
# The v3 API performs writes through the actions in Wagtail's action registry. The admin's
# page views don't: they run the article form's pre-publish checks (`ArticlePageForm`) and
# the `before_delete_page` / `before_move_page` hooks (`wagtail_hooks.py`). These actions
# apply the same rules to API clients. Role permissions (who may add, change, publish) are
# Wagtail's own page permissions, checked by the stock actions.


def _refuse_unready(page) -> None:
    problems = publishing_problems(page) if isinstance(page, ArticlePage) else []
    if problems:
        raise ValidationError(
            [f"It can't be published yet. {problem}" for problem in problems],
            code="not_ready",
        )


class NewsroomCreatePageAction(CreatePageAction):
    """Create (and with `meta.action: publish`, publish) only an article that is ready; only
    editors create sections."""

    def check(self, skip_permission_checks=False):
        if (
            not skip_permission_checks
            and self.user
            and isinstance(self.instance, SectionPage)
            and not may_create_sections(self.user)
        ):
            raise CreatePermissionError(sections_refusal("create"))
        super().check(skip_permission_checks=skip_permission_checks)

    def _clean_instance(self):
        super()._clean_instance()  # validates the form and applies it to the instance
        if self.publish:
            _refuse_unready(self.instance)


class NewsroomEditPageAction(EditPageAction):
    """Save (and with `meta.action: publish`, publish) only an article that is ready; only
    editors edit sections."""

    def check(self, skip_permission_checks=False):
        if (
            not skip_permission_checks
            and self.user
            and isinstance(self.instance, SectionPage)
            and not manages_sections(self.user)
        ):
            raise EditPermissionError(sections_refusal("edit"))
        super().check(skip_permission_checks=skip_permission_checks)

    def _clean_instance(self):
        super()._clean_instance()
        if self.publish:
            _refuse_unready(self.instance)


class NewsroomPublishPageRevisionAction(PublishPageRevisionAction):
    """`actions/publish/` publishes the latest revision: only if that revision is ready."""

    def check(self, skip_permission_checks=False):
        super().check(skip_permission_checks=skip_permission_checks)
        if not skip_permission_checks:
            _refuse_unready(self.object)


def _only_publishers(page, user, verb, error_class) -> None:
    if user and not page.permissions_for_user(user).can_publish():
        raise error_class(
            f"You can't {verb} “{page.get_admin_display_title()}”: only editors who can "
            f"publish may {verb} pages. Ask an editor."
        )


class NewsroomDeletePageAction(DeletePageAction):
    def check(self, skip_permission_checks=False):
        if not skip_permission_checks:
            _only_publishers(self.page, self.user, "delete", DeletePagePermissionError)
        super().check(skip_permission_checks=skip_permission_checks)


class NewsroomMovePageAction(MovePageAction):
    def check(self, parent_after, skip_permission_checks=False):
        if not skip_permission_checks:
            _only_publishers(self.page, self.user, "move", MovePagePermissionError)
        super().check(parent_after, skip_permission_checks=skip_permission_checks)


def register_api_actions(registry=action_registry) -> None:
    """The API looks up create/edit by the page's own model, the others on `Page`."""
    for model in (ArticlePage, SectionPage):
        registry.register(model, NewsroomCreatePageAction)
        registry.register(model, NewsroomEditPageAction)
    for action_class in (
        NewsroomPublishPageRevisionAction,
        NewsroomDeletePageAction,
        NewsroomMovePageAction,
    ):
        registry.register(Page, action_class)


# IPTC ninjs ------------------------------------------------------------------------------


def _section_paths(article) -> list[tuple[str, str]]:
    sections = [article.get_parent()]
    sections += [s for s in article.secondary_sections.all() if s.pk != sections[0].pk and s.live]
    return [(section.title, section.full_url) for section in sections]


def ninjs_source(article, request) -> ninjs.Story:
    site = Site.find_for_request(request)
    publisher = site_name(site)
    credits = article.credits()
    site_url = site.root_url if site else ""
    lead = None
    if article.lead_image:
        crops = images.crops(article.lead_image, request)
        lead = ninjs.Picture(
            uri=f"{article.full_url}#lead-image",
            alt_text=article.lead_image_alt,
            caption=article.lead_image_caption,
            credit=article.lead_image_credit,
            renditions={
                name: (ref.url, ref.media_type, ref.width, ref.height)
                for name, ref in crops.items()
            },
        )
    return ninjs.Story(
        uri=article.full_url,
        guid=f"urn:uuid:{article.translation_key}",
        headline=article.title,
        standfirst=article.standfirst,
        body_html=plain_body_html(article.body),
        first_created=article.first_published_at,
        published=article.publication_date,
        version_created=article.last_published_at,
        version=str(article.live_revision_id or ""),
        language=article.locale.language_code,
        by=bylines.byline_text(credits),
        people=[
            (credit.name, credit.contribution, author_url(credit, site_url) or "")
            for credit in credits
        ],
        sections=_section_paths(article),
        tags=[tag.name for tag in article.tags.all()],
        genre=article.article_type_label,
        corrections=[(c.kind, c.text, c.noted_at) for c in article.corrections.all()],
        lead_image=lead,
        copyright_holder=publisher,
        copyright_notice=(
            f"© {article.publication_date.year} {publisher}"
            if article.publication_date
            else f"© {publisher}"
        ),
        usage_terms=newsroom_setting("USAGE_TERMS"),
        urgency=min(
            (alert.urgency for alert in alerts.active() if alert.page_id == article.pk),
            default=None,
        ),
        **_live_coverage(article, request),
    )


def _live_coverage(article, request) -> dict:
    """A live coverage page's updates as ninjs associations (articles/ninjs.py says why)."""
    if not isinstance(article, LiveCoveragePage):
        return {}
    stream = live_updates.for_request(article, request)
    return {
        "profile": "newsroom-live-coverage",
        "updates": [
            ninjs.Update(
                uri=f"{article.full_url}#{entry['anchor']}",
                name=entry["anchor"],
                headline=entry["headline"],
                body_html=entry["body_html"],
                by=bylines.join_names(entry["authors"]),
                published=parse_datetime(entry["posted_at"]),
                version_created=parse_datetime(entry["updated_at"]),
                correction=entry["correction_note"],
            )
            for entry in stream.get("entries", [])
        ],
    }


@require_GET
def openapi_schema(request):
    """The API's OpenAPI schema, unless NEWSROOM_API_SCHEMA_PUBLIC is off (production)."""
    from wagtail.api.v3.api import api

    if not newsroom_setting("API_SCHEMA_PUBLIC"):
        raise Http404("The API schema is not published here.")
    return JsonResponse(api.get_openapi_schema())


@require_GET
def ninjs_article(request, pk: int, version: str = ninjs.NINJS_VERSION):
    """One live, public article as IPTC ninjs JSON (2.1, or 3.1 at /api/ninjs/3/...)."""
    article = get_object_or_404(ArticlePage.objects.for_readers(), pk=pk)
    if article.specific_class is LiveCoveragePage:
        article = article.specific
    return JsonResponse(
        ninjs.to_ninjs(ninjs_source(article, request), version=version),
        content_type="application/json; charset=utf-8",
        json_dumps_params={"ensure_ascii": False},
    )
