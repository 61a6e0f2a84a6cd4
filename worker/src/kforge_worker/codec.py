"""Generic dataclass <-> JSON value conversion for the protocol messages, driven by type hints.

Decoding is strict (a missing required field or a wrong type is a ``bad_request`` naming the field); unknown
fields are ignored so that a newer orchestrator can add fields. Encoding turns non-finite floats into ``None``.
"""

from __future__ import annotations

import dataclasses
import math
import types
import typing
from typing import Any, Union

from .errors import WorkerError, bad_request


def reject_constant(name: str) -> Any:
    """``json.loads(parse_constant=...)`` hook: NaN and Infinity are not JSON numbers in this protocol."""
    raise ValueError(f"{name} is not allowed; send non-finite numbers as null")


def encode(value: Any, omit_none: tuple[type, ...] = ()) -> Any:
    """Dataclasses -> dicts, tuples -> lists, NaN/inf -> None; fields that are None are left out of ``omit_none`` types."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (tuple, list)):
        return [encode(item, omit_none) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        body = {field.name: encode(getattr(value, field.name), omit_none) for field in dataclasses.fields(value)}
        if isinstance(value, omit_none):
            body = {key: item for key, item in body.items() if item is not None}
        return body
    return value


_HINTS: dict[type, dict[str, Any]] = {}


def decode(tp: Any, value: Any, where: str) -> Any:
    """A JSON value as type ``tp`` (a dataclass, tuple[T, ...], dict[str, T], a union with None, int, float, str, bool)."""
    if tp is Any:  # free-form JSON (the exported graph), passed through as parsed
        return value
    origin = typing.get_origin(tp)
    if origin is Union or origin is types.UnionType:
        options = [arg for arg in typing.get_args(tp) if arg is not type(None)]
        if value is None and len(options) < len(typing.get_args(tp)):
            return None
        for option in options[:-1]:
            try:
                return decode(option, value, where)
            except WorkerError:
                continue
        return decode(options[-1], value, where)
    if value is None:
        raise bad_request(f"{where} must not be null.")
    if origin is dict:  # dict[str, T]: a JSON object with string keys
        if not isinstance(value, dict):
            raise bad_request(f"{where} must be a JSON object, got {type(value).__name__}.")
        item_type = typing.get_args(tp)[1]
        return {key: decode(item_type, item, f"{where}[{key!r}]") for key, item in value.items()}
    if origin is tuple:
        if not isinstance(value, list):
            raise bad_request(f"{where} must be a JSON array, got {type(value).__name__}.")
        item_type = typing.get_args(tp)[0]
        return tuple(decode(item_type, item, f"{where}[{i}]") for i, item in enumerate(value))
    if dataclasses.is_dataclass(tp):
        return _decode_dataclass(tp, value, where)
    if tp is bool and isinstance(value, bool):
        return value
    if tp is int and isinstance(value, int) and not isinstance(value, bool):
        return value
    if tp is float and isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if tp is str and isinstance(value, str):
        return value
    raise bad_request(f"{where} must be {_type_word(tp)}, got {type(value).__name__} {value!r:.40}.")


def _decode_dataclass(cls: type, value: Any, where: str) -> Any:
    if not isinstance(value, dict):
        raise bad_request(f"{where} must be a JSON object, got {type(value).__name__}.")
    hints = _HINTS.get(cls)
    if hints is None:
        hints = _HINTS[cls] = typing.get_type_hints(cls)
    arguments: dict[str, Any] = {}
    for field in dataclasses.fields(cls):
        if field.name in value:
            arguments[field.name] = decode(hints[field.name], value[field.name], f"{where}.{field.name}")
        elif field.default is dataclasses.MISSING:
            raise bad_request(f"{where} is missing the field \"{field.name}\".")
    return cls(**arguments)


def _type_word(tp: Any) -> str:
    return {bool: "true or false", int: "an integer", float: "a number", str: "a string"}.get(tp, str(tp))
