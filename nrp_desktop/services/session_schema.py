"""The one rule set of a version-1 session file: the field rules and the pydantic models, and
pydantic's problems turned into one plain line naming the place and the rule.

pydantic is imported on first use, not at start-up: the models are built in `file_model()`.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Callable
from typing import Any

from nrp_desktop.domain.domains import DOMAIN_SLUGS, is_domain
from nrp_desktop.domain.session import (
    ACTION_AGREED,
    ACTION_PROGRESS_MAX,
    ACTION_WHAT_MAX,
    DEFAULT_LANGUAGE,
    GROUP_NAME_MAX,
    LESSON_SLUG_MAX,
    PRIORITIES_MAX,
    PRIORITY_TEXT_MAX,
    PRIORITY_TITLE_MAX,
    SESSION_NOTES_MAX,
    SESSION_TITLE_MAX,
    SHORT_TEXT_MAX,
    check_language,
    check_participants,
    check_rating,
    check_status,
    check_text,
    check_votes,
)
from nrp_desktop.services.session_format import (
    ISO_DATE,
    SessionFileError,
    join_place,
    kind_of,
    place_of,
    quote,
)

# ---------------------------------------------------------------------------------------------
# Field rules, used as pydantic "before" validators. Each returns the clean value or raises
# _Invalid, which becomes a PydanticCustomError carrying the plain-words reason.


class _Invalid(ValueError):
    pass


def _clean_text(value: Any, maximum: int, required: bool) -> str:
    if not isinstance(value, str):
        raise _Invalid(f"must be text, not {kind_of(value)}")
    text = value.strip()
    reason = check_text(text, maximum, required=required)
    if reason:
        raise _Invalid(reason)
    return text


def _required_text(maximum: int) -> Callable[[Any], str]:
    return lambda value: _clean_text(value, maximum, required=True)


def _optional_text(maximum: int) -> Callable[[Any], str]:
    return lambda value: "" if value is None else _clean_text(value, maximum, required=False)


def _optional_label(maximum: int) -> Callable[[Any], str | None]:
    """For optional text where absent and empty mean the same: None."""

    def validate(value: Any) -> str | None:
        if value is None:
            return None
        return _clean_text(value, maximum, required=False) or None

    return validate


def _whole_number(rule: Callable[[Any], str | None]) -> Callable[[Any], Any]:
    def validate(value: Any) -> Any:
        reason = rule(value)
        if reason:
            raise _Invalid(reason)
        return value

    return validate


def _votes(value: Any) -> int:
    return 0 if value is None else _whole_number(check_votes)(value)


def _optional_uuid(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise _Invalid(f"must be a UUID (text), not {kind_of(value)}")
    try:
        # One spelling for one id, so an import finds the stored session whatever the case.
        return str(uuid.UUID(value.strip()))
    except ValueError:
        raise _Invalid(f"must be a UUID such as '0b6f3a52-8d1e-4c1b-9a8e-2f6f0d7c4e11', not {quote(value)}") from None


def _iso_date(value: Any) -> dt.date:
    if not isinstance(value, str):
        raise _Invalid(f"must be a date written YYYY-MM-DD, not {kind_of(value)}")
    text = value.strip()
    if not ISO_DATE.fullmatch(text):
        raise _Invalid(f"must be a date written YYYY-MM-DD, not {quote(value)}")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise _Invalid(f"{quote(text)} is not a real date") from None


def _optional_iso_date(value: Any) -> dt.date | None:
    return None if value is None else _iso_date(value)


def _status(value: Any) -> str:
    if value is None:
        return ACTION_AGREED
    text = value.strip() if isinstance(value, str) else value
    reason = check_status(text)
    if reason:
        raise _Invalid(reason)
    return str(text)


def _timestamp(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise _Invalid(f"must be an ISO 8601 date and time, not {kind_of(value)}")
    text = value.strip()
    try:
        dt.datetime.fromisoformat(text)
    except ValueError:
        raise _Invalid(
            f"must be an ISO 8601 date and time such as '2026-11-23T14:05:00Z', not {quote(value)}"
        ) from None
    return text


def _language(value: Any) -> str:
    if value is None:
        return DEFAULT_LANGUAGE
    if not isinstance(value, str):
        raise _Invalid(f"must be a language tag (text), not {kind_of(value)}")
    text = value.strip()
    if not text:
        return DEFAULT_LANGUAGE
    reason = check_language(text)
    if reason:
        raise _Invalid(reason)
    return text


def _domain(value: Any) -> str:
    if not isinstance(value, str):
        raise _Invalid(f"must be a domain slug (text), not {kind_of(value)}")
    if not is_domain(value):
        raise _Invalid(
            f"{quote(value)} is not one of the five domains ({', '.join(DOMAIN_SLUGS)})"
        )
    return value


def _rating(value: Any) -> int | None:
    return None if value is None else _whole_number(check_rating)(value)


def _participants(value: Any) -> int | None:
    return None if value is None else _whole_number(check_participants)(value)


def _list_or_empty(value: Any) -> Any:
    return [] if value is None else value


def _object_or_empty(value: Any) -> Any:
    return {} if value is None else value


# ---------------------------------------------------------------------------------------------
# The pydantic models: the shape of a version-1 file.


@functools.cache
def file_model() -> Any:
    from typing import Annotated

    from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
    from pydantic_core import PydanticCustomError

    def rule(check: Callable[[Any], Any]) -> Any:
        def validate(value: Any) -> Any:
            try:
                return check(value)
            except _Invalid as error:
                # The reason travels in the context, so braces in it are never read as a template.
                raise PydanticCustomError("nrp", "{reason}", {"reason": str(error)}) from None

        return BeforeValidator(validate)

    # Unknown fields are kept by pydantic ("allow") only so they can be named in warnings.
    config = ConfigDict(strict=True, extra="allow")

    class ActionModel(BaseModel):
        model_config = config
        what: Annotated[str, rule(_required_text(ACTION_WHAT_MAX))]
        who: Annotated[str, rule(_optional_text(SHORT_TEXT_MAX))] = ""
        when: Annotated[str, rule(_optional_text(SHORT_TEXT_MAX))] = ""
        # Contract §5.1: the state of an action, and where it came from.
        id: Annotated[str | None, rule(_optional_uuid)] = None
        status: Annotated[str, rule(_status)] = ACTION_AGREED
        progress: Annotated[str, rule(_optional_text(ACTION_PROGRESS_MAX))] = ""
        updated: Annotated[dt.date | None, rule(_optional_iso_date)] = None
        carried_from: Annotated[str | None, rule(_optional_uuid)] = None

    class PriorityModel(BaseModel):
        model_config = config
        id: Annotated[str | None, rule(_optional_uuid)] = None
        title: Annotated[str, rule(_required_text(PRIORITY_TITLE_MAX))]
        description: Annotated[str, rule(_optional_text(PRIORITY_TEXT_MAX))] = ""
        domains: Annotated[list[Annotated[str, rule(_domain)]], rule(_list_or_empty)] = []
        votes: Annotated[int, rule(_votes)] = 0
        group: Annotated[str | None, rule(_optional_label(GROUP_NAME_MAX))] = None
        lessons: Annotated[
            list[Annotated[str, rule(_required_text(LESSON_SLUG_MAX))]], rule(_list_or_empty)
        ] = []
        actions: Annotated[list[ActionModel], rule(_list_or_empty)] = []
        notes: Annotated[str, rule(_optional_text(PRIORITY_TEXT_MAX))] = ""
        carried_from: Annotated[str | None, rule(_optional_uuid)] = None

    class SessionModel(BaseModel):
        model_config = config
        id: Annotated[str | None, rule(_optional_uuid)] = None
        title: Annotated[str, rule(_required_text(SESSION_TITLE_MAX))]
        date: Annotated[dt.date, rule(_iso_date)]
        venue: Annotated[str, rule(_optional_text(SHORT_TEXT_MAX))] = ""
        neighbourhood: Annotated[str, rule(_optional_text(SHORT_TEXT_MAX))] = ""
        facilitator: Annotated[str, rule(_optional_text(SHORT_TEXT_MAX))] = ""
        participants: Annotated[int | None, rule(_participants)] = None
        language: Annotated[str, rule(_language)] = DEFAULT_LANGUAGE
        notes: Annotated[str, rule(_optional_text(SESSION_NOTES_MAX))] = ""
        ratings: Annotated[
            dict[Annotated[str, rule(_domain)], Annotated[int | None, rule(_rating)]],
            rule(_object_or_empty),
        ] = {}
        groups: Annotated[
            list[Annotated[str, rule(_required_text(GROUP_NAME_MAX))]], rule(_list_or_empty)
        ] = []
        priorities: Annotated[
            list[PriorityModel], rule(_list_or_empty), Field(max_length=PRIORITIES_MAX)
        ] = []
        follows: Annotated[str | None, rule(_optional_uuid)] = None

    class FileModel(BaseModel):
        model_config = config
        format: str
        version: int
        exported_at: Annotated[str | None, rule(_timestamp)] = None
        app_version: Annotated[str | None, rule(_optional_label(SHORT_TEXT_MAX))] = None
        content_version: Annotated[str | None, rule(_optional_label(SHORT_TEXT_MAX))] = None
        session: SessionModel

    return FileModel


def model_problems(model: Any, document: dict[str, Any]) -> list[tuple[str, str]]:
    from pydantic import ValidationError

    try:
        model.model_validate(document)
    except ValidationError as error:
        return [(place_of(problem["loc"]), _reason(problem)) for problem in error.errors()]
    return []


def validate_document(document: dict[str, Any], source: str) -> Any:
    from pydantic import ValidationError

    try:
        return file_model().model_validate(document)
    except ValidationError as error:
        problems = [(place_of(problem["loc"]), _reason(problem)) for problem in error.errors()]
        raise refusal(source, problems) from None


def refusal(source: str, problems: list[tuple[str, str]]) -> SessionFileError:
    place, reason = problems[0]
    if len(problems) > 1:
        more = len(problems) - 1
        reason += f" (and {more} more problem{'s' if more > 1 else ''})"
    return SessionFileError(source, place, reason)


def split_problems(problems: list[str]) -> list[tuple[str, str]]:
    """session_problems() lines as (place, reason); their places are built from field names, so
    the first ": " is where the reason begins."""
    return [(place, reason) for place, _, reason in (p.partition(": ") for p in problems)]


def _reason(problem: Any) -> str:
    kind = problem["type"]
    context = problem.get("ctx") or {}
    found = kind_of(problem.get("input"))
    if kind == "nrp":
        return str(context["reason"])
    if kind == "missing":
        return "is required"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"must be an object {{…}}, not {found}"
    if kind == "list_type":
        return f"must be a list […], not {found}"
    if kind == "string_type":
        return f"must be text, not {found}"
    if kind == "too_long":
        return f"must have at most {context.get('max_length')} items"
    return str(problem.get("msg", "is not valid")).splitlines()[0]


def collect_unknown_fields(model: Any, place: str, warnings: list[str]) -> None:
    from pydantic import BaseModel

    for key in model.model_extra or {}:
        warnings.append(f"{join_place(place, key)}: unknown field, ignored")
    for name in type(model).model_fields:
        value = getattr(model, name)
        child = join_place(place, name)
        if isinstance(value, BaseModel):
            collect_unknown_fields(value, child, warnings)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    collect_unknown_fields(item, f"{child}[{index}]", warnings)


