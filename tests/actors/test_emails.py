"""The one e-mail helper: subjects and plain text as typed, HTML escaped, one-line subjects."""

import pytest
from django.core import mail
from django.test import override_settings

from actors.emails import send_templated

CODE = "X&<x>"

# Templates that say nothing about escaping: the helper alone decides.
PLAIN_TEMPLATES = {
    "t_subject.txt": "Rapport om {{ code }}",
    "t_body.txt": "Åtagande {{ code }} av {{ name }}",
    "t_body.html": "<p>Åtagande {{ code }} av {{ name }}</p>",
}


def plain_templates():
    return override_settings(
        TEMPLATES=[
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "OPTIONS": {
                    "loaders": [("django.template.loaders.locmem.Loader", PLAIN_TEMPLATES)]
                },
            }
        ]
    )


def test_subject_and_text_are_not_html_escaped_and_the_html_body_is():
    with plain_templates():
        send_templated("t", {"code": CODE, "name": "Anna & Bo"}, to=["anna@example.org"])

    [message] = mail.outbox
    assert message.subject == "Rapport om X&<x>"
    assert message.body == "Åtagande X&<x> av Anna & Bo"
    assert message.alternatives[0][0] == "<p>Åtagande X&amp;&lt;x&gt; av Anna &amp; Bo</p>"


def test_a_newline_in_a_subject_cannot_add_a_header():
    with plain_templates():
        send_templated(
            "t", {"code": "X\r\nBcc: eve@example.org\nY", "name": ""}, to=["anna@example.org"]
        )

    [message] = mail.outbox
    assert message.subject == "Rapport om X Bcc: eve@example.org Y"
    assert "Bcc" not in message.message()
    assert message.recipients() == ["anna@example.org"]


@pytest.mark.parametrize("event", ["submitted", "returned"])
def test_the_notification_e_mail_shows_a_code_as_typed(event):
    item = {"code": CODE, "title": "Skydd <och> stöd", "organisation": "A&B", "url": "http://x/"}

    send_templated(
        "followup/emails/notification",
        {"items": [item], "event": event, "name": "Anna"},
        to=["anna@example.org"],
    )

    [message] = mail.outbox
    html = message.alternatives[0][0]
    assert message.subject.startswith(
        "Ny rapport om X&<x>" if event == "submitted" else "Rapport om X&<x> återsänd"
    )
    assert "X&<x> Skydd <och> stöd (A&B)" in message.body
    assert "X&amp;&lt;x&gt; Skydd &lt;och&gt; stöd</a> (A&amp;B)" in html
