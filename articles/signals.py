"""Signals the app sends where Django's own come too early: `post_save` fires before
modelcluster saves a page's relations (secondary sections, byline), so an article announces
its whole save itself, relations included. articles/signal_handlers.py reacts."""

from django.dispatch import Signal

# Sent by ArticlePage.save() after a whole save (no update_fields): creation, publishing, a
# revision made live. Arguments: sender (the class), instance.
article_saved = Signal()
