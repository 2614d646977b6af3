"""No-dues certificates (issue 15, item 12): once a group is closed, each seated ticket's member gets
a certificate that every subscription is paid, the prize was received, and nothing is due either
way, numbered per ticket (domain.closing.no_dues_number) and dated the day the group closed.

Who may open one: the ticket's member, the group's foreman, the platform admin, and the company's
staff who keep the books ("books") in the group's branch; anyone else is refused the same way
whether or not the ticket exists (as receipts are).
"""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from luckychit_app.clock import format_date, to_ist
from luckychit_app.domain.closing import no_dues_number
from luckychit_app.domain.money import format_inr
from luckychit_app.models import (
    Branch,
    ChitGroup,
    Company,
    Draw,
    Payment,
    PaymentAllocation,
    Payout,
    SubscriberRefund,
    Ticket,
    User,
)
from luckychit_app.services.access import Actor, group_in_reach, require_id, require_role
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.reporting.pdf_pages import new_page


def certificate_url(ticket_id: int) -> str:
    return f"/api/no-dues/{ticket_id}.pdf"


def _may_see(actor: Actor, ticket: Ticket, group: ChitGroup) -> bool:
    return (
        actor.role == "admin"
        or group.foreman_id == actor.user_id
        or (actor.role == "member" and ticket.member_id == actor.user_id)
        or (actor.role == "staff" and actor.can("books") and group_in_reach(actor, group))
    )


def _ticket_for(session: Session, actor: Actor | None, ticket_id: object) -> tuple[Ticket, ChitGroup]:
    actor = require_role(actor, "member", "foreman", "admin", "staff")
    ticket = session.get(Ticket, require_id(ticket_id, "ticket"))
    group = session.get(ChitGroup, ticket.group_id) if ticket is not None else None
    if ticket is None or group is None or not _may_see(actor, ticket, group):
        raise NotAllowed()
    return ticket, group


def certificate(session: Session, *, actor: Actor | None, ticket_id: object) -> dict[str, str]:
    """The certificate as display strings."""
    ticket, group = _ticket_for(session, actor, ticket_id)
    if group.status != "closed" or group.closed_at is None:
        raise ServiceError("The no-dues certificate is issued once the group is closed.")
    if ticket.status == "removed":
        raise ServiceError("This ticket left the group before it closed; it has no no-dues certificate.")
    member = session.get(User, ticket.member_id)
    foreman = session.get(User, group.foreman_id)
    branch = session.get(Branch, group.branch_id)
    company = session.get(Company, branch.company_id) if branch else None
    paid = int(
        session.exec(
            select(func.coalesce(func.sum(PaymentAllocation.amount), 0))
            .join(Payment, Payment.id == PaymentAllocation.payment_id)
            .where(Payment.ticket_id == ticket.id)
        ).one()
    )
    prize = session.exec(
        select(Payout, Draw.month)
        .join(Draw, Draw.id == Payout.draw_id)
        .where(Payout.ticket_id == ticket.id, Payout.status == "released")
    ).first()
    refund = session.exec(
        select(SubscriberRefund).where(
            SubscriberRefund.ticket_id == ticket.id, SubscriberRefund.status == "paid"
        )
    ).first()
    closed_on = format_date(to_ist(group.closed_at).date())
    prize_line = (
        f"received the prize of month {prize[1]}, {format_inr(prize[0].gross)}, on "
        f"{format_date(prize[0].paid_on)}"
        if prize is not None and prize[0].paid_on
        else "has no prize outstanding"
    )
    refund_line = (
        f" {format_inr(refund.amount)} owed back at the close was paid on "
        f"{format_date(to_ist(refund.paid_at).date())}."
        if refund is not None and refund.amount and refund.paid_at
        else ""
    )
    return {
        "number": no_dues_number(branch.code if branch else "LC", group.id, ticket.ticket_no),
        "date": closed_on,
        "company": company.name if company else "",
        "branch": branch.name if branch else "",
        "branch_address": branch.address if branch else "",
        "foreman": foreman.name if foreman else "",
        "member": member.name,
        "mobile": member.mobile,
        "group": group.name,
        "ticket_no": str(ticket.ticket_no),
        "chit_value": format_inr(group.chit_value),
        "started": format_date(group.start_date) if group.start_date else "—",
        "paid": format_inr(paid),
        "text": (
            f"This is to certify that {member.name}, holder of ticket no. {ticket.ticket_no} in the chit "
            f"group {group.name} (chit value {format_inr(group.chit_value)}, {group.tickets} instalments) "
            f"conducted by {company.name if company else foreman.name}, has paid every subscription due "
            f"on the ticket ({format_inr(paid)} in all) and {prize_line}.{refund_line} The group closed "
            f"on {closed_on}; nothing is due from the subscriber to the foreman, or from the foreman to "
            "the subscriber."
        ),
    }


def certificate_pdf(session: Session, *, actor: Actor | None, ticket_id: object) -> tuple[str, bytes]:
    """(file name, PDF bytes) of the certificate: A4, with the ₹ sign."""
    data = certificate(session, actor=actor, ticket_id=ticket_id)
    page = new_page(f"No-dues certificate {data['number']}")
    page.line(data["company"] or data["foreman"], size=12, bold=True)
    page.line(" · ".join(p for p in (data["branch"], data["branch_address"]) if p), size=9)
    page.pdf.ln(6)
    page.heading("No-dues certificate", size=18)
    page.pairs([("Certificate no.", data["number"]), ("Date", data["date"])], label_width=36)
    page.pdf.ln(4)
    page.pairs(
        [
            ("Member", f"{data['member']} ({data['mobile']})"),
            ("Group", data["group"]),
            ("Ticket", data["ticket_no"]),
            ("Chit value", data["chit_value"]),
            ("Started", data["started"]),
            ("Subscriptions paid", data["paid"]),
        ],
        label_width=36,
    )
    page.pdf.ln(4)
    page.line(data["text"], size=11)
    page.pdf.ln(18)
    page.line(f"For {data['company'] or data['foreman']}", size=10)
    page.pdf.ln(10)
    page.line(f"{data['foreman']}, foreman", size=10, bold=True)
    page.pdf.ln(6)
    page.line(
        "Issued by LuckyChit from the group's books: every account of the group and this ticket was "
        "zero when it closed.",
        size=8,
    )
    return f"no-dues-{data['number'].replace('/', '-')}.pdf", page.output()
