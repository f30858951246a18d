"""Attachments of support requests: size bound and type sniffed from the bytes (not the name)."""

from __future__ import annotations

from pathlib import PurePosixPath

from werkzeug.utils import secure_filename

#: Largest attachment accepted.
MAX_BYTES = 4 * 1024 * 1024
#: Magic numbers of the accepted types, and the suffix a download gets.
SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"GIF87a", "image/gif", ".gif"),
    (b"GIF89a", "image/gif", ".gif"),
)


class AttachmentError(ValueError):
    """A file that cannot be accepted; the message is shown to the person."""


def sniff(data: bytes) -> tuple[str, str] | None:
    """``(content_type, suffix)`` recognised from the first bytes, or None."""
    for magic, content_type, suffix in SIGNATURES:
        if data.startswith(magic):
            return content_type, suffix
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp", ".webp"
    return None


def checked(filename: str, stream, limit: int | None = None) -> tuple[str, str, bytes]:
    """Read an upload (at most ``limit`` bytes) and return ``(name, content_type, data)``.

    Raises :class:`AttachmentError` when the file is empty, too large or not an image or PDF.
    """
    limit = limit or MAX_BYTES
    data = stream.read(limit + 1)
    if not data:
        raise AttachmentError("empty")
    if len(data) > limit:
        raise AttachmentError("too_large")
    kind = sniff(data)
    if kind is None:
        raise AttachmentError("type")
    content_type, suffix = kind
    stem = PurePosixPath(secure_filename(filename or "") or "piece-jointe").stem or "piece-jointe"
    return f"{stem[:150]}{suffix}", content_type, data
