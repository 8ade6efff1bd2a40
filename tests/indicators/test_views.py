"""County staff's indicator pages: the list, the indicator form, a year's values or answers, and
the import's upload, preview and confirmation."""

from decimal import Decimal
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators import imports
from indicators.models import Indicator, IndicatorValue, SurveyAnswer
from tests.factories import (
    IndicatorFactory,
    IndicatorValueFactory,
    SurveyAnswerFactory,
    UserFactory,
    area,
    shipped_goal,
)
from tests.personas import build_world

pytestmark = pytest.mark.django_db

SAMPLES = Path(imports.__file__).parent / "samples"


def upload(client, content: bytes, name="varden.csv"):
    return client.post(
        reverse("indicators:manage-import"), {"file": SimpleUploadedFile(name, content)}
    )


# --- The list ------------------------------------------------------------------------------------


def test_the_list_filters_by_goal(staff_client):
    IndicatorFactory(name="Om mål 1", goals=[shipped_goal(1)])
    IndicatorFactory(name="Om mål 2 och 3", goals=[shipped_goal(2), shipped_goal(3)])

    everything = staff_client.get(reverse("indicators:manage-list"))
    goal_three = staff_client.get(reverse("indicators:manage-list"), {"goal": shipped_goal(3).pk})
    nonsense = staff_client.get(reverse("indicators:manage-list"), {"goal": "x", "page": "y"})

    assert [i.name for i in everything.context["object_list"]] == ["Om mål 1", "Om mål 2 och 3"]
    assert [i.name for i in goal_three.context["object_list"]] == ["Om mål 2 och 3"]
    assert nonsense.status_code in (200, 404)  # a bad filter is ignored, a bad page is 404


# --- The indicator form --------------------------------------------------------------------------


def test_county_staff_create_an_indicator_with_several_goals(staff_client):
    response = staff_client.post(
        reverse("indicators:manage-create"),
        {
            "name": "Samtal till Välj att sluta",
            "slug": "valj-att-sluta",
            "goals": [shipped_goal(2).pk, shipped_goal(4).pk],
            "kind": "count",
            "unit": "antal samtal",
            "source": "Välj att sluta",
            "desired_direction": "increase",
            "base_year": "2022",
            "target": "150,5",
            "target_year": "2026",
            "kolada_kpi": "",
        },
    )

    indicator = Indicator.objects.get(slug="valj-att-sluta")
    assert response.status_code == 302
    assert set(indicator.goals.values_list("number", flat=True)) == {2, 4}
    assert indicator.target == Decimal("150.50")
    assert indicator.kolada_kpi is None
    assert LogEntry.objects.get_for_object(indicator).get().actor.username == "kansli"


