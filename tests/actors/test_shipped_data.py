import pytest

from actors.models import Organisation

pytestmark = pytest.mark.django_db

MUNICIPALITY_CODES = {
    "0114": "Upplands Väsby", "0115": "Vallentuna", "0117": "Österåker", "0120": "Värmdö",
    "0123": "Järfälla", "0125": "Ekerö", "0126": "Huddinge", "0127": "Botkyrka",
    "0128": "Salem", "0136": "Haninge", "0138": "Tyresö", "0139": "Upplands-Bro",
    "0140": "Nykvarn", "0160": "Täby", "0162": "Danderyd", "0163": "Sollentuna",
    "0180": "Stockholm", "0181": "Södertälje", "0182": "Nacka", "0183": "Sundbyberg",
    "0184": "Solna", "0186": "Lidingö", "0187": "Vaxholm", "0188": "Norrtälje",
    "0191": "Sigtuna", "0192": "Nynäshamn",
}  # fmt: skip


def test_migrate_ships_the_26_municipalities_with_their_official_codes():
    municipalities = Organisation.objects.municipalities()

    assert municipalities.count() == 26
    for organisation in municipalities:
        expected = MUNICIPALITY_CODES[organisation.municipality_code]
        assert expected.rstrip("s") in organisation.name, organisation


def test_migrate_ships_the_members_of_operation_kvinnofrid():
    members = set(
        Organisation.objects.filter(affiliation=Organisation.Affiliation.MEMBER).values_list(
            "short_name", flat=True
        )
    )

    assert members == {
        "Länsstyrelsen",
        "Polisen",
        "Kriminalvården",
        "Åklagarmyndigheten",
        "Region Stockholm",
        "Stockholms stad",
        "Storsthlm",
    }


def test_stockholms_stad_is_both_a_member_and_one_of_the_municipalities():
    stockholm = Organisation.objects.get(municipality_code="0180")

    assert stockholm.name == "Stockholms stad"
    assert stockholm.kind == Organisation.Kind.MUNICIPALITY
    assert stockholm.affiliation == Organisation.Affiliation.MEMBER


def test_migrate_ships_the_two_partners_that_are_not_members():
    partners = Organisation.objects.filter(affiliation=Organisation.Affiliation.PARTNER)

    assert set(partners.values_list("name", flat=True)) == {
        "Försäkringskassan",
        "Arbetsförmedlingen",
    }


def test_the_other_25_municipalities_are_represented_by_storsthlm():
    represented = Organisation.objects.filter(affiliation=Organisation.Affiliation.REPRESENTED)

    assert represented.count() == 25
    assert set(represented.values_list("kind", flat=True)) == {Organisation.Kind.MUNICIPALITY}
    assert Organisation.objects.get(short_name="Storsthlm").kind == "municipal_association"
