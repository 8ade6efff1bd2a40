"""One way to send the portal's e-mail: a template triplet, plain text and HTML."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import translation


def render_plain(template_name: str, context: dict) -> str:
    """Render a template as plain text: without HTML escaping, whatever the template says.

    A subject or a text body is not HTML: a commitment code `X&<x>` must read `X&<x>`, not
    `X&amp;&lt;x&gt;`. Rendering the template's own Django template with an autoescape-off
    context does for every template what `{% autoescape off %}` would do in each.
    """
    return get_template(template_name).template.render(Context(context, autoescape=False))


def one_line(text: str) -> str:
    """Whitespace, newlines included, collapsed to single spaces: a subject can add no header."""
    return " ".join(text.split())


def send_templated(template_prefix: str, context: dict, to: list[str]) -> None:
    """Render `<prefix>_subject.txt`, `<prefix>_body.txt` and `<prefix>_body.html` and send.

    The subject and the text body are plain text (no HTML escaping), the HTML body is escaped
    as usual. Always in Swedish: the portal's e-mail goes to Swedish public-sector staff, and a
    background job has no request to take a language from.
    """
    subject, text, html = render_templated(template_prefix, context)
    message = EmailMultiAlternatives(subject, text, to=to)
    message.attach_alternative(html, "text/html")
    message.send()


def render_templated(template_prefix: str, context: dict) -> tuple[str, str, str]:
    """The subject, text body and HTML body that send_templated sends: also for previews, so
    that what county staff are shown before sending is exactly what goes out."""
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override("sv"):
        subject = one_line(render_plain(f"{template_prefix}_subject.txt", context))
        text = render_plain(f"{template_prefix}_body.txt", context)
        html = render_to_string(f"{template_prefix}_body.html", context)
    return subject, text, html