def test_a_wrong_indicator_form_says_what_is_wrong_in_swedish_and_keeps_the_input(staff_client):
    IndicatorFactory(slug="upptaget", kolada_kpi="N1")

    response = staff_client.post(
        reverse("indicators:manage-create"),
        {
            "name": "Min indikator",
            "slug": "upptaget",
            "kind": "count",
            "unit": "",
            "source": "Kolada",
            "desired_direction": "increase",
            "base_year": "2024",
            "target": "tio",
            "target_year": "2022",
            "kolada_kpi": "n1",
        },
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["goals"] == ["Välj minst ett mål som indikatorn följer upp."]
    assert errors["slug"] == ["Kortnamnet används redan av en annan indikator."]
    assert errors["unit"] == ["Skriv enheten, till exempel procent eller antal."]
    assert errors["target"] == ["Målvärdet ska vara ett tal."]
    assert errors["target_year"] == ["Målåret får inte ligga före basåret."]
    assert errors["kolada_kpi"] == ["En annan indikator har redan det Kolada-nyckeltalet."]
    assert 'value="Min indikator"' in response.content.decode()
    assert Indicator.objects.count() == 1


def test_an_unknown_indicator_is_404(staff_client):
    assert staff_client.get(reverse("indicators:manage-edit", args=[999999])).status_code == 404


# --- A year's values ----------------------------------------------------------------------------


def test_a_years_values_are_entered_changed_and_cleared_in_one_form(staff_client):
    indicator = IndicatorFactory(kind=Indicator.Kind.RATE, by_sex=True)
    IndicatorValueFactory(indicator=indicator, year=2024, area=area("0126"), value=3)
    IndicatorValueFactory(indicator=indicator, year=2024, area=area("0127"), value=4)
    IndicatorValueFactory(indicator=indicator, year=2023, area=area("0127"), value=5)
    url = reverse("indicators:manage-year", args=[indicator.pk, 2024])

    page = staff_client.get(url)
    assert page.context["form"]["v_0126_all"].value() == Decimal("3.00")

    response = staff_client.post(
        url, {"v_01_all": "12,5", "v_01_women": "10", "v_018001_men": "1", "v_0126_all": "3,5"}
    )

    assert response.status_code == 302
    assert sorted(indicator.values.values_list("year", "area__code", "sex", "value")) == [
        (2023, "0127", "all", Decimal("5.00")),  # another year: untouched
        (2024, "01", "all", Decimal("12.50")),
        (2024, "01", "women", Decimal("10.00")),
        (2024, "0126", "all", Decimal("3.50")),
        (2024, "018001", "men", Decimal("1.00")),
        # Botkyrka's 2024 value was cleared.
    ]


def test_wrong_values_are_explained_and_kept_and_nothing_is_saved(staff_client):
    indicator = IndicatorFactory(kind=Indicator.Kind.PERCENT)
    url = reverse("indicators:manage-year", args=[indicator.pk, 2024])

    response = staff_client.post(url, {"v_01_all": "tolv", "v_0126_all": "101", "v_0127_all": "7"})

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["v_01_all"] == ["Skriv ett tal, till exempel 12,5."]
    assert form.errors["v_0126_all"] == ["En andel i procent kan inte vara över 100."]
    assert 'value="tolv"' in response.content.decode()
    assert not IndicatorValue.objects.exists()


def test_a_year_outside_the_strategy_is_404(staff_client):
    indicator = IndicatorFactory()

    url = reverse("indicators:manage-year", args=[indicator.pk, 2019])

    assert staff_client.get(url).status_code == 404


def test_a_yes_no_questions_answers_are_entered_and_the_county_share_shown(staff_client):
    question = IndicatorFactory(kind=Indicator.Kind.YES_NO_SHARE)
    SurveyAnswerFactory(indicator=question, year=2023, area=area("0126"), answer=False)
    url = reverse("indicators:manage-year", args=[question.pk, 2023])

    assert "a_01" not in staff_client.get(url).context["form"].fields  # the county never answers
    response = staff_client.post(
        url, {"a_0126": "ja", "a_0127": "ja", "a_018001": "nej", "a_0128": ""}
    )
    page = staff_client.get(url)

    assert response.status_code == 302
    assert SurveyAnswer.objects.filter(indicator=question).count() == 3
    assert page.context["county_share"] == Decimal("66.7")
    assert "a_0127" in page.context["form"].fields


def test_a_made_up_answer_is_refused_in_swedish(staff_client):
    question = IndicatorFactory(kind=Indicator.Kind.YES_NO_SHARE)

    response = staff_client.post(
        reverse("indicators:manage-year", args=[question.pk, 2023]), {"a_0126": "kanske"}
    )

    assert response.context["form"].errors["a_0126"] == ["Välj ja, nej eller inget svar."]
    assert not SurveyAnswer.objects.exists()


# --- Importing --------------------------------------------------------------------------------


def test_the_csv_sample_is_previewed_then_saved_once(staff_client, demo_indicators):
    IndicatorValueFactory(
        indicator=demo_indicators["misshandel-ntu"], year=2025, area=area("01"), value=2
    )

    response = upload(staff_client, (SAMPLES / "indikatorvarden.csv").read_bytes())
    assert response.status_code == 302, response.context and response.context["errors"]
    preview = staff_client.get(response["Location"])
    assert preview.status_code == 200
    result = preview.context["result"]
    assert (result.new, result.changed, result.unchanged) == (result.total - 1, 1, 0)
    assert not LogEntry.objects.filter(additional_data__event="indicator_import").exists()

    saved = staff_client.post(response["Location"])
    again = staff_client.post(response["Location"])

    assert saved.status_code == 302
    assert again.status_code == 404  # a double click saves nothing twice
    assert IndicatorValue.objects.count() + SurveyAnswer.objects.count() == result.total
    event = LogEntry.objects.get(additional_data__event="indicator_import")
    assert event.actor.username == "kansli"
    assert event.additional_data["file"] == "varden.csv"


def test_a_bad_file_lists_every_error_and_saves_nothing(staff_client, demo_indicators):
    content = "indikator;år;område;värde\nvalj-att-sluta;2024;01;131\nokand;2018;9999;x\n"

    response = upload(staff_client, content.encode())

    assert response.status_code == 200
    assert {e.where for e in response.context["errors"]} == {"rad 3"}
    messages = [e.message for e in response.context["errors"]]
    assert any("Okänd indikator: okand" in m for m in messages)
    assert any("Okänd områdeskod: 9999" in m for m in messages)
    assert any("inte ett tal: x" in m for m in messages)
    assert not IndicatorValue.objects.exists()


def test_an_unreadable_file_is_explained_on_the_form(staff_client):
    response = upload(staff_client, b"\x89PNG\r\n\x1a\n", "bild.png")

    assert response.status_code == 200
    assert "varken CSV eller Koladas JSON-format" in response.context["form"].errors["file"][0]


def test_no_file_is_asked_for_in_swedish(staff_client):
    response = staff_client.post(reverse("indicators:manage-import"), {})

    assert response.context["form"].errors["file"] == ["Välj en fil att ladda upp."]


def test_a_preview_of_someone_else_is_not_found(staff_client, client, demo_indicators):
    response = upload(staff_client, (SAMPLES / "kolada.json").read_bytes(), "kolada.json")
    preview_url = response["Location"]
    staff_client.logout()
    client.force_login(UserFactory(username="admin", is_superuser=True, is_staff=True))

    assert client.get(preview_url).status_code == 404
    assert client.post(preview_url).status_code == 404
    assert not IndicatorValue.objects.exists()


def test_the_samples_download_and_an_unknown_one_is_404(staff_client):
    csv_response = staff_client.get(reverse("indicators:manage-sample", args=["csv"]))

    assert csv_response.content == (SAMPLES / "indikatorvarden.csv").read_bytes()
    assert staff_client.get(reverse("indicators:manage-sample", args=["xlsx"])).status_code == 404


def test_a_coordinator_is_refused_everywhere(client):
    world = build_world()
    client.force_login(world.users["coordinator_a"])
    indicator = IndicatorFactory()

    for url in [
        reverse("indicators:manage-list"),
        reverse("indicators:manage-edit", args=[indicator.pk]),
        reverse("indicators:manage-year", args=[indicator.pk, 2024]),
        reverse("indicators:manage-import"),
    ]:
        assert client.get(url).status_code == 403
        assert client.post(url, {"v_01_all": "1", "name": "x"}).status_code in (403, 405)
    assert not IndicatorValue.objects.exists()


def test_the_upload_takes_a_body_over_the_general_limit(staff_client, settings):
    big = "indikator;år;område;värde\n".encode() + b"x;2023;01;1\n" * 250_000  # 3 MB

    response = upload(staff_client, big)

    assert len(big) > settings.REQUEST_BODY_MAX_SIZE
    assert response.status_code == 200  # read and answered by the page, not refused unread
    assert "fler än 100" in response.context["form"].errors["file"][0]


def test_the_kind_of_an_indicator_with_values_cannot_be_changed(staff_client):
    value = IndicatorValueFactory(indicator=IndicatorFactory(kind=Indicator.Kind.COUNT))
    indicator = value.indicator

    response = staff_client.post(
        reverse("indicators:manage-edit", args=[indicator.pk]),
        {
            "name": indicator.name,
            "slug": indicator.slug,
            "goals": [shipped_goal(1).pk],
            "kind": Indicator.Kind.YES_NO_SHARE,
            "unit": "procent",
            "source": "Kolada",
            "desired_direction": "decrease",
        },
    )

    indicator.refresh_from_db()
    assert response.status_code == 302
    assert indicator.kind == Indicator.Kind.COUNT  # typed values never become survey answers
    assert indicator.unit == "procent"
