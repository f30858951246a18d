"""Markdown activity files: YAML front matter between ``---`` lines, then the Markdown body."""

from __future__ import annotations

import re

from courses.content.errors import ContentError
from courses.content.fields import describe
from courses.content.yamltext import LineDict, dump_yaml, load_yaml

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_H1 = re.compile(r"^ {0,3}#(\s|$)")
_SETEXT_H1 = re.compile(r"^ {0,3}=+\s*$")
_HTML = re.compile(r"<(/?[A-Za-z][A-Za-z0-9-]*)(?=[\s/>])|<!--")
_CODE_SPAN = re.compile(r"(`+).*?\1")
_DELIMITER = "---"


def split_front_matter(
    file: str, text: str
) -> tuple[LineDict | None, str, int, list[ContentError]]:
    """Split an activity file; return (fields, body, first line of the body, errors)."""
    lines = text.split("\n")
    if lines[0].rstrip() != _DELIMITER:
        message = (
            "missing front matter: the file must start with a line '---', then the fields "
            "(key, kind, title...), then a line '---'"
        )
        return None, "", 1, [ContentError(file, 1, message)]
    close = next((i for i in range(1, len(lines)) if lines[i].rstrip() == _DELIMITER), None)
    if close is None:
        message = "the front matter opened at line 1 is never closed by a line '---'"
        return None, "", 1, [ContentError(file, 1, message)]
    fields, errors = load_yaml(file, "\n".join(lines[1:close]), first_line=2)
    if errors:
        return None, "", 1, errors
    if not isinstance(fields, LineDict):
        what = "empty" if fields is None else describe(fields)
        message = f"the front matter must be fields ('name: value' lines), not {what}"
        return None, "", 1, [ContentError(file, 2 if fields is not None else 1, message)]
    first = close + 2
    body_lines = lines[close + 1 :]
    while body_lines and not body_lines[0].strip():
        body_lines.pop(0)
        first += 1
    if not body_lines:
        first = close + 2
    return fields, "\n".join(body_lines).rstrip(), first, []


def check_markdown(file: str, body: str, first_line: int) -> list[ContentError]:
    """Find level-1 headings and raw HTML (outside code) in a Markdown body."""
    errors = []
    fence = None
    previous = ""
    for number, line in enumerate(body.split("\n"), start=first_line):
        opening = _FENCE.match(line)
        if fence:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            continue
        if opening:
            fence = opening.group(1)
            continue
        if line.startswith(("    ", "\t")) and not previous.strip():
            previous = line
            continue
        if _H1.match(line) or (_SETEXT_H1.match(line) and previous.strip()):
            errors.append(
                ContentError(
                    file,
                    number,
                    "level-1 heading: the page title comes from 'title'; start headings at '##'",
                )
            )
        html = _HTML.search(_CODE_SPAN.sub("", line))
        if html:
            message = f"raw HTML ('{html.group()}') is not allowed: write Markdown instead"
            errors.append(ContentError(file, number, message))
        previous = line
    return errors


def dump_front_matter(fields: dict, body: str) -> str:
    """Write an activity file: the non-empty ``fields`` as front matter, then the body."""
    kept = {name: value for name, value in fields.items() if value not in (None, "")}
    text = f"{_DELIMITER}\n{dump_yaml(kept)}{_DELIMITER}\n"
    return text + body.strip("\n") + "\n" if body.strip() else text
