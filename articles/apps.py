from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Newsroom articles"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Every reaction to every content change (articles/signal_handlers.py).
        from . import checks  # noqa: F401 - registers the app's system checks
        from .image_guard import register_image_policy
        from .live.admin import register_live_entry_policy
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()
        register_image_policy()
        register_live_entry_policy()
        self.mount_api_workflow()

    def mount_api_workflow(self):
        """Review actions join Wagtail's API v3 (articles/api_workflow.py), where it is
        installed; Ninja takes routers only before the API's URLs are first built."""
        from django.apps import apps

        if not apps.is_installed("wagtail.api.v3"):
            return
        from wagtail.api.v3.api import api

        from .alerts.api import router as alerts_router
        from .api_workflow import router
        from .live.api import router as live_router

        api.add_router("/pages/", router)
        api.add_router("/live-entries/", live_router)
        api.add_router("/alerts/", alerts_router)
