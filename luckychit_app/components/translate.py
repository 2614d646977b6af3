"""Text in components that follows the signed-in user's language without a reload.

`t(key)` compiles to one small JavaScript object of the key's six texts indexed by the language in
the state, `{en: "Home", hi: "होम", ta: "முகப்பு", …}[language]`: a switch of language re-renders the
text at once, and each call site carries only its own key (not the whole catalogue: the member's
screens use about 230 of the 520 keys, the rest are written on the server with `i18n.text`). An
object literal is also about a third of what `rx.match` compiles to (a `switch` over JSON strings).
"""

from __future__ import annotations

import reflex as rx

from luckychit_app.i18n import TABLES, template
from luckychit_app.state.session import SessionState


def phrase(key: str, language: rx.Var) -> rx.Var:
    """The text of `key` in the language `language` holds (one of `locales.CODES`, which every
    service that stores a language checks), switched in the browser."""
    return rx.Var.create({code: template(code, key) for code in TABLES})[language].to(str)


def t(key: str) -> rx.Var:
    """Text that follows the signed-in user's language (SessionState.language)."""
    return phrase(key, SessionState.language)
