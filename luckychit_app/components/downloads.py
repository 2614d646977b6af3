"""Links to files the server sends (receipt PDFs, proofs, CSV exports, certificates)."""

from __future__ import annotations

import reflex as rx


def download_link(
    *children: rx.Component | rx.Var | str, href: rx.Var | str, filename: str | bool = True, **props: object
) -> rx.Component:
    """A link the browser saves while the page stays. In Reflex 0.10 `rx.el.a` is react-router's
    Link: without `reload_document` a click routed inside the app to a page that does not exist
    (the PDF "downloaded" as the app's not-found page), and `target="_blank"` left phones with an
    empty tab."""
    return rx.el.a(*children, href=href, download=filename, reload_document=True, **props)
