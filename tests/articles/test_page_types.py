"""Page-type rules: editors can only build a sensible tree."""

from wagtail.models import Page

from articles.models import ArticlePage, HomePage, SectionPage


def test_home_page_only_takes_sections(home):
    assert SectionPage.can_create_at(home)
    assert not ArticlePage.can_create_at(home)
    assert not HomePage.can_create_at(home)


def test_sections_nest_and_hold_articles(top_stories):
    assert SectionPage.can_create_at(top_stories)
    assert ArticlePage.can_create_at(top_stories)
    assert not HomePage.can_create_at(top_stories)


def test_articles_have_no_children(article_factory, top_stories):
    article = article_factory(top_stories)
    assert article.specific_class.allowed_subpage_models() == []
    assert not SectionPage.can_create_at(article)


def test_sections_and_articles_cannot_sit_at_the_tree_root(db):
    root = Page.get_first_root_node()
    assert not SectionPage.can_create_at(root)
    assert not ArticlePage.can_create_at(root)
    assert HomePage.can_create_at(root)


def test_a_copied_article_does_not_claim_the_source_file(article_factory, world):
    article = article_factory(world, source_key="000_seed")
    copy = article.copy(update_attrs={"slug": "copied", "title": "Copied"})
    assert copy.specific.source_key is None
    assert ArticlePage.objects.get(pk=article.pk).source_key == "000_seed"
