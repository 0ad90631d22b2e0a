from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Newsroom articles"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Every reaction to every content change (articles/signal_handlers.py).
        from . import checks  # noqa: F401 - registers the app's system checks
        from .image_guard import register_image_policy
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()
        register_image_policy()
