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


def _group_rights(group):
    from wagtail.models import GroupCollectionPermission, GroupPagePermission

    return (
        sorted(group.permissions.values_list("codename", flat=True)),
        sorted(
            GroupPagePermission.objects.filter(group=group).values_list(
                "page_id", "permission__codename"
            )
        ),
        sorted(
            GroupCollectionPermission.objects.filter(group=group).values_list(
                "collection_id", "permission__codename"
            )
        ),
    )


@pytest.fixture
def host_home(db):
    """A host site as Wagtail's own migrations leave it: a plain home page, Wagtail's stock
    Editors and Moderators groups and its Moderators approval workflow on the tree root."""
    root = Page.get_first_root_node()
    home = root.add_child(instance=Page(title="Host home", slug="host-home"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": home}
    )
    return home


def test_setup_under_a_hosts_page_leaves_the_hosts_groups_and_pages_alone(host_home):
    from django.contrib.auth.models import Group

    about = host_home.add_child(instance=Page(title="About us", slug="about"))
    stock = {group.name: _group_rights(group) for group in Group.objects.all()}
    assert {"Editors", "Moderators"} <= set(stock)
    host_workflow = about.get_workflow()

    run("setup_newsroom", parent=str(host_home.pk))

    after = {group.name: _group_rights(group) for group in Group.objects.all()}
    assert {name: after[name] for name in stock} == stock
    assert set(after) - set(stock) == {
        "Newsroom reporters",
        "Newsroom copy editors",
        "Newsroom editors",
    }
    # The review workflow covers the newsroom's sections, not the host's own pages.
    assert about.get_workflow() == host_workflow
    assert host_home.get_workflow() == host_workflow
    for section in SectionPage.objects.all():
        assert section.get_workflow().name == "Newsroom review"
    # A section added later beside them (by an editor or an import) is reviewed too.
    business = host_home.add_child(instance=SectionPage(title="Business"))
    assert business.get_workflow().name == "Newsroom review"
    europe = business.add_child(instance=SectionPage(title="Europe"))
    assert europe.get_workflow().name == "Newsroom review"


def test_our_own_site_adopts_the_roles_old_groups_with_their_members(db):
    from django.contrib.auth.models import Group

    old = Group.objects.create(name="Reporters")
    reporter = get_user_model().objects.create_user(username="ria", password="x")
    reporter.groups.add(old)

    run("setup_newsroom")

    assert not Group.objects.filter(name="Reporters").exists()
    assert list(reporter.groups.values_list("name", flat=True)) == ["Newsroom reporters"]
    assert reporter.has_perm("wagtailadmin.access_admin")


def test_setup_newsroom_sets_the_address_readers_use(db, client, article_factory):
    run("setup_newsroom")
    out = run("setup_newsroom", hostname="news.example.org", port=8010)
    assert "Created site address news.example.org:8010." in out
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("news.example.org", 8010)
    article = article_factory(SectionPage.objects.get(title="World"))
    page = client.get(article.url).content.decode()
    canonical = f'<link rel="canonical" href="http://news.example.org:8010{article.url}">'
    assert canonical in page
    assert f'content="http://news.example.org:8010{article.url}"' in page  # og:url
    assert "http://news.example.org:8010/" in client.get("/feed/").content.decode()
    assert "Newsroom already set up" in run("setup_newsroom", hostname="news.example.org")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"port": 70000}, "--port 70000 is not a port: give 1 to 65535."),
        ({"port": 8010, "parent": "/"}, "with --parent the host site's address is set"),
    ],
)
def test_setup_newsroom_explains_a_wrong_address(db, options, message):
    with pytest.raises(CommandError, match=message):
        run("setup_newsroom", **options)
