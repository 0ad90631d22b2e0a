"""The importer's memory of every story it created, so a takedown stays down. Stories
imported before this are remembered from their pages' source keys."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


def remember_imported_stories(apps, schema_editor):
    ArticlePage = apps.get_model("articles", "ArticlePage")
    ImportedStory = apps.get_model("articles", "ImportedStory")
    rows = ArticlePage.objects.exclude(source_key=None).values_list("pk", "source_key")
    ImportedStory.objects.bulk_create(
        [ImportedStory(source_key=key, page_id=pk) for pk, key in rows.iterator()],
        batch_size=1000,
    )


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0007_explicit_parent_links'),
    ]

    operations = [
        migrations.CreateModel(
            name='ImportedStory',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('source_key', models.CharField(max_length=255, unique=True)),
                ('first_imported_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('page', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='articles.articlepage')),
            ],
        ),
        migrations.RunPython(remember_imported_stories, migrations.RunPython.noop),
    ]
