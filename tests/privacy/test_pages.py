"""The public pages about personal data and accessibility, linked from every page's footer."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_page_links_to_both_pages_in_the_footer(client):
    page = client.get(reverse("home")).content.decode()

    footer = page[page.index('<footer class="govuk-footer">') :]
    assert '<nav aria-label="Om webbplatsen">' in footer
    assert f'href="{reverse("privacy:personal-data")}"' in footer
    assert f'href="{reverse("privacy:accessibility")}"' in footer


def test_the_personal_data_page_names_who_is_responsible_and_where_to_write(client, settings):
    settings.PRIVACY_CONTROLLER = "Testlänsstyrelsen"
    settings.PRIVACY_CONTACT_EMAIL = "dpo@example.org"

    response = client.get(reverse("privacy:personal-data"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Testlänsstyrelsen är personuppgiftsansvarig" in page
    assert '<a href="mailto:dpo@example.org">dpo@example.org</a>' in page
    assert "Integritetsskyddsmyndigheten" in page
    assert "inga uppgifter om våldsutsatta" in page.lower()
    assert 'aria-current="page">Personuppgifter' in page


def test_the_accessibility_statement_names_the_feedback_address_and_digg(client, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "a11y@example.org"

    response = client.get(reverse("privacy:accessibility"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Tillgänglighet för Operation Kvinnofrids uppföljningsportal</h1>" in page
    assert '<a href="mailto:a11y@example.org">a11y@example.org</a>' in page
    assert "delvis förenlig" in page
    assert "www.digg.se" in page
    assert "26 november 2026" in page


def test_the_pages_are_in_english_too(client):
    client.cookies["django_language"] = "en"

    page = client.get(reverse("privacy:accessibility")).content.decode()

    assert "Accessibility of Operation Kvinnofrid" in page
