"""Page passwords can't be guessed without limit: a client gets a few tries, then waits."""

import pytest
from django.urls import reverse
from wagtail.models import PageViewRestriction


@pytest.fixture
def private_article(world, article_factory):
    article = article_factory(world, title="Members only story")
    restriction = PageViewRestriction.objects.create(
        page=article, restriction_type=PageViewRestriction.PASSWORD, password="harbour-lights"
    )
    return article, restriction


def attempt(client, article, restriction, password, address):
    url = reverse("wagtailcore_authenticate_with_password", args=(restriction.pk, article.pk))
    return client.post(url, {"password": password, "return_url": article.url}, REMOTE_ADDR=address)


def test_wrong_passwords_lock_out_that_client_only(client, private_article, settings):
    settings.NEWSROOM_PASSWORD_ATTEMPTS = 3
    article, restriction = private_article
    for _ in range(3):
        response = attempt(client, article, restriction, "guess", "203.0.113.9")
        assert response.status_code == 200  # the form again
    refused = attempt(client, article, restriction, "harbour-lights", "203.0.113.9")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) == 15 * 60
    assert "Too many wrong passwords" in refused.content.decode()
    assert "Members only story" not in refused.content.decode()

    # Someone else, with the right password, gets in.
    other = attempt(client, article, restriction, "harbour-lights", "198.51.100.4")
    assert other.status_code == 302
    assert "Members only story" in client.get(article.url).content.decode()


def test_behind_proxies_clients_are_told_apart(client, private_article, settings):
    """With the documented proxy set-up every request comes from 127.0.0.1: one guesser must
    not lock everyone out."""
    settings.NEWSROOM_PASSWORD_ATTEMPTS = 2
    settings.NEWSROOM_TRUSTED_PROXIES = 1
    article, restriction = private_article
    url = reverse("wagtailcore_authenticate_with_password", args=(restriction.pk, article.pk))

    def post(password, forwarded_for):
        return client.post(
            url,
            {"password": password, "return_url": article.url},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=forwarded_for,
        )

    for _ in range(2):
        assert post("guess", "203.0.113.9").status_code == 200
    assert post("guess", "203.0.113.9").status_code == 429
    # A forged address to the left does not reset the count: the proxy's entry counts.
    assert post("guess", "10.0.0.1, 203.0.113.9").status_code == 429
    assert post("harbour-lights", "198.51.100.4").status_code == 302
