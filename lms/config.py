"""Configuration read from environment variables, with safe defaults for local use."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

DEFAULT_PLUGINS = "courses,quizzes"


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def from_environment(instance_path: str) -> dict:
    """Build the configuration mapping from ``os.environ``."""
    env = os.environ
    database_url = env.get("DATABASE_URL") or (
        "sqlite:///" + str(Path(instance_path) / "parcours.sqlite")
    )
    if database_url.startswith("postgres://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgres://")
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgresql://")
    return {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": env.get("SECRET_KEY") or None,
        "LMS_PLUGINS": env.get("LMS_PLUGINS", DEFAULT_PLUGINS),
        "LMS_BASE_URL": env.get("LMS_BASE_URL", "http://127.0.0.1:5000"),
        "LMS_SITE_NAME": env.get("LMS_SITE_NAME", "Parcours"),
        "LMS_VIDEO_HOSTS": env.get(
            "LMS_VIDEO_HOSTS", "www.youtube-nocookie.com,player.vimeo.com,tube.numerique.gouv.fr"
        ),
        "LMS_TIMEZONE": env.get("LMS_TIMEZONE", "Europe/Paris"),
        "LMS_STORAGE": env.get("LMS_STORAGE", "database"),
        "LMS_STORAGE_PATH": env.get("LMS_STORAGE_PATH") or None,
        "LMS_S3_BUCKET": env.get("LMS_S3_BUCKET") or None,
        "LMS_S3_ENDPOINT_URL": env.get("LMS_S3_ENDPOINT_URL") or None,
        "LMS_S3_PREFIX": env.get("LMS_S3_PREFIX", ""),
        "LMS_SUPPORT_DELAY_HOURS": float(env.get("LMS_SUPPORT_DELAY_HOURS", "48")),
        "LMS_SUPPORT_BUSINESS_HOURS": env.get("LMS_SUPPORT_BUSINESS_HOURS", ""),
        "LMS_SUPPORT_TRAINER_CATEGORIES": env.get("LMS_SUPPORT_TRAINER_CATEGORIES", "contenu"),
        "LMS_RETENTION_DAYS": int(env.get("LMS_RETENTION_DAYS", "1095")),
        "MAIL_BACKEND": env.get("MAIL_BACKEND", "file"),
        "MAIL_SERVER": env.get("MAIL_SERVER", "localhost"),
        "MAIL_PORT": int(env.get("MAIL_PORT", "25")),
        "MAIL_USERNAME": env.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD") or None,
        "MAIL_USE_TLS": _bool(env.get("MAIL_USE_TLS")),
        "MAIL_USE_SSL": _bool(env.get("MAIL_USE_SSL")),
        "MAIL_DEFAULT_SENDER": env.get("MAIL_DEFAULT_SENDER", "Parcours <noreply@parcours.local>"),
        "MAIL_SEND_ON_COMMIT": _bool(env.get("MAIL_SEND_ON_COMMIT"), True),
        "MAIL_RATE_PER_SECOND": float(env.get("MAIL_RATE_PER_SECOND", "0")),
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "memory://"),
        "LMS_GC_TUNING": _bool(env.get("LMS_GC_TUNING"), True),
        "LOGIN_RATE_LIMIT": env.get("LOGIN_RATE_LIMIT", "10 per 15 minutes"),
        "LOGIN_IP_RATE_LIMIT": env.get("LOGIN_IP_RATE_LIMIT", "50 per 15 minutes"),
        "API_RATE_LIMIT": env.get("API_RATE_LIMIT", "300 per minute"),
        "XAPI_LRS_URL": env.get("XAPI_LRS_URL", ""),
        "XAPI_LRS_USERNAME": env.get("XAPI_LRS_USERNAME", ""),
        "XAPI_LRS_PASSWORD": env.get("XAPI_LRS_PASSWORD", ""),
        "SESSION_COOKIE_SECURE": _bool(env.get("SESSION_COOKIE_SECURE")),
        "REMEMBER_COOKIE_SECURE": _bool(env.get("SESSION_COOKIE_SECURE")),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "BABEL_DEFAULT_LOCALE": "fr",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Paris",
        "LANGUAGES": ["fr", "en"],
        "WTF_CSRF_TIME_LIMIT": None,
        # An upload slightly larger than the import limit still reaches the view, which says why
        # it is refused; beyond this the request is cut short (413).
        "MAX_CONTENT_LENGTH": 6 * 1024 * 1024,
        "LMS_IMPORT_MAX_BYTES": int(env.get("LMS_IMPORT_MAX_BYTES", str(5 * 1024 * 1024))),
        "LMS_IMPORT_MAX_ROWS": int(env.get("LMS_IMPORT_MAX_ROWS", "20000")),
    }


def ensure_secret_key(instance_path: str) -> str:
    """Return the secret key stored in the instance folder, generating it the first time."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key
