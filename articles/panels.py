from wagtail.admin.panels import Panel

from .editorial_checks import editorial_warnings, is_embargoed


class EditorialChecksPanel(Panel):
    """Shows editors what still needs attention on an article: empty slots, no standfirst."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "articles/admin/editorial_checks_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page = self.instance
            context["warnings"] = editorial_warnings(page) if page is not None else []
            context["embargo_until"] = page.embargo_until if is_embargoed(page) else None
            return context
