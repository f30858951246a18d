"""The front matter of a ``.survey`` file (between ``---`` lines) and its defaults."""

from __future__ import annotations

from quizzes.authoring.headers import (
    SourceError,
    as_bool,
    as_choice,
    as_key,
    as_text,
    check_known,
    key_from_name,
    read_fields,
    title_from_name,
)

KINDS = ("self_assessment", "questionnaire")
PURPOSES = (
    "needs",
    "pre",
    "post",
    "satisfaction",
    "trainer_review",
    "followup_6m",
    "followup_12m",
    "survey",
)
OPENS = ("enrolment", "run_end")
RESPONDENTS = ("learner", "trainer")
FIELDS = ("key", "title", "kind", "purpose", "opens", "respondent", "hidden")
#: Purposes answered at the end of the run, and those hidden from the learner's outline.
AT_RUN_END = ("post", "satisfaction", "trainer_review")
HIDDEN = ("trainer_review", "followup_6m", "followup_12m")


def read_meta(lines: list[str], filename: str) -> tuple[dict, int]:
    """Read the optional front matter; return (meta with defaults, index of the first body line)."""
    index = 0
    while index < len(lines) and not lines[index].strip():
        index += 1
    fields = {}
    if index < len(lines) and lines[index].strip() == "---":
        opening = index
        index += 1
        while index < len(lines) and lines[index].strip() != "---":
            index += 1
        if index >= len(lines):
            raise SourceError(
                "the front matter opened here is not closed by a '---' line",
                opening + 1,
                1,
                filename,
            )
        numbered = ((n + 1, lines[n]) for n in range(opening + 1, index))
        fields = read_fields(numbered, filename)
        index += 1
    else:
        index = 0
    return meta_from_fields(fields, filename), index


def meta_from_fields(fields: dict, filename: str) -> dict:
    """Check each field and fill in the defaults that depend on the purpose."""
    check_known(fields, FIELDS, filename)
    get = fields.get
    purpose = as_choice(get("purpose"), filename, PURPOSES) if get("purpose") else "survey"
    meta = {
        "key": as_key(get("key"), filename) if get("key") else key_from_name(filename),
        "title": as_text(get("title"), filename) if get("title") else title_from_name(filename),
        "kind": as_choice(get("kind"), filename, KINDS)
        if get("kind")
        else ("self_assessment" if purpose in ("pre", "post") else "questionnaire"),
        "purpose": purpose,
        "opens": as_choice(get("opens"), filename, OPENS)
        if get("opens")
        else ("run_end" if purpose in AT_RUN_END else "enrolment"),
        "respondent": as_choice(get("respondent"), filename, RESPONDENTS)
        if get("respondent")
        else ("trainer" if purpose == "trainer_review" else "learner"),
        "hidden": as_bool(get("hidden"), filename) if get("hidden") else purpose in HIDDEN,
    }
    if purpose == "trainer_review" and meta["respondent"] != "trainer":
        line = get("respondent").line
        raise SourceError(
            "a trainer_review is answered by the trainer: respondent: trainer", line, 1, filename
        )
    return meta
