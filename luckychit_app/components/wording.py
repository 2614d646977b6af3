"""Counts in words inside components, for a count a state keeps as a display string: the twin of
domain/wording.plural (which words the counts services write), so a page never shows "1 messages"."""

from __future__ import annotations

import reflex as rx


def counted(count: rx.Var, one: str | rx.Var, many: str | rx.Var) -> rx.Component:
    """`count` then `one` or `many`: counted(t["messages"], "message", "messages") -> "1 message"."""
    return rx.text.span(count, " ", rx.cond(count.to(str) == "1", one, many))
