"""Newsroom roles and the review workflow, set up idempotently by `setup_newsroom`.

Each role gets exactly the permissions it needs, on the newsroom's home page (pages) and the
root collection (images). The groups carry names the app owns ("Newsroom editors"), so a
host's own groups, Wagtail's stock "Editors" among them, are never touched under `--parent`.
On our own site Wagtail's default groups and workflow are neutralised, so nobody reaches
publishing by a side door.
"""

from django.contrib.auth.models import Group, Permission
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Task,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from .models import Author, ReviewTask, SectionPage, unique_slug

REPORTERS = "Newsroom reporters"
COPY_EDITORS = "Newsroom copy editors"
EDITORS = "Newsroom editors"
WORKFLOW_NAME = "Newsroom review"
# Names the roles had before they were the app's own; our own site adopts those groups (and
# their members) on the next `setup_newsroom`.
LEGACY_NAMES = {REPORTERS: "Reporters", COPY_EDITORS: "Copy editors", EDITORS: "Editors"}

ROLES = {
    REPORTERS: {
        "pages": ["add_page"],
        "images": ["add_image", "choose_image"],
        # Adding an author is how a reporter credits a guest contributor; changing one (a
        # colleague's name, who is linked to which account) stays with editors.
        "model": ["wagtailadmin.access_admin", "articles.view_author", "articles.add_author"],
    },
    COPY_EDITORS: {
        "pages": ["change_page"],
        "images": ["add_image", "choose_image"],
        "model": ["wagtailadmin.access_admin", "articles.view_author", "articles.add_author"],
    },
    EDITORS: {
        "pages": [
            "add_page",
            "change_page",
            "publish_page",
            "bulk_delete_page",
            "lock_page",
            "unlock_page",
        ],
        "images": ["add_image", "change_image", "delete_image", "choose_image"],
        "model": [
            "wagtailadmin.access_admin",
            "articles.add_author",
            "articles.change_author",
            "articles.delete_author",
            "articles.view_author",
            # Sections are the newsroom's structure (articles/permissions.py).
            "articles.add_sectionpage",
            "articles.change_sectionpage",
            "articles.delete_sectionpage",
            "articles.set_embargo",
            # Live coverage (articles/live/rules.py): editors correct, hide and delete
            # updates, and say who posts to which page.
            "articles.add_liveentry",
            "articles.change_liveentry",
            "articles.delete_liveentry",
            "articles.view_liveentry",
            "articles.add_liveassignment",
            "articles.change_liveassignment",
            "articles.delete_liveassignment",
            "articles.view_liveassignment",
            # Breaking-news alerts (articles/alerts/): editors only.
            "articles.add_breakingnewsalert",
            "articles.change_breakingnewsalert",
            "articles.delete_breakingnewsalert",
            "articles.view_breakingnewsalert",
        ],
    },
}
# Created by Wagtail's first migration with page permissions on the tree root.
WAGTAIL_DEFAULT_GROUPS = ("Moderators", "Editors")
WAGTAIL_DEFAULT_WORKFLOW = "Moderators approval"


def _permission(label: str) -> Permission:
    app_label, codename = label.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def set_up_roles(home: Page, *, own_site: bool = True) -> dict[str, Group]:
    """Create or reset the three roles to exactly their permissions on `home`'s subtree.

    On our own site, Wagtail's default groups go too; under a host's page they are the
    host's business and stay."""
    root_collection = Collection.get_first_root_node()
    groups = {}
    for name, spec in ROLES.items():
        if own_site and not Group.objects.filter(name=name).exists():
            Group.objects.filter(name=LEGACY_NAMES[name]).update(name=name)
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set([_permission(label) for label in spec["model"]])
        GroupPagePermission.objects.filter(group=group).delete()
        for codename in spec["pages"]:
            GroupPagePermission.objects.create(
                group=group, page=home, permission=_permission(f"wagtailcore.{codename}")
            )
        GroupCollectionPermission.objects.filter(group=group).delete()
        for codename in spec["images"]:
            GroupCollectionPermission.objects.create(
                group=group,
                collection=root_collection,
                permission=_permission(f"wagtailimages.{codename}"),
            )
        groups[name] = group
    for name in WAGTAIL_DEFAULT_GROUPS if own_site else ():
        for group in Group.objects.filter(name=name):
            if group.user_set.exists():
                # Members keep their group but it grants nothing any more.
                group.permissions.clear()
                GroupPagePermission.objects.filter(group=group).delete()
                GroupCollectionPermission.objects.filter(group=group).delete()
            else:
                group.delete()
    return groups


def set_up_workflow(home: Page, groups: dict[str, Group], *, own_site: bool = True) -> Workflow:
    """“Newsroom review”: Copy desk, then Editor sign-off. On our own site it covers the home
    page's subtree and the tree root, in place of Wagtail's default workflow. Under a host's
    page it covers the newsroom's sections only (each top-level section and what is below
    it), so the host's own pages keep the workflow they had."""
    steps = []
    for task_name, group_name in (("Copy desk", COPY_EDITORS), ("Editor sign-off", EDITORS)):
        task = ReviewTask.objects.filter(name=task_name).first() or ReviewTask.objects.create(
            name=task_name
        )
        task.groups.set([groups[group_name]])
        if not task.active:
            task.active = True
            task.save(update_fields=["active"])
        steps.append(task)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    if not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    current = list(workflow.workflow_tasks.order_by("sort_order").values_list("task_id", flat=True))
    if current != [task.pk for task in steps]:
        workflow.workflow_tasks.all().delete()
        for order, task in enumerate(steps):
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
    if not own_site:
        for section in newsroom_top_sections(home):
            attach_workflow(section, workflow)
        return workflow
    # On the home page and on the tree root, replacing Wagtail's default workflow there.
    WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": workflow})
    if own_site:
        root = Page.get_first_root_node()
        WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})
        retire_default_workflow()
    return workflow


def retire_default_workflow() -> None:
    """Wagtail's “Moderators approval” goes, with its task, once no page's history refers to
    it; until then it stays, switched off, so past reviews keep their record."""
    for default in Workflow.objects.filter(name=WAGTAIL_DEFAULT_WORKFLOW):
        tasks = list(Task.objects.filter(workflow_tasks__workflow=default))
        if default.workflow_states.exists():
            if default.active:
                default.deactivate()
            continue
        default.delete()
        for task in tasks:
            if not task.task_states.exists() and not task.workflow_tasks.exists():
                task.delete()


def newsroom_top_sections(parent: Page):
    return SectionPage.objects.child_of(parent)


def attach_workflow(page: Page, workflow: Workflow) -> None:
    WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})


def newsroom_workflow() -> Workflow | None:
    return Workflow.objects.filter(name=WORKFLOW_NAME, active=True).first()


def ensure_author_profile(user) -> Author | None:
    """A newsroom journalist's author profile, linked to their account, made on their first
    login so that their stories start with their byline: an unlinked author of exactly their
    name is adopted (an editor made it for them before), else one is made from their name."""
    if not user.is_active or not user.groups.filter(name__in=list(ROLES)).exists():
        return None
    existing = Author.objects.filter(user=user).first()
    if existing is not None:
        return existing
    name = user.get_full_name().strip() or user.get_username()
    namesakes = list(Author.objects.filter(user__isnull=True, name=name)[:2])
    if len(namesakes) == 1:
        namesakes[0].user = user
        namesakes[0].save(update_fields=["user"])
        return namesakes[0]
    return Author.objects.create(name=name, user=user, slug=unique_slug(Author, name))
