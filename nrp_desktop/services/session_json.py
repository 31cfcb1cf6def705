"""The first checks of a session file's bytes, cheapest first: size, UTF-8, strict JSON (no
duplicate keys, no NaN, no endless numbers), nesting depth, then the format name and version."""

from __future__ import annotations

import json
from typing import Any

from nrp_desktop.services.session_format import (
    FORMAT_NAME,
    FORMAT_VERSION,
    MAX_FILE_BYTES,
    MAX_NESTING,
    MAX_NUMBER_DIGITS,
    SessionFileError,
    kind_of,
    place_of,
    quote,
)


def too_large(source: str, size: int) -> SessionFileError:
    megabytes = size / (1024 * 1024)
    limit = MAX_FILE_BYTES // (1024 * 1024)
    return SessionFileError(
        source, "", f"the file is too large ({megabytes:.1f} MB); session files are at most {limit} MB"
    )


class _DuplicateKeyObject(dict):  # type: ignore[type-arg]
    """A JSON object in which a key appeared twice; the walk in _check_nesting reports it."""

    duplicate_key: str = ""


class _NumberTooLong(ValueError):
    pass


def _object_from_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) == len(pairs):
        return result
    seen: set[str] = set()
    marked = _DuplicateKeyObject(result)
    for key, _value in pairs:
        if key in seen:
            marked.duplicate_key = key
            break
        seen.add(key)
    return marked


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise _NumberTooLong(text[:20])
    return int(text)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def decode_json(data: bytes, source: str) -> Any:
    offset = 0
    if data.startswith(b"\xef\xbb\xbf"):
        data, offset = data[3:], 3  # a byte-order mark, as Windows Notepad saves UTF-8: harmless
    if not data.strip():
        raise SessionFileError(source, "", "the file is empty")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        byte = data[error.start]
        raise SessionFileError(
            source,
            "",
            f"the file is not UTF-8 text (an invalid byte, 0x{byte:02X}, "
            f"at byte offset {error.start + offset})",
        ) from None
    try:
        document = json.loads(
            text,
            object_pairs_hook=_object_from_pairs,
            parse_int=_parse_int,
            parse_constant=_refuse_constant,
        )
    except json.JSONDecodeError as error:
        detail = error.msg[:1].lower() + error.msg[1:]
        if detail.endswith(" at"):  # "Unterminated string starting at": the place follows
            detail = detail.removesuffix(" at") + " here"
        raise SessionFileError(
            source,
            "",
            f"the file is not valid JSON (line {error.lineno}, column {error.colno}: {detail})",
        ) from None
    except RecursionError:
        raise _too_deep(source) from None
    except _NumberTooLong:
        raise SessionFileError(
            source, "", f"the file holds a number with more than {MAX_NUMBER_DIGITS} digits"
        ) from None
    except ValueError as error:  # NaN or Infinity, refused by _refuse_constant
        raise SessionFileError(source, "", f"the file is not valid JSON ({error})") from None
    _check_nesting(document, source)
    return document


def _too_deep(source: str) -> SessionFileError:
    return SessionFileError(
        source, "", f"the file's JSON is nested too deeply (more than {MAX_NESTING} levels)"
    )


def _check_nesting(document: Any, source: str) -> None:
    """Refuse nesting beyond MAX_NESTING and repeated keys; iterative, so it cannot overflow."""
    stack: list[tuple[Any, int, tuple[str | int, ...]]] = [(document, 1, ())]
    while stack:
        node, depth, place = stack.pop()
        if isinstance(node, dict):
            if depth > MAX_NESTING:
                raise _too_deep(source)
            if isinstance(node, _DuplicateKeyObject):
                raise SessionFileError(
                    source,
                    place_of(place),
                    f"the key {quote(node.duplicate_key)} appears twice in the same object",
                )
            stack.extend((value, depth + 1, (*place, key)) for key, value in node.items())
        elif isinstance(node, list):
            if depth > MAX_NESTING:
                raise _too_deep(source)
            stack.extend((value, depth + 1, (*place, index)) for index, value in enumerate(node))


def check_format_and_version(document: Any, source: str) -> None:
    if not isinstance(document, dict):
        raise SessionFileError(
            source, "", f"the file must hold one JSON object, not {kind_of(document)}"
        )
    not_ours = f'must be "{FORMAT_NAME}" (this is not an NRP Desktop session file)'
    if "format" not in document:
        raise SessionFileError(source, "format", f"is missing; it {not_ours}")
    found = document["format"]
    if found != FORMAT_NAME:
        shown = quote(found) if isinstance(found, str) else kind_of(found)
        raise SessionFileError(source, "format", f"{not_ours}, not {shown}")
    if "version" not in document:
        raise SessionFileError(source, "version", "is missing; it must be a whole number")
    version = document["version"]
    if isinstance(version, bool) or not isinstance(version, int):
        raise SessionFileError(source, "version", f"must be a whole number, not {kind_of(version)}")
    if version > FORMAT_VERSION:
        raise SessionFileError(
            source,
            "version",
            f"the file was made by a newer version of NRP Desktop (format version {version}; "
            f"this version reads format version {FORMAT_VERSION}): update NRP Desktop to open it",
        )
    if version < FORMAT_VERSION:
        raise SessionFileError(source, "version", f"must be {FORMAT_VERSION}, not {version}")


