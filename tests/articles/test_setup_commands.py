from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from wagtail.models import Page, Site

from articles.models import HomePage, SectionPage


def run(command, **kwargs):
    out = StringIO()
    call_command(command, stdout=out, **kwargs)
    return out.getvalue()


def test_setup_newsroom_creates_site_home_and_sections_once(db):
    first = run("setup_newsroom")
    assert "Created section “Top Stories”" in first
    second = run("setup_newsroom")
    assert "nothing to do" in second

    home = HomePage.objects.get()
    site = Site.objects.get(is_default_site=True)
    assert site.root_page_id == home.pk
    assert list(SectionPage.objects.child_of(home).values_list("title", flat=True)) == [
        "Top Stories",
        "World",
    ]
    assert all(section.live for section in SectionPage.objects.all())
    # Wagtail's placeholder welcome page is replaced, not left beside ours.
    assert Page.objects.filter(depth=2).count() == 1


def test_setup_newsroom_restores_a_deleted_default_section(db):
    run("setup_newsroom")
    SectionPage.objects.get(title="World").delete()
    assert "Created section “World”" in run("setup_newsroom")
    assert SectionPage.objects.filter(title="World").count() == 1


def test_ensure_admin_generates_a_password_and_prints_it_once(db, monkeypatch):
    for name in ("NEWSROOM_ADMIN_USERNAME", "NEWSROOM_ADMIN_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    output = run("ensure_admin")
    password = output.split("generated password is: ")[1].split()[0]
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.check_password(password)
    assert len(password) >= 16

    again = run("ensure_admin")
    assert "already exists" in again and password not in again


def test_ensure_admin_takes_credentials_from_environment(db, monkeypatch):
    monkeypatch.setenv("NEWSROOM_ADMIN_USERNAME", "chief")
    monkeypatch.setenv("NEWSROOM_ADMIN_PASSWORD", "a-long-chosen-passphrase")
    output = run("ensure_admin")
    assert "a-long-chosen-passphrase" not in output
    assert get_user_model().objects.get(username="chief").check_password("a-long-chosen-passphrase")


def test_ensure_admin_explains_a_clash_with_an_ordinary_user(db, monkeypatch):
    monkeypatch.delenv("NEWSROOM_ADMIN_USERNAME", raising=False)
    get_user_model().objects.create_user(username="admin", password="x")
    with pytest.raises(CommandError, match="exists but is not an administrator"):
        run("ensure_admin")
