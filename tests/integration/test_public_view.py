"""The friendly public view: no login, plain words, no personal names unless chosen, and no
count below 5."""

import re

import pytest

from lapis.partnership.models import Person
from lapis.plans.public import public_count
from tests.integration.helpers import lapis

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("n, shown", [(0, "none"), (1, "fewer than 5"), (4, "fewer than 5"),
                                      (5, "5"), (24, "24")])
def test_public_count(n, shown):
    assert public_count(n) == shown


def test_a_partnership_publishes_only_when_it_chooses(client, hull):
    assert client.get(f"/public/{hull.pk}/").status_code == 404
    lapis("publish", "--partnership", "Hull")
    page = client.get(f"/public/{hull.pk}/")
    assert page.status_code == 200  # no login
    lapis("publish", "--partnership", "Hull", "--off")
    assert client.get(f"/public/{hull.pk}/").status_code == 404


def test_no_names_and_no_count_below_five(client, hull):
    lapis("publish", "--partnership", "Hull")
    page = client.get(f"/public/{hull.pk}/").content.decode()
    for person in Person.objects.filter(partnership=hull):
        assert person.name not in page, person.name
    counts = re.findall(r"<strong>([^<]+)</strong>", page)
    assert counts and len(counts) == 6 * 3
    for shown in counts:
        assert shown in ("none", "fewer than 5") or int(shown) >= 5, shown
    assert "Priority 3" in page and "What has been done" in page and "What is next" in page
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    assert 'href="/plan/' not in main  # nothing behind the login is linked


def test_names_appear_only_when_the_partnership_chooses(client, hull):
    lapis("publish", "--partnership", "Hull", "--names")
    page = client.get(f"/public/{hull.pk}/").content.decode()
    assert "(led by Kelly Hare)" in page or "(led by Mary Meredith)" in page
