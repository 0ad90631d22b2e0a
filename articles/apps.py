from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Newsroom articles"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import filings, signal_handlers
        from .reader_cache import connect_signals

        connect_signals()
        filings.connect_signals()
        # Purge Varnish/the CDN on publish, unpublish, move, delete (articles/frontend_cache.py).
        signal_handlers.connect_signals()
