"""The image form: the photo's rights beside Wagtail's fields, and a guard.

Photos on live articles change only with an editor's say: Wagtail lets whoever uploaded an
image replace its file, move its focal point or delete it, and every live article showing it
would change for readers with no review. A change (admin form or API) to an image a live page
uses is refused, saying why, unless the user may publish each such page; so is deleting it.

Wired by settings: `WAGTAILIMAGES_IMAGE_FORM_BASE = "articles.image_guard.NewsroomImageForm"`
(the admin's edit forms and API v3 writes use it; a system check warns when it is missing),
and the image permission policy below, registered by `register_image_policy()` from
`ArticlesConfig.ready()` for deletions.
"""

from django import forms
from django.core.exceptions import ValidationError
from wagtail.images.forms import BaseImageForm
from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy

from .media_visibility import live_pages_using

FORM_BASE = "articles.image_guard.NewsroomImageForm"


def pages_blocking_change(user, image) -> list:
    """Live pages using `image` that `user` may not publish."""
    if user is None or image.pk is None or (user.is_active and user.is_superuser):
        return []
    return [
        page
        for page in live_pages_using(image).specific()
        if not page.permissions_for_user(user).can_publish()
    ]


def refusal(image, pages, verb: str) -> str:
    titles = ", ".join(f"“{page.title}”" for page in pages[:3])
    more = f" and {len(pages) - 3} more" if len(pages) > 3 else ""
    return (
        f"You can't {verb} “{image.title}”: the live article{'s' if len(pages) > 1 else ''} "
        f"{titles}{more} show{'' if len(pages) > 1 else 's'} it, and readers would see the "
        "change without review. Ask an editor, or upload a new image and use it in a draft."
    )


class NewsroomImageForm(BaseImageForm):
    """Wagtail's image form, guarded as above, with the photo's rights (photographer,
    credit, copyright, caption, usage terms: `ImageRights`) after its description."""

    def __init__(self, *args, **kwargs):
        self.editing_user = kwargs.get("user")
        super().__init__(*args, **kwargs)
        self.is_new_image = self.instance.pk is None
        from .models import ImageRights

        rights = ImageRights.of(self.instance) if self.instance.pk else ImageRights()
        self.rights_fields = forms.fields_for_model(ImageRights, fields=ImageRights.FORM_FIELDS)
        for name, field in self.rights_fields.items():
            field.initial = getattr(rights, name)
            if self.is_new_image:
                field.help_text += " Left empty, it is read from the file (IPTC, XMP) if there."
        ordered = list(self.fields.items())
        at = next((i + 1 for i, (name, _f) in enumerate(ordered) if name == "description"), None)
        at = len(ordered) if at is None else at
        self.fields = dict(ordered[:at]) | self.rights_fields | dict(ordered[at:])

    def clean(self):
        cleaned = super().clean()
        # The rights change no pixel readers see (slots keep their own credit and caption).
        changed = set(self.changed_data) - set(self.rights_fields)
        if self.instance.pk and changed:
            blocking = pages_blocking_change(self.editing_user, self.instance)
            if blocking:
                raise ValidationError(refusal(self.instance, blocking, "change"), code="in_use")
        return cleaned

    def save(self, commit=True):
        image = super().save(commit=commit)
        if commit:
            self.save_rights(image)
        else:
            wagtail_save_m2m = self.save_m2m

            def save_m2m():
                wagtail_save_m2m()
                self.save_rights(image)

            self.save_m2m = save_m2m
        return image

    def save_rights(self, image):
        """What the form says, over what the file said (the upload read it already). A
        field the request didn't send (a partial API update) is left as it is; an empty one
        on a new image keeps the file's."""
        from .models import ImageRights

        rights = ImageRights.of(image)
        for name in self.rights_fields:
            if self.add_prefix(name) not in self.data:
                continue
            typed = self.cleaned_data.get(name, "")
            if typed or not self.is_new_image:
                setattr(rights, name, typed)
        rights.save()


class NewsroomImagePermissionPolicy(CollectionOwnershipPermissionPolicy):
    """Wagtail's image policy, but an image a live page shows is deleted only by those who
    may publish that page."""

    def user_has_any_permission_for_instance(self, user, actions, instance):
        allowed = super().user_has_any_permission_for_instance(user, actions, instance)
        if allowed and "delete" in actions and pages_blocking_change(user, instance):
            return False
        return allowed


def register_image_policy() -> None:
    from wagtail.images import get_image_model
    from wagtail.permissions import register_permission_policy

    register_permission_policy(
        get_image_model(),
        NewsroomImagePermissionPolicy(
            get_image_model(),
            auth_model="wagtailimages.Image",
            owner_field_name="uploaded_by_user",
        ),
        exact_class=True,
    )
