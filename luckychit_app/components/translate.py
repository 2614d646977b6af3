"""Text in components that follows the signed-in user's language without a reload."""

from __future__ import annotations

import reflex as rx

from luckychit_app.i18n import STRINGS
from luckychit_app.state.session import SessionState


def t(key: str) -> rx.Var:
    """Text that follows the signed-in user's language (SessionState.language)."""
    en, hi = STRINGS[key]
    return rx.cond(SessionState.language == "hi", hi, en)
