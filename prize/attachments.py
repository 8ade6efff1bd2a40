"""What an uploaded attachment really is, read from its content and never from its name.

A PDF starts with "%PDF-"; PNG, JPEG and WebP images are recognised by their signatures and
then opened and verified by Pillow (already pinned for the reports), so that a file that only
starts like an image is refused too. Anything else (a Windows program renamed .pdf starts with
"MZ") is refused.
"""

from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError

from prize.models import Attachment

_SIGNATURES = [
    (b"%PDF-", Attachment.ContentType.PDF),
    (b"\x89PNG\r\n\x1a\n", Attachment.ContentType.PNG),
    (b"\xff\xd8\xff", Attachment.ContentType.JPEG),
]
_PILLOW_FORMATS = {
    Attachment.ContentType.PNG: "PNG",
    Attachment.ContentType.JPEG: "JPEG",
    Attachment.ContentType.WEBP: "WEBP",
}


def _by_signature(head: bytes) -> str | None:
    for signature, content_type in _SIGNATURES:
        if head.startswith(signature):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Attachment.ContentType.WEBP
    return None


def detect_content_type(upload: UploadedFile) -> str | None:
    """The attachment's content type, or None when it is not a PDF or an image we take."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    content_type = _by_signature(head)
    if content_type in _PILLOW_FORMATS:
        try:
            with Image.open(upload) as image:
                if image.format != _PILLOW_FORMATS[content_type]:
                    return None
                image.verify()
        except (
            UnidentifiedImageError,
            OSError,
            SyntaxError,
            ValueError,
            Image.DecompressionBombError,
        ):
            return None
        finally:
            upload.seek(0)
    return content_type
