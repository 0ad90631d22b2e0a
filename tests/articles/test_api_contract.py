"""The API contract, fuzzed: schemathesis generates requests for every operation in the
project's own OpenAPI schema (/api/v3/openapi.json), reads anonymously and with a token of each
role, writes with a token of each role, and sends them in-process to the Django WSGI app, over
a database with live articles and hidden ones. No response may be a server error, and every
documented response must match the schema."""

import datetime
import traceback

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance
from wagtail.models import APIToken

from articles.api_fields import CanonicalUrlField
from articles.models import ArticleCorrection, Author
from articles.roles import COPY_EDITORS, EDITORS, REPORTERS

from .workflow_helpers import make_user


def no_response_validation_error(ctx, response, case):
    """Django Ninja validates each response against the schema before sending it, and Wagtail
    reports a mismatch as a 422 whose errors sit under `response`: a server bug in disguise."""
    if (
        response.status_code == 422
        and "problem+json" in response.headers.get("content-type", [""])[0]
    ):
        errors = response.json().get("errors") or []
        broken = [e for e in errors if (e.get("loc") or [None])[0] == "response"]
        assert not broken, f"The response doesn't match its own schema: {broken}"
    return None


CHECKS = [not_a_server_error, response_schema_conformance, no_response_validation_error]


@pytest.fixture
def newsroom_content(top_stories, world, make_image, article_factory, hidden_articles):
    """Live articles with every field filled, one with empty slots, and hidden ones."""
    author = Author.objects.create(name="Anna Petrova", role="Moscow correspondent")
    photo = make_image("Harbour", size=(1600, 1200))
    full = article_factory(
        top_stories,
        title="Harbour reopens after storm",
        standfirst="Boats are back.",
        authors=[author, Author.objects.create(name="Sam Lee")],
        lead_image=photo,
        lead_image_alt="Boats in the harbour",
        lead_image_caption="Whitby harbour",
        lead_image_credit="Reuters",
        secondary_sections=[world],
        tags=["weather", "ports"],
        body=[
            ("paragraph", "<p>The harbour reopened.</p>"),
            (
                "image",
                {"image": photo, "alt_text": "Quay", "caption": "The quay", "credit": "AP"},
            ),
            ("image", {"image": None, "alt_text": "", "caption": "", "credit": ""}),
            ("quote", {"quote": "We are back.", "attribution": "A fisherman"}),
        ],
        corrections=[
            ArticleCorrection(
                kind="update",
                text="Adds the harbour master's comment.",
                noted_at=timezone.now() - datetime.timedelta(hours=1),
            )
        ],
    )
    bare = article_factory(world, title="Short item", standfirst="")
    return [full, bare, *hidden_articles]


ROLES = {"reporter": REPORTERS, "copy editor": COPY_EDITORS, "editor": EDITORS}
WRITE_METHODS = ("POST", "PATCH", "PUT", "DELETE")


def _operations() -> tuple[list, list]:
    """(path, who) for every GET operation, and (path, method, who) for every write, read at
    collection time (no database needed). Reads run anonymously and with each role's token,
    writes with each role's token."""
    from wagtail.api.v3.api import api

    paths = api.get_openapi_schema()["paths"]
    reads = [
        (path, who)
        for path in sorted(paths)
        if "get" in paths[path]
        for who in ("anonymous", *ROLES)
    ]
    writes = [
        (path, method, who)
        for path in sorted(paths)
        for method in WRITE_METHODS
        if method.lower() in paths[path]
        for who in ROLES
    ]
    return reads, writes


PAGES = "/api/v3/pages/"
GET_OPERATIONS, WRITE_OPERATIONS = _operations()
# With no snippet model exposed to the API, Wagtail documents the snippets' `type` path
# parameter as `const: ""`: no request can match it. Those operations are fuzzed with a
# snippet type a client might try instead (it must be refused with a 4xx, not a 5xx).
SNIPPET_TYPE = "articles.Author"


