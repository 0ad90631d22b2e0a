from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Newsroom articles"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .reader_cache import connect_signals

        connect_signals()
