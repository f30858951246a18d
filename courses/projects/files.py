"""Files of project submissions: size bound, type recognised from the bytes, not the name."""

from __future__ import annotations

import zipfile
from io import BytesIO
from pathlib import PurePosixPath

from werkzeug.utils import secure_filename

from courses.projects.folder import FILE_TYPES
from courses.support.files import AttachmentError, sniff

#: The first file of an OpenDocument archive names its type.
_ODF = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.presentation": "odp",
}
#: The folder an Office Open XML archive holds, per type.
_OOXML = {"word/": "docx", "ppt/": "pptx", "xl/": "xlsx"}

__all__ = ["AttachmentError", "checked", "file_type"]


def _zip_type(data: bytes) -> str:
    """``docx``/``pptx``/``xlsx``/``odt``/``odp`` for office documents, else ``zip``."""
    if data[30:38] == b"mimetype":
        for marker, name in _ODF.items():
            if data[38 : 38 + len(marker)] == marker:
                return name
    try:
        names = zipfile.ZipFile(BytesIO(data)).namelist()[:2000]
    except (zipfile.BadZipFile, ValueError):
        return ""
    for folder, name in _OOXML.items():
        if any(entry.startswith(folder) for entry in names):
            return name
    return "zip"


def file_type(data: bytes) -> str | None:
    """The name (``pdf``, ``docx``...) of the type recognised from ``data``, or None."""
    if data.startswith(b"PK\x03\x04"):
        return _zip_type(data) or None
    found = sniff(data)
    if found is None:
        return None
    return {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}.get(found[0])


def checked(filename: str, stream, accepted: list[str], max_mb: int) -> tuple[str, str, bytes]:
    """Read an upload (at most ``max_mb`` MB) and return ``(name, content_type, data)``.

    Raises :class:`AttachmentError` (``empty``, ``too_large`` or ``type``) otherwise.
    """
    limit = max_mb * 1024 * 1024
    data = stream.read(limit + 1)
    if not data:
        raise AttachmentError("empty")
    if len(data) > limit:
        raise AttachmentError("too_large")
    kind = file_type(data)
    if kind is None or kind not in accepted:
        raise AttachmentError("type")
    stem = PurePosixPath(secure_filename(filename or "") or "projet").stem or "projet"
    return f"{stem[:150]}.{kind}", FILE_TYPES[kind][1], data
