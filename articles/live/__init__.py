"""Live coverage: a page of updates that assigned journalists post while a story develops.

- `rules`: who may post, correct, hide and delete updates (every door asks it).
- `entries`: the one writer of updates; each change is kept in the page's history.
- `updates`: what readers get, computed once per change and kept in the cache.
- `views`, `feeds`, `api`, `admin`: the doors.
"""
