"""Reading text files of a course folder: UTF-8 checks, and YAML that remembers its lines."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from courses.content.errors import ContentError

#: Largest text file (Markdown, YAML, other activity files) read from a course folder.
MAX_TEXT_BYTES = 1024 * 1024

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class LineDict(dict):
    """A YAML mapping that knows the line of each of its keys (1-based, in the whole file)."""

    line: int = 1

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        #: Line of each key.
        self.lines: dict = {}
        #: Source text of each scalar value (``title: 2024`` stays "2024", not an integer).
        self.raw: dict = {}

    def line_of(self, key) -> int:
        """Return the line of ``key``, or of the mapping itself when the key is absent."""
        return self.lines.get(key, self.line)


class LineList(list):
    """A YAML sequence that knows the line of each item."""

    line: int = 1

    def __init__(self, *args) -> None:
        super().__init__(*args)
        #: Line of each item, by index.
        self.lines: list[int] = []

    def line_of(self, index: int) -> int:
        """Return the line of item ``index``."""
        return self.lines[index] if index < len(self.lines) else self.line


class _Loader(yaml.SafeLoader):
    """A safe loader building :class:`LineDict`/:class:`LineList` and noting duplicate keys."""

    def __init__(self, stream, first_line: int) -> None:
        super().__init__(stream)
        self.first_line = first_line
        self.problems: list[tuple[int, str]] = []

    def file_line(self, node) -> int:
        """Line of ``node`` in the file."""
        return node.start_mark.line + self.first_line


def _construct_mapping(loader: _Loader, node) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = loader.file_line(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = loader.file_line(key_node)
        if not isinstance(key, str | int | float | bool) and key is not None:
            loader.problems.append((line, "a field name must be plain text"))
            continue
        if key in result:
            first = result.lines[key]
            loader.problems.append((line, f"field '{key}' is given twice (first at line {first})"))
            continue
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = line
        if isinstance(value_node, yaml.ScalarNode):
            result.raw[key] = value_node.value
    return result


def _construct_sequence(loader: _Loader, node) -> LineList:
    result = LineList()
    result.line = loader.file_line(node)
    for child in node.value:
        result.append(loader.construct_object(child, deep=True))
        result.lines.append(loader.file_line(child))
    return result


def _construct_timestamp_as_text(loader: _Loader, node) -> str:
    return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp_as_text)


def _yaml_error(file: str, exc: yaml.YAMLError, text: str, first_line: int) -> ContentError:
    """Turn a PyYAML error into a ContentError at the line of its mark."""
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark else first_line
        context = exc.context
        if context and exc.context_mark and exc.context_mark.line + first_line != line:
            context = f"{context} (line {exc.context_mark.line + first_line})"
        detail = "; ".join(str(part) for part in (context, exc.problem) if part)
        return ContentError(file, line, f"invalid YAML: {detail}")
    if isinstance(exc, yaml.reader.ReaderError):
        line = text.count("\n", 0, exc.position) + first_line
        return ContentError(file, line, f"invalid YAML: character #x{exc.character:04x} refused")
    return ContentError(file, first_line, f"invalid YAML: {exc}")


def load_yaml(file: str, text: str, first_line: int = 1) -> tuple[object, list[ContentError]]:
    """Parse one YAML document; return its data and the errors found (with file lines)."""
    loader = _Loader(text, first_line)
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as exc:
        return None, [_yaml_error(file, exc, text, first_line)]
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        return None, [ContentError(file, first_line, f"invalid YAML value: {exc}")]
    finally:
        loader.dispose()
    errors = [ContentError(file, line, message) for line, message in loader.problems]
    return data, errors


def _decode_error(file: str, data: bytes, exc: UnicodeDecodeError) -> ContentError:
    line = data.count(b"\n", 0, exc.start) + 1
    byte = data[exc.start : exc.start + 1].hex()
    return ContentError(
        file,
        line,
        f"the file is not UTF-8 text (byte 0x{byte} at offset {exc.start}); save it as UTF-8",
    )


def inside(root: Path, path: Path) -> bool:
    """Whether ``path`` resolves (links followed) inside the folder ``root``."""
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # a loop of links
        return False


def outside_message(name: str) -> str:
    """The error of a file that is a link pointing outside the course folder."""
    return f"'{name}' is a link pointing outside the course folder: copy the file into the folder"


def read_text(
    root: Path, relative: str, max_bytes: int = MAX_TEXT_BYTES
) -> tuple[str | None, list[ContentError]]:
    """Read ``root/relative`` as UTF-8 text (BOM and CRLF removed), checking size and characters."""
    path = root / relative
    if not inside(root, path):
        return None, [ContentError(relative, 1, outside_message(relative))]
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [ContentError(relative, 1, f"cannot read the file: {exc.strerror}")]
    if len(data) > max_bytes:
        return None, [
            ContentError(
                relative,
                1,
                f"the file is {len(data) / 1024 / 1024:.1f} MB; "
                f"text files are limited to {max_bytes // 1024 // 1024} MB",
            )
        ]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [_decode_error(relative, data, exc)]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    errors = []
    for number, line in enumerate(text.split("\n"), start=1):
        match = _CONTROL.search(line)
        if match:
            code = f"U+{ord(match.group()):04X}"
            errors.append(ContentError(relative, number, f"control character {code} in the text"))
    return (None if errors else text), errors[:5]


class _Dumper(yaml.SafeDumper):
    """Writes YAML the way authors do: literal blocks for Markdown, indented lists, "quotes"."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):
        """Indent list items under their field."""
        return super().increase_indent(flow, False)

    def choose_scalar_style(self):
        """Prefer double quotes to single quotes when a value needs quoting."""
        style = super().choose_scalar_style()
        return '"' if style == "'" else style


def _represent_str(dumper: _Dumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def dump_yaml(data: dict) -> str:
    """Write ``data`` as YAML in the order of its keys, UTF-8 characters kept as they are."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1000)
