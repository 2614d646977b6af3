"""A group's Invite and Settings tabs: the invite link with its QR code and pending join requests, the
group's basics and terms as shown, and renaming a group or changing its UPI ID (every term kept as
it is; the groups service refuses term changes once the group runs).
"""

from __future__ import annotations

import segno
from sqlmodel import Session, select

from luckychit_app.clock import format_date
from luckychit_app.domain.money import format_inr, percent_bp
from luckychit_app.domain.terms import PERIOD_DAYS, max_discount_warning
from luckychit_app.models import ChitGroup, JoinRequest, Ticket, User
from luckychit_app.services.access import Actor, group_for_foreman, require_id
from luckychit_app.services.errors import NotAllowed
from luckychit_app.services.groups.setup import update_group
from luckychit_app.services.people.members import invite_url
from luckychit_app.services.reporting.display import relative_time, rupees_for_form


def group_invite(session: Session, *, actor: Actor | None, group_id: object, origin: object = "") -> dict:
    """The invite link with its QR code (an SVG data URI) and the group's pending join requests. The
    link is on the address the foreman opened the app at (`origin`) unless LUCKYCHIT_PUBLIC_URL says
    otherwise (members.invite_url)."""
    group = group_for_foreman(session, actor, group_id)
    link = invite_url(group.invite_code, origin)
    requests = session.exec(
        select(JoinRequest, User)
        .join(User, User.id == JoinRequest.user_id)
        .where(JoinRequest.group_id == group.id, JoinRequest.status == "pending")
        .order_by(JoinRequest.id)
    ).all()
    return {
        "link": link,
        "qr": segno.make(link, error="m").svg_data_uri(scale=5, dark="#0f172a"),
        "is_forming": group.status == "forming",
        "requests": [
            {
                "id": str(r.id),
                "name": u.name,
                "mobile": u.mobile,
                "message": r.message if r.message != "-" else "",
                "when": relative_time(r.created_at),
            }
            for r, u in requests
        ],
    }


def group_settings(session: Session, *, actor: Actor | None, group_id: object) -> dict[str, str]:
    """The group's editable basics and its terms as the settings tab shows them."""
    group = group_for_foreman(session, actor, group_id)
    return {
        "name": group.name,
        "upi_vpa": group.upi_vpa or "",
        "status": group.status,
        "terms_locked": "" if group.status == "forming" else "yes",
        "kind": "Auction" if group.kind == "auction" else "Lucky draw",
        "value": format_inr(group.chit_value),
        "tickets": str(group.tickets),
        "commission": f"{group.commission_bp / 100:g}%",
        "draw_day": str(group.draw_day) if group.period == "monthly" else "— (not used)",
        "late_fee": late_fee_sentence(group),
        "start": format_date(group.start_date) if group.start_date else "—",
        "invite_code": group.invite_code,
        **_agreement_terms(group),
    }


def late_fee_sentence(group: ChitGroup) -> str:
    """The group's late fee as a sentence ("No late fee", "₹100 a month on each overdue instalment,
    after 3 grace days"): the agreement's interest or penalty on a default (s.6(1)(c))."""
    if group.late_fee_mode == "flat":
        fee = f"{format_inr(group.late_fee_flat)} a month on each overdue instalment"
    elif group.late_fee_mode == "interest":
        fee = f"{percent_bp(group.late_fee_interest_bp)} a month on overdue dues"
    else:
        return "No late fee"
    days = group.grace_days
    grace = f"after {days} grace day{'s' if days != 1 else ''}" if days else "from the day after the due date"
    return f"{fee}, {grace}"


EARLY_DRAW_LABELS = {
    "warn": "Allowed, with a warning to the foreman",
    "refuse": "Refused: a draw is held on or after its date",
}


