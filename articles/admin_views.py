"""Small admin endpoints the article form calls as the writer works, before anything is saved:
the editorial checks for what the form holds now, and a photo's credit and caption for the
slot it was just put in. Each checks the same permission as the screen it serves."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_POST
from wagtail.admin.views.pages.preview import PreviewOnCreateView, PreviewOnEditView
from wagtail.images import get_image_model
from wagtail.permissions import policy_registry

from .models import ArticlePage, ImageRights
from .panels import editorial_checks_context

CHECKS_TEMPLATE = "articles/admin/editorial_checks.html"
# The fields the checks read (articles/editorial_checks.py).
CHECKED_FIELDS = (
    "lead_image",
    "lead_image_alt",
    "lead_image_credit",
    "standfirst",
    "body",
    "embargo_until",
)


class _ChecksOfTheForm:
    """Runs the article's form (as Wagtail's preview does, without saving or storing
    anything) and renders the checks panel for the article as the form would save it. A
    field the form can't clean yet keeps its saved value."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if not isinstance(self.object, ArticlePage):
            raise Http404("Only articles have editorial checks.")
        form = self.get_form(request.POST)
        form.is_valid()
        article = self.object
        for name in CHECKED_FIELDS:
            if name in form.cleaned_data and name in form.fields:
                setattr(article, name, form.cleaned_data[name])
        return TemplateResponse(request, CHECKS_TEMPLATE, editorial_checks_context(article))


class ChecksOnEdit(_ChecksOfTheForm, PreviewOnEditView):
    pass


class ChecksOnCreate(_ChecksOfTheForm, PreviewOnCreateView):
    def get_form(self, query_dict):
        # Not the preview's: that one also gives the unsaved page an address.
        return PreviewOnEditView.get_form(self, query_dict)


@require_GET
def image_rights(request, image_id):
    """A photo's credit, caption and alt text, for a slot that just got it (the slot's own
    fields win: the script fills only the empty ones)."""
    model = get_image_model()
    image = get_object_or_404(model, pk=image_id)
    if not policy_registry.get_by_type(model).user_has_any_permission_for_instance(
        request.user, ["choose", "change"], image
    ):
        raise PermissionDenied
    rights = ImageRights.of(image)
    return JsonResponse(
        {
            "credit": rights.credit,
            "caption": rights.caption,
            "alt_text": getattr(image, "description", ""),
        }
    )


checks_on_edit = require_POST(ChecksOnEdit.as_view())
checks_on_create = require_POST(ChecksOnCreate.as_view())