@pytest.fixture
def wsgi_app(db):
    """The project's WSGI app, in-process. As Django's test client does, requests must not
    close the database connection: it holds the test's transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(wsgi_app, newsroom_content):
    """The schema as the app serves it, loaded over WSGI; cases are sent to the same app."""
    return schemathesis.openapi.from_wsgi("/api/v3/openapi.json", wsgi_app)


def _strategy(operation, path, pages):
    fixed = {}
    params = {p["name"]: p["schema"] for p in operation.definition.raw.get("parameters", [])}
    if params.get("type") == {"const": "", "title": "Type", "type": "string"}:
        fixed["type"] = SNIPPET_TYPE
    strategy = operation.as_strategy(path_parameters=fixed or None)
    if "{page_id}" in path:
        # Real pages (live, draft, scheduled, private; sections, home) as well as made-up ids.
        strategy = st.one_of(
            strategy,
            st.sampled_from([page.pk for page in pages]).flatmap(
                lambda pk: operation.as_strategy(path_parameters={"page_id": pk})
            ),
        )
    return strategy


def fuzz(operation, strategy, headers=None, checks=CHECKS, examples=25) -> list[int]:
    statuses = []

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        # The same requests on every run, so CI sees what the developer saw; widen the search
        # by hand with --hypothesis-seed and derandomize off when hunting for new failures.
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(case=strategy)
    def check(case):
        statuses.append(case.call_and_validate(headers=headers, checks=checks).status_code)

    check()
    return statuses


def test_the_schema_documents_the_page_endpoints():
    assert {(PAGES, "anonymous"), (f"{PAGES}{{page_id}}/", "editor")} <= set(GET_OPERATIONS)
    assert {(PAGES, "POST", "reporter"), (f"{PAGES}{{page_id}}/", "PATCH", "copy editor")} <= set(
        WRITE_OPERATIONS
    )


def token_headers(who: str) -> dict | None:
    if who == "anonymous":
        return None
    user = make_user(who.replace(" ", ""), ROLES[who])
    _, plaintext = APIToken.create_token(user=user, name="fuzz")
    return {"Authorization": f"Bearer {plaintext}"}


@pytest.mark.parametrize(("path", "who"), GET_OPERATIONS)
def test_get_operation_never_fails_and_matches_the_schema(
    api_schema, newsroom_content, home, path, who
):
    pages = [*newsroom_content, *{page.get_parent() for page in newsroom_content}, home]
    operation = api_schema[path]["GET"]
    statuses = fuzz(operation, _strategy(operation, path, pages), token_headers(who))
    assert statuses and max(statuses) < 500


@pytest.mark.parametrize(("path", "method", "who"), WRITE_OPERATIONS)
def test_write_operation_never_fails(api_schema, newsroom_content, home, path, method, who):
    """Writes with each role's token: refused or done, never a server error."""
    pages = [*newsroom_content, *{page.get_parent() for page in newsroom_content}, home]
    operation = api_schema[path][method]
    statuses = fuzz(
        operation,
        _strategy(operation, path, pages),
        token_headers(who),
        checks=[not_a_server_error, no_response_validation_error],
        examples=10,
    )
    assert statuses and max(statuses) < 500


def test_the_contract_check_catches_a_field_that_breaks_the_schema(
    api_schema, newsroom_content, monkeypatch
):
    """The fuzzing above can fail: a serializer returning the wrong type is caught."""
    monkeypatch.setattr(CanonicalUrlField, "to_representation", lambda self, page: 42)
    operation = api_schema[f"{PAGES}{{page_id}}/"]["GET"]
    live = newsroom_content[0]
    strategy = operation.as_strategy(path_parameters={"page_id": live.pk}, query={})
    with pytest.raises(BaseExceptionGroup) as caught:
        fuzz(operation, strategy)
    report = "".join(traceback.format_exception(caught.value))
    assert "The response doesn't match its own schema" in report
    assert "canonical_url" in report