def _agreement_terms(group: ChitGroup) -> dict[str, str]:
    """The terms the Act leaves to the chit agreement (s.6), as the settings tab shows them, with the
    warning for a maximum discount above 40 % (allowed, not refused)."""
    auction = group.kind == "auction"
    return {
        "period": PERIOD_LABELS.get(group.period, group.period),
        "max_discount": percent_bp(group.max_discount_bp) if auction else "—",
        "discount_warning": max_discount_warning(group.max_discount_bp) if auction else "",
        "foreman_first_chit": "Yes: month 1 goes to the foreman's ticket (s.21(1)(a))"
        if group.foreman_first_chit
        else "No",
        "remainder_to": "The foreman (within the 7% cap)" if group.remainder_to == "foreman" else "The group",
        "forfeit_dividend_when_late": "Yes: a ticket in arrears gets no dividend that month"
        if group.forfeit_dividend_when_late
        else "No",
        "default_after": f"{group.default_after} unpaid instalment{'s' if group.default_after != 1 else ''}",
        "removal_deduction": f"{percent_bp(group.removal_deduction_bp)} of the chit value "
        f"({format_inr(group.chit_value * group.removal_deduction_bp // 10_000)})",
        "removed_refund_at": "When a substitute joins"
        if group.removed_refund_at == "substitution"
        else "At the group's close",
        "late_fee_pool_to": "Shared among members at the close"
        if group.late_fee_pool_to == "members"
        else "The foreman",
        # The Act has every draw on the agreement's date (s.16(1)); the agreement says how strictly.
        "early_draw": EARLY_DRAW_LABELS.get(group.early_draw, group.early_draw),
        "gst_recovery": "Borne by the foreman"
        if group.gst_recovery == "foreman"
        else "Recovered from the prize",
    }


PERIOD_LABELS = {
    "monthly": "Monthly (on the draw day)",
    **{p: f"{p.capitalize()} (every {d} days from the start date)" for p, d in PERIOD_DAYS.items()},
}


def save_group_basics(
    session: Session, *, actor: Actor | None, group_id: object, name: object, upi_vpa: object
) -> ChitGroup:
    """Rename the group or change its UPI ID, keeping every term exactly as it is (the groups
    service refuses term changes once the group runs, and audits what changed)."""
    group = group_for_foreman(session, actor, group_id)
    form = {
        "name": name,
        "upi_vpa": upi_vpa,
        "kind": group.kind,
        "chit_value": rupees_for_form(group.chit_value),
        "tickets": str(group.tickets),
        "commission_pct": _bp_text(group.commission_bp),
        "max_discount_pct": _bp_text(group.max_discount_bp),
        "min_bid_step": rupees_for_form(group.min_bid_step),
        "foreman_first_chit": group.foreman_first_chit,
        "remainder_to": group.remainder_to,
        "late_fee_mode": group.late_fee_mode,
        "late_fee_flat": rupees_for_form(group.late_fee_flat),
        "late_fee_interest_pct": _bp_text(group.late_fee_interest_bp),
        "grace_days": str(group.grace_days),
        "draw_day": str(group.draw_day),
        "period": group.period,
        "forfeit_dividend_when_late": group.forfeit_dividend_when_late,
        "default_after": str(group.default_after),
        "removal_deduction_pct": _bp_text(group.removal_deduction_bp),
        "removed_refund_at": group.removed_refund_at,
        "late_fee_pool_to": group.late_fee_pool_to,
        "early_draw": group.early_draw,
        "gst_recovery": group.gst_recovery,
    }
    return update_group(session, actor=actor, group_id=group.id, form=form)


def _bp_text(bp: int) -> str:
    """Basis points as the percentage text the group form accepts ("5.00", "2.50")."""
    return f"{bp // 100}.{bp % 100:02d}"


def ticket_in_group(session: Session, *, actor: Actor | None, ticket_id: object) -> Ticket:
    """The ticket, if it belongs to one of the actor's groups."""
    ticket = session.get(Ticket, require_id(ticket_id, "ticket"))
    if ticket is None:
        raise NotAllowed()
    group_for_foreman(session, actor, ticket.group_id)
    return ticket
