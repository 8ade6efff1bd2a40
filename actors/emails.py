"""One way to send the portal's e-mail: a template triplet, plain text and HTML."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def send_templated(template_prefix: str, context: dict, to: list[str]) -> None:
    """Render `<prefix>_subject.txt`, `<prefix>_body.txt` and `<prefix>_body.html` and send.

    Always in Swedish: the portal's e-mail goes to Swedish public-sector staff, and a background
    job has no request to take a language from.
    """
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override("sv"):
        subject = render_to_string(f"{template_prefix}_subject.txt", context).strip()
        text = render_to_string(f"{template_prefix}_body.txt", context)
        html = render_to_string(f"{template_prefix}_body.html", context)
    message = EmailMultiAlternatives(" ".join(subject.split()), text, to=to)
    message.attach_alternative(html, "text/html")
    message.send()
