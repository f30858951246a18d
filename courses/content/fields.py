"""Checking the fields of one YAML mapping, collecting precise errors with their lines."""

from __future__ import annotations

import json
import math
import re
from datetime import datetime
from urllib.parse import urlsplit

from courses.content.errors import ContentError
from courses.content.yamltext import LineDict, LineList

KEY_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]*")
KEY_MAX = 80
_MISSING = object()


def check_key(value: str) -> str | None:
    """Return what is wrong with a stable key, or None when it is valid."""
    if not KEY_PATTERN.fullmatch(value):
        return (
            f"'{value}' is not a valid key: use lowercase letters a-z, digits and '-', "
            "starting with a letter or a digit"
        )
    if len(value) > KEY_MAX:
        return f"key is too long ({len(value)} characters, at most {KEY_MAX})"
    return None


def describe(value) -> str:
    """Name the YAML type of ``value`` for messages."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    return f"'{value}'"


def plain_value(value, depth: int = 0) -> bool:
    """Tell whether ``value`` survives a JSON round trip unchanged."""
    if depth > 20:
        return False
    if isinstance(value, dict):
        return all(isinstance(k, str) and plain_value(v, depth + 1) for k, v in value.items())
    if isinstance(value, list):
        return all(plain_value(v, depth + 1) for v in value)
    if isinstance(value, float):
        return math.isfinite(value)
    return value is None or isinstance(value, str | int | bool)


class Fields:
    """The fields of one mapping of ``file``; each getter records an error and returns None."""

    def __init__(self, mapping: LineDict, file: str, errors: list[ContentError]) -> None:
        self.mapping = mapping
        self.file = file
        self.errors = errors
        self.seen: dict = {}

    def line(self, name: str) -> int:
        """Line of field ``name`` (or of the mapping when absent)."""
        return self.mapping.line_of(name)

    def error(self, name: str | None, message: str) -> None:
        """Record an error at the line of field ``name``."""
        line = self.line(name) if name is not None else self.mapping.line
        self.errors.append(ContentError(self.file, line, message))

    def _get(self, name: str, required: bool):
        self.seen[name] = True
        value = self.mapping.get(name)
        if value is None or value == "":
            if required:
                self.error(None, f"missing required field '{name}'")
            return _MISSING
        return value

    def text(self, name: str, required: bool = False, max_length: int | None = None) -> str | None:
        """A text field (numbers and dates are kept as written)."""
        value = self._get(name, required)
        if value is _MISSING:
            return None
        if isinstance(value, dict | list | bytes):
            self.error(name, f"'{name}' must be text, not {describe(value)}")
            return None
        if not isinstance(value, str):
            value = str(self.mapping.raw.get(name, value))
        if max_length and len(value) > max_length:
            self.error(
                name, f"'{name}' is too long ({len(value)} characters, at most {max_length})"
            )
            return None
        return value

    def key(self, name: str = "key") -> str | None:
        """A stable key: required, ``[a-z0-9][a-z0-9-]*``."""
        value = self.text(name, required=True)
        if value is None:
            return None
        problem = check_key(value)
        if problem:
            self.error(name, f"{name}: {problem}")
            return None
        return value

    def integer(self, name: str, required: bool = False) -> int | None:
        """A positive whole number."""
        value = self._get(name, required)
        if value is _MISSING:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2**31:
            self.error(name, f"'{name}' must be a positive whole number, not {describe(value)}")
            return None
        return value

    def https_url(self, name: str, required: bool = False, hosts=None) -> str | None:
        """An https URL, on one of ``hosts`` when given."""
        value = self.text(name, required, max_length=1000)
        if value is None:
            return None
        try:
            parts = urlsplit(value)
        except ValueError:
            parts = None
        if parts is None or parts.scheme != "https" or not parts.hostname or " " in value:
            self.error(name, f"'{name}' must be an https:// address, not '{value}'")
            return None
        if hosts is not None and parts.hostname.lower() not in hosts:
            allowed = ", ".join(sorted(hosts)) or "none"
            self.error(
                name,
                f"'{name}': host '{parts.hostname}' is not allowed; allowed hosts: {allowed} "
                "(setting LMS_VIDEO_HOSTS)",
            )
            return None
        return value

    def local_datetime(self, name: str, required: bool = False) -> str | None:
        """A local date and time ``YYYY-MM-DDTHH:MM``; returned in that normalised form."""
        value = self.text(name, required)
        if value is None:
            return None
        expected = f"'{name}' must be a local date and time like 2022-06-01T09:30, not '{value}'"
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            self.error(name, expected)
            return None
        if len(value) < 16 or value[10] not in "T ":
            self.error(name, expected)
            return None
        if moment.tzinfo is not None:
            self.error(name, f"'{name}' must be the local time (Europe/Paris), without an offset")
            return None
        return moment.isoformat(timespec="minutes" if not moment.second else "seconds")

    def mapping_list(self, name: str, required: bool = False) -> LineList | None:
        """A list of mappings."""
        value = self._get(name, required)
        if value is _MISSING:
            return None
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self.error(name, f"'{name}' must be a list of mappings (lines '- key: ...')")
            return None
        return value

    def name_list(self, name: str, required: bool = False) -> list[tuple[str, int]] | None:
        """A list of plain names with their lines."""
        value = self._get(name, required)
        if value is _MISSING:
            return None
        if not isinstance(value, LineList):
            self.error(name, f"'{name}' must be a list (lines starting with '- '), not a value")
            return None
        names = []
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item:
                message = f"'{name}' item must be a name, not {describe(item)}"
                self.errors.append(ContentError(self.file, value.line_of(index), message))
                continue
            names.append((item, value.line_of(index)))
        return names

    def json_mapping(self, name: str) -> dict | None:
        """A free mapping of plain values (kept as JSON)."""
        value = self._get(name, False)
        if value is _MISSING:
            return None
        if not isinstance(value, dict) or not plain_value(value):
            self.error(name, f"'{name}' must be a mapping of plain values (text, numbers, lists)")
            return None
        return json.loads(json.dumps(value))

    def finish(self) -> None:
        """Report every field that no getter read (unknown or misspelled)."""
        allowed = ", ".join(self.seen)
        for name in self.mapping:
            if name not in self.seen:
                self.error(name, f"unknown field '{name}'; expected one of: {allowed}")
