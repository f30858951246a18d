"""lms.storage: the database, folder and S3 backends behind one interface; support files use it."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from lms import storage
from lms.db import db
from lms.storage.backends import FolderStorage, S3Storage, StorageError
from lms.storage.models import StoredFile


def use(app, **config):
    app.config.update(config)
    app.extensions.pop("lms_storage", None)


def test_database_backend_round_trip(app):
    use(app, LMS_STORAGE="database")
    key = storage.put("support", b"%PDF-1.4", "application/pdf")
    db.session.commit()
    assert key.startswith("support/") and len(key) > 30
    assert storage.get(key) == b"%PDF-1.4"
    assert db.session.scalar(sa.select(StoredFile.size)) == 8
    storage.delete(key)
    with pytest.raises(StorageError):
        storage.get(key)


def test_folder_backend_writes_inside_its_folder_only(app, tmp_path):
    root = tmp_path / "uploads"
    use(app, LMS_STORAGE="folder", LMS_STORAGE_PATH=str(root))
    key = storage.put("support", b"data", "image/png")
    assert (root / key).read_bytes() == b"data"
    assert storage.get(key) == b"data"
    backend = FolderStorage(root)
    for bad in ("../x", "support/../../etc/passwd", "/etc/passwd", "Support/X", ""):
        with pytest.raises(StorageError):
            backend.get(bad)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret").write_bytes(b"no")
    (root / "link").symlink_to(outside)
    with pytest.raises(StorageError):
        backend.get("link/secret")
    storage.delete(key)
    assert not (root / key).exists()


class FakeS3:
    """The three calls S3Storage makes, kept in memory (boto3 is an optional dependency)."""

    def __init__(self):
        self.objects = {}

    def put_object(self, Bucket, Key, Body, ContentType):  # noqa: N803 - boto3's names
        self.objects[(Bucket, Key)] = (Body, ContentType)

    def get_object(self, Bucket, Key):  # noqa: N803
        return {"Body": io.BytesIO(self.objects[(Bucket, Key)][0])}

    def delete_object(self, Bucket, Key):  # noqa: N803
        self.objects.pop((Bucket, Key), None)


def test_s3_backend_uses_bucket_prefix_and_content_type():
    client = FakeS3()
    backend = S3Storage(client, "parcours", prefix="prod")
    backend.put("support/abc", b"img", "image/png")
    assert client.objects[("parcours", "prod/support/abc")] == (b"img", "image/png")
    assert backend.get("support/abc") == b"img"
    backend.delete("support/abc")
    with pytest.raises(StorageError):
        backend.get("support/abc")


def test_misconfiguration_is_named(app):
    use(app, LMS_STORAGE="ftp")
    with pytest.raises(StorageError, match="LMS_STORAGE='ftp'"):
        storage.storage()
    use(app, LMS_STORAGE="s3", LMS_S3_BUCKET=None)
    with pytest.raises(StorageError, match="boto3|LMS_S3_BUCKET"):
        storage.storage()


def test_support_attachments_go_to_the_configured_folder(app, client, make_user, login, tmp_path):
    from courses.support.models import SupportAttachment
    from tests.conftest import csrf_token
    from tests.factories import enrol, make_course, make_run

    root = tmp_path / "files"
    use(app, LMS_STORAGE="folder", LMS_STORAGE_PATH=str(root))
    learner = make_user("learner")
    run = make_run(
        make_course("stockage", modules=1, activities=1), trainers=[make_user("trainer")]
    )
    enrol(run, learner)
    login(learner)
    path = f"/parcours/sessions/{run.id}/aide/nouvelle"
    data = {
        "category": "contenu",
        "subject": "Capture",
        "body": "Voir la capture.",
        "csrf_token": csrf_token(client, path),
        "attachment": (io.BytesIO(b"%PDF-1.4 doc"), "doc.pdf"),
    }
    assert client.post(path, data=data, content_type="multipart/form-data").status_code == 302
    attachment = db.session.scalar(sa.select(SupportAttachment))
    assert (root / attachment.storage_key).read_bytes() == b"%PDF-1.4 doc"
    assert db.session.scalar(sa.select(sa.func.count(StoredFile.id))) == 0
    request_id = db.session.scalar(
        sa.select(sa.text("id")).select_from(sa.text("support_requests"))
    )
    url = f"/parcours/sessions/{run.id}/aide/{request_id}/pieces/{attachment.id}"
    response = client.get(url)
    assert response.data == b"%PDF-1.4 doc"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
