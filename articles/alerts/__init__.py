"""Breaking-news alerts: a banner on every reader page while an alert is active.

- `current.py` the alerts readers see now (one cached list, filtered by the clock), and the
  cache lifetime of anything that shows them.
- `views.py` the banner fragment (Varnish includes it by ESI), the feed, and ninjs.
- `api.py` the alerts in API v3 (read-only: editors write alerts in the admin).
- `admin.py` the editors' screens.
"""
