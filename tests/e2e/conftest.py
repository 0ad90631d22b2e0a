"""Browser tests: Playwright driving Debian's chromium against Django's live server."""

import contextlib
import os
import re
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("NEWSROOM_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between browser steps are ordinary synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.fail(
            f"Browser tests need Chromium at {CHROMIUM}: install it with "
            "`apt-get install chromium`, or run `make test`, which leaves these tests out "
            "when Chromium is missing."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


class Session:
    """One person's browser session, with a screenshot when a step fails."""

    def __init__(self, browser, base_url: str, who: str, test_name: str):
        self.context = browser.new_context(
            base_url=base_url, viewport={"width": 1280, "height": 900}
        )
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.who = who
        self.test_name = test_name

    @contextlib.contextmanager
    def step(self, name: str):
        try:
            yield self.page
        except Exception:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            slug = re.sub(r"[^a-z0-9]+", "-", f"{self.test_name}-{self.who}-{name}".lower())
            self.page.screenshot(path=str(ARTIFACTS / f"{slug}.png"), full_page=True)
            raise

    def shoot(self, name: str) -> None:
        """With NEWSROOM_SCREENSHOTS=1, keep a screenshot of this step at 1280 and 390 px
        (test-artifacts/e2e/steps/), for a person to look at; the test asserts the rest."""
        if os.environ.get("NEWSROOM_SCREENSHOTS") != "1":
            return
        self.page.wait_for_timeout(500)  # let panels finish opening
        folder = ARTIFACTS / "steps"
        folder.mkdir(parents=True, exist_ok=True)
        slug = re.sub(r"[^a-z0-9]+", "-", f"{self.who}-{name}".lower())
        for width in (1280, 390):
            self.page.set_viewport_size({"width": width, "height": 900})
            self.page.screenshot(path=str(folder / f"{slug}-{width}.png"))
        self.page.set_viewport_size({"width": 1280, "height": 900})

    def log_in(self, username: str, password: str) -> None:
        with self.step("log in") as page:
            page.goto("/admin/login/")
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", password)
            page.click("button[type=submit]")
            page.wait_for_url(re.compile(r".*/admin/$"))

    def close(self):
        self.context.close()


@pytest.fixture
def open_session(browser, live_server, request):
    sessions = []

    def open_(who: str) -> Session:
        session = Session(browser, live_server.url, who, request.node.name)
        sessions.append(session)
        return session

    yield open_
    for session in sessions:
        session.close()
