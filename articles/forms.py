from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.images import get_image_model

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


def _body_slots(body):
    return [block.value for block in body or [] if block.block_type == "image"]


# Where a photo's words go: (photo's credit, caption, description) to the slot's fields.
LEAD_SLOT_FIELDS = ("lead_image_credit", "lead_image_caption", "lead_image_alt")
BODY_SLOT_FIELDS = ("credit", "caption", "alt_text")


def start_slots_from_image_rights(cleaned, article) -> None:
    """A photo newly put in a slot brings its credit and caption (and, for the alt text,
    its description) into the slot's empty fields, by every door that uses this form (admin,
    API): the photo desk's words, which the slot may then change for this story."""
    chosen = []  # (the slot's values, the names of its fields, the photo)
    lead = cleaned.get("lead_image")
    if lead is not None and lead.pk != article.lead_image_id:
        chosen.append((cleaned, LEAD_SLOT_FIELDS, lead))
    old_images = {slot.get("image").pk for slot in _body_slots(article.body) if slot.get("image")}
    for slot in _body_slots(cleaned.get("body")):
        image = slot.get("image")
        if image is not None and image.pk not in old_images:
            chosen.append((slot, BODY_SLOT_FIELDS, image))
    if not chosen:
        return
    with_rights = get_image_model().objects.select_related("newsroom_rights")
    images = with_rights.in_bulk([image.pk for _slot, _names, image in chosen])
    for slot, names, image in chosen:
        image = images.get(image.pk, image)
        try:
            credit, caption = image.newsroom_rights.credit, image.newsroom_rights.caption
        except ObjectDoesNotExist:  # uploaded before images had rights
            credit = caption = ""
        found = (credit, caption, getattr(image, "description", ""))
        for name, text in zip(names, found, strict=True):
            if text and not (slot.get(name) or "").strip():
                slot[name] = text


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
        start_slots_from_image_rights(cleaned, self.instance)
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
                        "before then. To schedule it, set its go-live time to then or later "
                        "(Status panel, the ⓘ button at the top: Set schedule), or submit it "
                        "for review: approval schedules it for the embargo time.",
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
