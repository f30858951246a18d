"""Files people upload, behind one interface: the database (default), a folder, or S3.

``LMS_STORAGE`` chooses the backend: ``database`` (rows of ``stored_files``; nothing to set up,
shared by every application server), ``folder`` (``LMS_STORAGE_PATH``, default
``instance/uploads``), or ``s3`` (any S3-compatible object storage through boto3, an optional
dependency: ``pip install parcours[s3]``; ``LMS_S3_BUCKET``, ``LMS_S3_ENDPOINT_URL``,
``LMS_S3_PREFIX``, credentials from the usual ``AWS_*`` variables). Callers keep the key that
:func:`put` returns and never see where the bytes live; checks of size and type, and who may
download, stay with the caller.

May import: Flask and ``lms``; never a plugin.
"""

from __future__ import annotations

import uuid

from flask import current_app

from lms.storage.backends import DatabaseStorage, FolderStorage, S3Storage, StorageError

__all__ = ["StorageError", "get", "put", "delete", "storage"]


def storage():
    """The configured backend, built once per application."""
    app = current_app._get_current_object()
    backend = app.extensions.get("lms_storage")
    if backend is None:
        backend = app.extensions["lms_storage"] = _build(app)
    return backend


def _build(app):
    kind = (app.config.get("LMS_STORAGE") or "database").strip().lower()
    if kind == "database":
        return DatabaseStorage()
    if kind == "folder":
        path = app.config.get("LMS_STORAGE_PATH") or f"{app.instance_path}/uploads"
        return FolderStorage(path)
    if kind == "s3":
        return S3Storage.from_config(app.config)
    raise StorageError(f"LMS_STORAGE={kind!r}: use database, folder or s3")


def put(prefix: str, data: bytes, content_type: str) -> str:
    """Store ``data`` under a new unguessable key starting with ``prefix``; return the key."""
    key = f"{prefix}/{uuid.uuid4().hex}"
    storage().put(key, data, content_type)
    return key


def get(key: str) -> bytes:
    """The bytes stored under ``key`` (:class:`StorageError` if missing)."""
    return storage().get(key)


def delete(key: str) -> None:
    """Remove what is stored under ``key`` (no error if already gone)."""
    storage().delete(key)
