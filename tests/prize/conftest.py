import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from actors.models import Membership
from tests.factories import MembershipFactory, OrganisationFactory, PrizeCallFactory


@pytest.fixture
def call(db):
    return PrizeCallFactory(year=2026)


@pytest.fixture
def coordinator(db):
    return MembershipFactory(role=Membership.Role.COORDINATOR).user


@pytest.fixture
def county_staff(db):
    return MembershipFactory(role=Membership.Role.COUNTY_STAFF).user


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Testkommunen", short_name="Testkommun", slug="testkommun")


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "purple").save(buffer, format="PNG")
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
# The start of a Windows program: what a renamed .exe looks like inside.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def upload(name: str, data: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def nomination_data(call, organisation, **extra) -> dict:
    data = {
        "organisation": organisation.pk,
        "unit_name": "Relationsvåldscentrum",
        "title": "Samordnat stöd till våldsutsatta",
        "summary": "Socialtjänst, polis och hälso- och sjukvård arbetar tillsammans.",
        "contact_name": "",
        "contact_email": "",
    }
    for criterion in call.criteria.all():
        data[f"motivation_{criterion.pk}"] = f"Motivering för {criterion.title}."
    data.update(extra)
    return data
