"""Deployment: production settings, security headers, login lockout, cache purging, Varnish."""
