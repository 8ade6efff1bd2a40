"""The shared building blocks: the one-pass <select>, and the concurrent index operation."""

from unittest import mock

import pytest
from django import forms
from django.db import connection, models
from django.urls import reverse

from actionplan.models import Commitment
from actors.migration_operations import AddIndexConcurrentlyOnPostgres
from actors.widgets import PlainSelect
from tests.factories import CommitmentFactory, OrganisationFactory


class Choices(forms.Form):
    pick = forms.ChoiceField(
        choices=[("", "Alla"), ("a", "A & <b>"), ("b", "Bee")],
        widget=PlainSelect,
        required=False,
        help_text="Hjälp",
    )


def test_plain_select_draws_the_same_options_as_django_with_the_choice_selected():
    field = Choices({"pick": "a"})["pick"]

    html = str(field)

    assert html.startswith('<select aria-describedby="id_pick_helptext" id="id_pick" name="pick">')
    assert '<option value="">Alla</option>' in html
    assert '<option value="a" selected>A &amp; &lt;b&gt;</option>' in html
    assert '<option value="b">Bee</option>' in html
    assert html.count(" selected") == 1


def test_plain_select_escapes_values_too():
    widget = PlainSelect(choices=[('"x"', "X")])

    assert '<option value="&quot;x&quot;">X</option>' in widget.render("f", None)


def test_plain_select_leaves_grouped_choices_to_django():
    widget = PlainSelect(choices=[("Grupp", [("a", "A")])])

    assert '<optgroup label="Grupp">' in widget.render("f", "a")


@pytest.mark.django_db
def test_the_organisation_filter_keeps_the_choice_and_finds_joint_commitments_once(client):
    organisation = OrganisationFactory(name="Kommun & <Co>")
    led = CommitmentFactory(lead_organisation=organisation)
    joint = CommitmentFactory(participating_organisations=[organisation, OrganisationFactory()])
    CommitmentFactory()  # somebody else's

    response = client.get(reverse("actionplan:commitment-list"), {"organisation": organisation.pk})

    html = response.content.decode()
    assert f'<option value="{organisation.pk}" selected>Kommun &amp; &lt;Co&gt;</option>' in html
    assert sorted(c.pk for c in response.context["object_list"]) == sorted([led.pk, joint.pk])


class _Editor:
    def __init__(self, vendor):
        self.connection = mock.Mock(vendor=vendor, in_atomic_block=False)
        self.add_index = mock.Mock()
        self.remove_index = mock.Mock()


@pytest.mark.parametrize("vendor,concurrently", [("postgresql", True), ("sqlite", None)])
def test_the_index_is_built_concurrently_on_postgresql_only(vendor, concurrently):
    from django.db.migrations.state import ProjectState

    index = models.Index(fields=["code"], name="test_code_idx")
    operation = AddIndexConcurrentlyOnPostgres(model_name="commitment", index=index)
    state = ProjectState.from_apps(Commitment._meta.apps)
    editor = _Editor(vendor)

    operation.database_forwards("actionplan", editor, state, state)

    (_model, added), kwargs = editor.add_index.call_args
    assert added.name == "test_code_idx"
    assert kwargs.get("concurrently") is concurrently


@pytest.mark.django_db
@pytest.mark.parametrize(
    "table,index,columns",
    [
        ("followup_progressreport", "progressreport_review_idx", ["submitted_at", "id"]),
        ("followup_reminder", "reminder_log_idx", ["period_id", "claimed_at", "id"]),
    ],
)
def test_the_paged_lists_have_their_indexes(table, index, columns):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)

    assert constraints[index]["columns"] == columns
