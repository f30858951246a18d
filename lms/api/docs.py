"""The API documentation page: the OpenAPI document rendered on the server, no third-party host."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

bp = Blueprint("lms_api_docs", __name__)

METHODS = ("get", "post", "put", "patch", "delete")


def _type(schema: dict) -> str:
    """A short text for a JSON schema: ``string``, ``array of Enrolment``, ``integer | null``."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "allOf" in schema:
        return " & ".join(_type(part) for part in schema["allOf"])
    kind = schema.get("type", "object")
    text = " | ".join(kind) if isinstance(kind, list) else kind
    if schema.get("items"):
        text += " of " + _type(schema["items"])
    if schema.get("enum"):
        text += " (" + ", ".join(str(v) for v in schema["enum"] if v is not None) + ")"
    if schema.get("format"):
        text += f" ({schema['format']})"
    return text


def _operations(spec: dict) -> list[dict]:
    """Every operation of the document, in path order, with what a reader needs."""
    operations = []
    for path, item in spec.get("paths", {}).items():
        for method in METHODS:
            if method in item:
                operation = item[method]
                operations.append({"path": path, "method": method.upper(), **operation})
    return operations


@bp.route("/api/v1/docs")
def api_docs():
    """Public page: every operation, its parameters and responses, and the schemas."""
    spec = current_app.extensions["lms_api"].spec.to_dict()
    return render_template(
        "lms/api/docs.html",
        spec=spec,
        operations=_operations(spec),
        schemas=spec.get("components", {}).get("schemas", {}),
        type_of=_type,
    )
