"""Explicit parent links with reverse names of the app's own (`Page.newsroom_home_page`), so the
app installs beside a host model of the same class name (`wagtail start` makes `home.HomePage`).

A reverse name lives in Python only: the columns stay as they are. Django would still rebuild
each table on SQLite (the field loses `auto_created`), dropping indexes made outside model
state, so the change is made to the migration state alone.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _parent_link(to, related_name):
    return models.OneToOneField(
        on_delete=django.db.models.deletion.CASCADE,
        parent_link=True,
        primary_key=True,
        related_name=related_name,
        serialize=False,
        to=to,
    )


LINKS = [
    ("articlepage", "page_ptr", settings.WAGTAIL_PAGE_MODEL, "newsroom_article_page"),
    ("homepage", "page_ptr", settings.WAGTAIL_PAGE_MODEL, "newsroom_home_page"),
    ("sectionpage", "page_ptr", settings.WAGTAIL_PAGE_MODEL, "newsroom_section_page"),
    ("reviewtask", "task_ptr", "wagtailcore.task", "newsroom_review_task"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_search_indexes"),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name=model, name=name, field=_parent_link(to, related_name)
                )
                for model, name, to, related_name in LINKS
            ],
            database_operations=[],
        )
    ]
