"""Refuse events whose arguments cannot be what the handler was written for.

Reflex lets the browser call any public handler with any JSON payload. Handlers and services
validate every value they use, but a handler written as `def submit(self, form: dict)` still
starts with `form.get(...)`: a crafted event carrying `form=null` (or a number, a list, a string),
an unknown keyword or a missing one, or an upload handler's `files` as plain JSON made the handler
raise before any check ran - nothing was changed, but the server logged a traceback and the user
saw Reflex's generic error. This middleware checks, before the handler runs, that the payload's
keys are the handler's parameters and that container-typed arguments have their declared shape
(`dict` forms are dicts, `list[...]` arguments are lists, and upload files are files, which only
Reflex's /_upload endpoint can produce), and that no text holds a lone UTF-16 surrogate (which made
the database driver or bcrypt fail with a server error). Anything else is dropped with a plain
message. Scalars (`str`, `int`, `bool`) are left to the handlers and services, which clamp and
validate them.

Two of Reflex's own events are guarded too (issue 17, item 5), refused quietly (no toast: no page of
the app sends them so) and logged once per event name: `setvar`, which no page uses (every setter
the pages call is a handler of its own, guarded above), and `set_is_hydrated` with anything but the
`{"value": true|false}` the framework's page sends.
"""

from __future__ import annotations

import functools
import inspect
import logging
import re
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any

import reflex as rx
from reflex.middleware import Middleware
from reflex.state import StateUpdate
from reflex_base.event import Event
from reflex_base.registry import RegistrationContext

log = logging.getLogger("luckychit")
REFUSED = "That request could not be understood. Reload the page and try again."


@functools.lru_cache(maxsize=512)
def _signature(fn: Callable[..., Any]) -> tuple[dict[str, Any], frozenset[str], bool]:
    """(type hints of the parameters, required parameter names, accepts **kwargs)."""
    params = list(inspect.signature(fn).parameters.values())[1:]  # without self
    try:
        hints = typing.get_type_hints(fn)
    except Exception:  # an unresolvable annotation: check names only
        hints = {}
    names = {
        p.name: hints.get(p.name, Any) for p in params if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    }
    required = frozenset(
        p.name for p in params if p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    )
    return names, required, any(p.kind is p.VAR_KEYWORD for p in params)


def _fits(value: Any, hint: Any) -> bool:
    """Whether `value` can be what a container-typed `hint` describes (scalars always pass)."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return any(_fits(value, member) for member in typing.get_args(hint))
    if hint in (dict, Mapping) or origin in (dict, Mapping):
        return isinstance(value, Mapping)
    if hint is list or origin is list:
        if not isinstance(value, list):
            return False
        args = typing.get_args(hint)
        if args and args[0] is rx.UploadFile:
            return all(isinstance(item, rx.UploadFile) for item in value)
        return True
    if hint is rx.UploadFile:
        return isinstance(value, rx.UploadFile)
    return True


def check_payload(fn: Callable[..., Any], payload: Mapping[str, Any]) -> str | None:
    """Why this payload cannot be passed to the handler function `fn`, or None when it can."""
    names, required, var_kw = _signature(fn)
    unknown = [k for k in payload if k not in names]
    if unknown and not var_kw:
        return f"unknown argument {unknown[0][:40]!r}"
    missing = sorted(required - set(payload))
    if missing:
        return f"missing argument {missing[0]!r}"
    for key, value in payload.items():
        if key in names and not _fits(value, names[key]):
            return f"argument {key!r} has the wrong type ({type(value).__name__})"
    return None


_SURROGATE = re.compile("[\ud800-\udfff]")
MAX_DEPTH = 32


def has_lone_surrogate(value: Any, depth: int = 0) -> bool:
    """Whether any text in the payload holds a lone UTF-16 surrogate ("\\ud800" is valid JSON but
    not text: a browser's form never sends one, and the database driver and bcrypt cannot encode
    it). Nesting deeper than any form is treated the same way."""
    if depth > MAX_DEPTH:
        return True
    if isinstance(value, str):
        return _SURROGATE.search(value) is not None
    if isinstance(value, Mapping):
        return any(
            has_lone_surrogate(k, depth + 1) or has_lone_surrogate(v, depth + 1) for k, v in value.items()
        )
    if isinstance(value, list | tuple):
        return any(has_lone_surrogate(v, depth + 1) for v in value)
    return False


_LOGGED: set[str] = set()


def builtin_problem(name: str, payload: Any) -> str | None:
    """Why one of Reflex's built-in events is refused, or None when it goes through."""
    method = name.rsplit(".", 1)[-1]
    if method == "setvar":
        return "setvar is not used by this app"
    if method == "set_is_hydrated" and not (
        isinstance(payload, Mapping) and set(payload) == {"value"} and isinstance(payload["value"], bool)
    ):
        return "set_is_hydrated takes only value=true|false"
    return None


def _quiet_refusal(name: str, problem: str) -> StateUpdate:
    """Nothing sent back; said in the log the first time an event name is refused this way."""
    if name not in _LOGGED:
        _LOGGED.add(name)
        log.warning("refused built-in event %s: %s (further ones not logged)", name[-80:], problem)
    return StateUpdate()


class EventArgumentGuard(Middleware):
    """App middleware: drops an event of this app's states whose payload does not fit the handler,
    and the built-in events no page of the app sends in that form."""

    async def preprocess(self, app: Any, state: Any, event: Event) -> StateUpdate | None:
        if (problem := builtin_problem(event.name, event.payload)) is not None:
            return _quiet_refusal(event.name, problem)
        try:
            registered = RegistrationContext.get().event_handlers.get(event.name)
        except LookupError:
            return None
        if registered is None or not registered.handler.fn.__module__.startswith("luckychit_app."):
            return None
        if isinstance(event.payload, Mapping):
            problem = check_payload(registered.handler.fn, event.payload)
            if problem is None and has_lone_surrogate(event.payload):
                problem = "text that is not valid Unicode"
        else:
            problem = f"the payload is a {type(event.payload).__name__}, not an object"
        if problem is None:
            return None
        log.warning("refused event %s: %s", event.name[-80:], problem)
        return StateUpdate(events=Event.from_event_type(rx.toast.error(REFUSED, position="top-center")))
