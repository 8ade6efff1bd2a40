"""Request bodies larger than the portal takes are refused before anything reads them."""

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import path, reverse

from followup.models import ProgressReport
from tests.personas import build_world

FIFTY_MB = 50 * 1024 * 1024
REPORT = {
    "status": "on_track",
    "percent_done": "60",
    "work_done": "Tre utbildningar för socialtjänsten.",
    "results": "120 deltagare.",
    "obstacles": "",
    "next_steps": "Fler utbildningar i norra länet.",
}
BOUNDARY = "kvinnofrid-boundary"


class BodyThatMustNotBeRead:
    """A wsgi.input of a huge multipart upload that fails the test if more than a little is read."""

    def __init__(self, allowed: int = 64 * 1024):
        self.allowed = allowed
        self.read_so_far = 0
        self.head = (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()

    def read(self, size=-1):
        if size is None or size < 0 or self.read_so_far + size > self.allowed:
            raise AssertionError(f"the body was read past {self.allowed} bytes")
        start = self.read_so_far
        self.read_so_far += size
        data = self.head[start : start + size]
        return data + b"x" * (size - len(data))

    def readline(self, size=-1):
        return self.read(size if size and size > 0 else 1024)


def edit_url(commitment):
    return reverse(
        "followup:report-edit", kwargs={"commitment_pk": commitment.pk, "organisation_slug": "a"}
    )


def huge_upload(**extra) -> dict:
    return {
        "wsgi.input": BodyThatMustNotBeRead(),
        "CONTENT_LENGTH": str(FIFTY_MB),
        "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
        **extra,
    }


def test_a_50_mb_anonymous_upload_to_the_login_page_is_refused_unread(client):
    environ = huge_upload()

    response = client.generic("POST", reverse("login"), **environ)

    assert response.status_code == 413
    assert environ["wsgi.input"].read_so_far == 0
    content = response.content.decode()
    assert "Det du skickade var för stort" in content
    assert response["Content-Security-Policy"]  # answered inside the security headers


@pytest.mark.django_db
def test_a_50_mb_upload_to_the_report_form_is_refused_unread():
    world = build_world()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.users["coordinator_a"])
    environ = huge_upload()
    before = list(ProgressReport.objects.values())

    response = browser.generic("POST", edit_url(world.other_commitment), **environ)

    assert response.status_code == 413
    assert environ["wsgi.input"].read_so_far == 0
    assert "Det du skickade var för stort" in response.content.decode()
    assert list(ProgressReport.objects.values()) == before


@pytest.mark.django_db
def test_a_report_pasted_far_too_long_is_refused_with_the_swedish_page(client):
    world = build_world()
    client.force_login(world.users["coordinator_a"])
    before = list(ProgressReport.objects.values())

    response = client.post(
        edit_url(world.other_commitment),
        REPORT | {"results": "x" * 3_000_000, "version": "1", "submit": "1"},
    )

    assert response.status_code == 413
    assert "högst 2,5\xa0MB" in response.content.decode()
    assert list(ProgressReport.objects.values()) == before


def test_the_page_is_english_for_a_person_who_chose_english(client):
    client.cookies["django_language"] = "en"

    response = client.generic("POST", reverse("login"), **huge_upload())

    assert response.status_code == 413
    assert "What you sent was too large" in response.content.decode()


def test_a_chunked_body_without_a_length_is_refused_unread(client):
    environ = huge_upload(HTTP_TRANSFER_ENCODING="chunked")
    del environ["CONTENT_LENGTH"]

    response = client.generic("POST", reverse("login"), **environ)

    assert response.status_code == 413
    assert environ["wsgi.input"].read_so_far == 0


@pytest.mark.django_db
def test_a_normal_sign_in_still_works(client):
    world = build_world()
    user = world.users["coordinator_a"]
    user.set_password("a-long-enough-password")
    user.save()

    response = client.post(
        reverse("login"), {"username": user.username, "password": "a-long-enough-password"}
    )

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_a_body_just_under_the_limit_is_read(client, settings):
    settings.REQUEST_BODY_MAX_SIZE = 1000

    response = client.post(reverse("login"), {"username": "x" * 500, "password": "y"})

    assert response.status_code == 200  # the login form again, with its error


def test_the_limit_comes_from_the_settings(client, settings):
    settings.REQUEST_BODY_MAX_SIZE = 1000

    response = client.post(reverse("login"), {"username": "x" * 2000, "password": "y"})

    assert response.status_code == 413


# An import page, as the future imports of data files will be: allowed 10 MB.
def _import_view(request):
    return HttpResponse(f"{request.FILES['file'].size} bytes")


urlpatterns = [
    path("import/", _import_view, name="test-import"),
    path("not-import/", _import_view, name="test-not-import"),
]


def _upload(size: int) -> bytes:
    return (
        (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="data.csv"\r\n'
            f"Content-Type: text/csv\r\n\r\n"
        ).encode()
        + b"x" * size
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )


@pytest.fixture
def import_urls(settings):
    settings.ROOT_URLCONF = __name__
    settings.REQUEST_BODY_IMPORT_URL_NAMES = ["test-import"]


@pytest.mark.parametrize(
    ("url", "size", "status"),
    [
        ("/import/", 5 * 1024 * 1024, 200),
        ("/import/", 11 * 1024 * 1024, 413),
        ("/not-import/", 5 * 1024 * 1024, 413),
        ("/not-import/", 1024, 200),
    ],
)
def test_named_import_urls_take_up_to_10_mb(client, import_urls, url, size, status):
    response = client.generic(
        "POST", url, _upload(size), content_type=f"multipart/form-data; boundary={BOUNDARY}"
    )

    assert response.status_code == status
    if status == 200:
        assert response.content.decode() == f"{size} bytes"


def test_an_unknown_url_gets_the_ordinary_limit(client, import_urls):
    response = client.generic("POST", "/nowhere/", **huge_upload())

    assert response.status_code == 413
