"""Story files in and out of the newsroom.

- `format`: the story text format (pure Python, no Django): read and write one story.
- `files`: which files under a folder are stories, and which can't be read as one.
- `mapping`: story -> article fields and article -> story, side by side.
- `sections`: finding and creating the sections a story names, under the tree lock.
- `bulk_writer`: many new articles in a few statements (the one place using Wagtail internals).
- `importer`: the import service (`import_stories`); `exporter`: the export service.

This package's `__init__` imports nothing, so `format` stays importable without Django.
"""
