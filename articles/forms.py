from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from wagtail.admin.forms import WagtailAdminPageForm

from .editorial_checks import publishing_problems
from .permissions import SET_EMBARGO


def start_with_writers_byline(article, user) -> None:
    """A new story starts with its writer's byline, when the writer is a journalist with an
    author profile (their role on it: the default, reporting); they can change or add to it."""
    # The models through the article's own relation: models.py imports this module.
    byline_model = type(article).byline.rel.related_model
    author_model = byline_model._meta.get_field("author").related_model
    profile = author_model.objects.filter(user=user).first()
    if profile is not None and not article.byline.all():
        article.byline = [byline_model(author=profile)]


class ArticlePageForm(WagtailAdminPageForm):
    """Refuses to publish (or submit for review) an article that isn't ready, saying why;
    shows the embargo only to those who may set or clear it."""

    def __init__(self, *args, for_user=None, **kwargs):
        bound = bool(args) or kwargs.get("data") is not None
        instance = kwargs.get("instance")
        if for_user and not bound and instance is not None and instance.pk is None:
            start_with_writers_byline(instance, for_user)
        super().__init__(*args, for_user=for_user, **kwargs)
        # Not FieldPanel(permission=...): Wagtail 8.0's API builds this form without the
        # field (it isn't an API field) and then fails deleting it for such users.
        if for_user and "embargo_until" in self.fields and not for_user.has_perm(SET_EMBARGO):
            del self.fields["embargo_until"]

    def clean_title(self):
        # The headline box grows with its text; a pasted line break is not part of a headline.
        return " ".join(self.cleaned_data["title"].split())

    def _action(self) -> str | None:
        for action in ("action-publish", "action-submit"):
            if action in self.data:
                return action
        return None

    def clean(self):
        cleaned = super().clean()
        action = self._action()
        if action is None:
            return cleaned
        embargo = cleaned.get("embargo_until")
        go_live = cleaned.get("go_live_at")
        if action == "action-publish" and embargo and embargo > timezone.now():
            if go_live is None or go_live < embargo:
                when = date_format(timezone.localtime(embargo), "DATETIME_FORMAT")
                self.add_error(
                    "embargo_until",
                    ValidationError(
                        f"This article is embargoed until {when} and cannot be published "
                        "before then. Set “Go-live date/time” to that time or later to "
                        "schedule it, or submit it for review: approval schedules it for the "
                        "embargo time.",
                        code="embargoed",
                    ),
                )
        # Check the article as it would be saved: the form's instance with the cleaned data.
        page = self.instance
        for name in ("lead_image", "lead_image_alt", "lead_image_credit", "body"):
            if name in cleaned:
                setattr(page, name, cleaned[name])
        problems = publishing_problems(page)
        if problems:
            verb = "published" if action == "action-publish" else "submitted for review"
            raise ValidationError(
                [f"It can't be {verb} yet. {problem}" for problem in problems],
                code="not_ready",
            )
        return cleaned
