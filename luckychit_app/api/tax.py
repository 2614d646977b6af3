"""Authenticated GST downloads (issue 19): a commission's tax invoice as a PDF (its foreman's office,
the prized member it was issued to, the admin) and the financial year's GST summary CSV (the
company's owner). The services check who may read what; refusals are 401/403/400 with no data."""

from __future__ import annotations

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from luckychit_app.api.downloads import attachment, run_download
from luckychit_app.services.access import Actor
from luckychit_app.services.money import gst_documents


async def invoice_pdf(request: Request) -> Response:
    """GET /api/tax/invoices/{invoice_id}.pdf"""
    invoice_id = request.path_params["invoice_id"]

    def build(session: Session, actor: Actor, _primary: Session) -> Response:
        name, data = gst_documents.invoice_pdf(session, actor=actor, invoice_id=invoice_id)
        return attachment(name, data, "application/pdf")

    return await run_download(request, build, "Sign in to download this tax invoice.")


async def gst_summary(request: Request) -> Response:
    """GET /api/tax/gst-summary.csv?fy=2026-27: the caller's own company, so no id in the path."""
    fy = request.query_params.get("fy", "")

    def build(session: Session, actor: Actor, _primary: Session) -> Response:
        name, content = gst_documents.gst_summary_csv(session, actor=actor, fy=fy)
        # A byte-order mark makes Excel read the ₹ sign and Indian-script names as UTF-8.
        return attachment(name, ("\ufeff" + content).encode(), "text/csv; charset=utf-8")

    return await run_download(request, build, "Sign in as the company's owner to download this.")


TAX_ROUTES = [
    Route("/api/tax/invoices/{invoice_id:int}.pdf", invoice_pdf, methods=["GET"]),
    Route("/api/tax/gst-summary.csv", gst_summary, methods=["GET"]),
]
