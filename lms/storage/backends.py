"""Storage backends: database rows, files in a folder, S3-compatible objects."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import sqlalchemy as sa

from lms.db import db
from lms.storage.models import StoredFile

#: Keys are made by :func:`lms.storage.put`: a prefix and a hex id, nothing else.
KEY = re.compile(r"^[a-z0-9][a-z0-9_-]*(/[a-z0-9][a-z0-9_-]*)*$")


class StorageError(RuntimeError):
    """A missing file, a bad key or a misconfigured backend."""


def _checked(key: str) -> str:
    if not KEY.match(key or "") or len(key) > 200:
        raise StorageError(f"invalid storage key {key!r}")
    return key


class DatabaseStorage:
    """Files as rows of ``stored_files``, in the caller's transaction (flushes, no commit)."""

    def put(self, key: str, data: bytes, content_type: str) -> None:
        """Store ``data`` under ``key``."""
        db.session.add(
            StoredFile(key=_checked(key), content_type=content_type, size=len(data), data=data)
        )
        db.session.flush()

    def get(self, key: str) -> bytes:
        """The bytes under ``key``."""
        data = db.session.scalar(sa.select(StoredFile.data).where(StoredFile.key == _checked(key)))
        if data is None:
            raise StorageError(f"no stored file {key!r}")
        return data

    def delete(self, key: str) -> None:
        """Remove ``key``'s row."""
        db.session.execute(sa.delete(StoredFile).where(StoredFile.key == _checked(key)))


class FolderStorage:
    """Files under a folder; paths always resolve inside it (symlinks included)."""

    def __init__(self, root: str | os.PathLike) -> None:
        self.root = Path(root).resolve()

    def _path(self, key: str) -> Path:
        path = (self.root / _checked(key)).resolve()
        if not path.is_relative_to(self.root):
            raise StorageError(f"storage key {key!r} leaves {self.root}")
        return path

    def put(self, key: str, data: bytes, content_type: str) -> None:
        """Write ``data`` atomically (temporary file, then rename)."""
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def get(self, key: str) -> bytes:
        """The bytes of ``key``'s file."""
        path = self._path(key)
        if not path.is_file():
            raise StorageError(f"no stored file {key!r}")
        return path.read_bytes()

    def delete(self, key: str) -> None:
        """Remove ``key``'s file."""
        self._path(key).unlink(missing_ok=True)


class S3Storage:
    """Objects in an S3-compatible bucket (AWS, Scaleway, OVHcloud, MinIO, Garage...)."""

    def __init__(self, client, bucket: str, prefix: str = "") -> None:
        self.client, self.bucket, self.prefix = client, bucket, prefix.strip("/")

    @classmethod
    def from_config(cls, config) -> S3Storage:
        """Build the client with boto3 from ``LMS_S3_*`` settings."""
        try:
            import boto3
        except ImportError as exc:  # pragma: no cover - depends on the installation
            raise StorageError("LMS_STORAGE=s3 needs boto3: pip install 'parcours[s3]'") from exc
        bucket = config.get("LMS_S3_BUCKET")
        if not bucket:
            raise StorageError("LMS_STORAGE=s3 needs LMS_S3_BUCKET")
        client = boto3.client("s3", endpoint_url=config.get("LMS_S3_ENDPOINT_URL") or None)
        return cls(client, bucket, config.get("LMS_S3_PREFIX") or "")

    def _name(self, key: str) -> str:
        return f"{self.prefix}/{_checked(key)}" if self.prefix else _checked(key)

    def put(self, key: str, data: bytes, content_type: str) -> None:
        """Upload ``data`` as a private object."""
        self.client.put_object(
            Bucket=self.bucket, Key=self._name(key), Body=data, ContentType=content_type
        )

    def get(self, key: str) -> bytes:
        """Download the object's bytes."""
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self._name(key))
        except Exception as exc:  # noqa: BLE001 - botocore's ClientError and friends
            raise StorageError(f"no stored file {key!r}: {exc}") from exc
        return response["Body"].read()

    def delete(self, key: str) -> None:
        """Delete the object."""
        self.client.delete_object(Bucket=self.bucket, Key=self._name(key))
