"""Member disputes: a query on a payment or a draw, kept as a thread the group's foreman answers.

A dispute belongs to the group of its subject, so only the member who raised it and that group's
foreman (or an admin) can read or write in it. Every message notifies the other side in the same
transaction, and every change is audited, because a dispute is often the first sign of a money
problem and its history must hold up later.

The member pages call `raise_dispute`, `add_message`, `threads_for_member` and `thread`; the
foreman pages call `threads_for_foreman`, `thread`, `add_message` and `close_dispute`.
"""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from luckychit_app.clock import format_datetime_ist, utcnow
from luckychit_app.domain.money import format_inr, receipt_label
from luckychit_app.i18n import text
from luckychit_app.models import Branch, ChitGroup, Dispute, DisputeMessage, Draw, Payment, Ticket, User
from luckychit_app.services import audit
from luckychit_app.services.access import Actor, require_id, require_role
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.messages.notifications import notify
from luckychit_app.services.validation import clean_text, page_window

SUBJECT_TYPES = ("payment", "draw")
STATUSES = ("open", "answered", "closed")
MAX_PAGE = 100


def _member_holds_ticket(session: Session, user_id: int, group_id: int) -> bool:
    return (
        session.exec(
            select(Ticket.id).where(Ticket.group_id == group_id, Ticket.member_id == user_id).limit(1)
        ).first()
        is not None
    )


def _subject_group(session: Session, actor: Actor, subject_type: object, subject_id: object) -> int:
    """The group a member's dispute belongs to, if the subject is theirs to question."""
    if subject_type not in SUBJECT_TYPES:
        raise ServiceError("A query is about a payment or a draw.", "subject_type")
    sid = require_id(subject_id, subject_type)
    if subject_type == "payment":
        payment = session.get(Payment, sid)
        if payment is None:
            raise NotAllowed()
        ticket = session.get(Ticket, payment.ticket_id)
        if ticket is None or actor.user_id not in (ticket.member_id, payment.payer_id):
            raise NotAllowed()
        return payment.group_id
    draw = session.get(Draw, sid)
    if draw is None or not _member_holds_ticket(session, actor.user_id, draw.group_id):
        raise NotAllowed()
    return draw.group_id


def _dispute_for(session: Session, actor: Actor | None, dispute_id: object) -> tuple[Dispute, ChitGroup]:
    """The dispute, if the actor raised it, runs its group, or is an admin."""
    actor = require_role(actor, "member", "foreman", "admin")
    dispute = session.get(Dispute, require_id(dispute_id, "query"))
    if dispute is None:
        raise NotAllowed()
    group = session.get(ChitGroup, dispute.group_id)
    allowed = (
        actor.role == "admin"
        or dispute.raised_by_id == actor.user_id
        or (actor.role == "foreman" and group is not None and group.foreman_id == actor.user_id)
    )
    if not allowed or group is None:
        raise NotAllowed()
    return dispute, group


def _clean_body(body: object) -> str:
    return clean_text(body, field="body", label="Message", min_len=3, max_len=1000)


def raise_dispute(
    session: Session,
    *,
    actor: Actor | None,
    subject_type: object,
    subject_id: object,
    title: object,
    body: object,
) -> Dispute:
    """A member questions one of their payments or a draw of a group they belong to."""
    actor = require_role(actor, "member")
    group_id = _subject_group(session, actor, subject_type, subject_id)
    clean_title = clean_text(title, field="title", label="Subject", min_len=3, max_len=120)
    text = _clean_body(body)
    group = session.get(ChitGroup, group_id)
    dispute = Dispute(
        group_id=group_id,
        raised_by_id=actor.user_id,
        subject_type=subject_type,
        subject_id=int(subject_id),
        title=clean_title,
    )
    session.add(dispute)
    session.flush()
    session.add(DisputeMessage(dispute_id=dispute.id, author_id=actor.user_id, body=text))
    audit.record(
        session,
        actor_id=actor.user_id,
        action="dispute.raised",
        object_type="dispute",
        object_id=dispute.id,
        detail={"group_id": group_id, "subject": f"{subject_type}:{subject_id}", "title": clean_title},
    )
    notify(
        session,
        [group.foreman_id],
        kind="dispute",
        title=f"New query in {group.name}: {clean_title}",
        body=text[:200],
        link=f"/f/disputes?open={dispute.id}",
    )
    session.flush()
    return dispute


def add_message(session: Session, *, actor: Actor | None, dispute_id: object, body: object) -> DisputeMessage:
    """A reply in the thread. The foreman's reply marks it answered; the member's reopens it."""
    dispute, group = _dispute_for(session, actor, dispute_id)
    if dispute.status == "closed":
        raise ServiceError("This query is closed.")
    text = _clean_body(body)
    message = DisputeMessage(dispute_id=dispute.id, author_id=actor.user_id, body=text)
    session.add(message)
    by_member = actor.user_id == dispute.raised_by_id
    dispute.status = "open" if by_member else "answered"
    dispute.updated_at = utcnow()
    session.add(dispute)
    session.flush()
    audit.record(
        session,
        actor_id=actor.user_id,
        action="dispute.message",
        object_type="dispute",
        object_id=dispute.id,
        detail={"message_id": message.id, "status": dispute.status},
    )
    notify(
        session,
        [group.foreman_id] if by_member else [dispute.raised_by_id],
        kind="dispute",
        title=f"{'New reply' if by_member else 'Answer'} on “{dispute.title}”",
        body=text[:200],
        link=f"/f/disputes?open={dispute.id}" if by_member else f"/m/queries/{dispute.id}",
        title_key="" if by_member else "notify.dispute_answer",
        values={"title": dispute.title},
    )
    return message


def close_dispute(session: Session, *, actor: Actor | None, dispute_id: object) -> Dispute:
    """Either side may close a settled query; a closed thread stays readable."""
    dispute, group = _dispute_for(session, actor, dispute_id)
    if dispute.status == "closed":
        raise ServiceError("This query is already closed.")
    dispute.status, dispute.updated_at = "closed", utcnow()
    session.add(dispute)
    audit.record(
        session,
        actor_id=actor.user_id,
        action="dispute.closed",
        object_type="dispute",
        object_id=dispute.id,
        detail={"group_id": group.id},
    )
    other = dispute.raised_by_id if actor.user_id != dispute.raised_by_id else group.foreman_id
    notify(
        session,
        [other],
        kind="dispute",
        title=f"Query closed: {dispute.title}",
        title_key="notify.dispute_closed",
        values={"title": dispute.title},
    )
    return dispute


def _subject_label(session: Session, dispute: Dispute, lang: str = "en") -> str:
    if dispute.subject_type == "payment":
        payment = session.get(Payment, dispute.subject_id)
        if payment is None:
            return text(lang, "dispute.payment")
        if payment.receipt_no:
            # The number as the receipt prints it ("MAIN/000177", domain/money.receipt_label).
            branch_id = payment.branch_id or session.get(ChitGroup, payment.group_id).branch_id
            branch = session.get(Branch, branch_id)
            receipt = receipt_label(branch.code, payment.receipt_no)
            return text(lang, "dispute.payment_receipt", amount=format_inr(payment.amount), receipt=receipt)
        return text(lang, "dispute.payment_of", amount=format_inr(payment.amount))
    draw = session.get(Draw, dispute.subject_id)
    return text(lang, "dispute.draw_month", month=draw.month) if draw else text(lang, "dispute.draw")


def _summaries(session: Session, disputes: list[Dispute], lang: str = "en") -> list[dict[str, str]]:
    """Display rows for a page of disputes, with three set-based lookups instead of one per row.
    ``lang`` is the member's language on their own pages; the foreman's pages stay English."""
    if not disputes:
        return []
    ids = [d.id for d in disputes]
    counts = dict(
        session.exec(
            select(DisputeMessage.dispute_id, func.count())
            .where(DisputeMessage.dispute_id.in_(ids))
            .group_by(DisputeMessage.dispute_id)
        ).all()
    )
    groups = {
        g.id: g.name
        for g in session.exec(select(ChitGroup).where(ChitGroup.id.in_({d.group_id for d in disputes}))).all()
    }
    people = {
        u.id: u.name
        for u in session.exec(select(User).where(User.id.in_({d.raised_by_id for d in disputes}))).all()
    }
    return [
        {
            "id": str(d.id),
            "title": d.title,
            "group": groups.get(d.group_id, ""),
            "member": people.get(d.raised_by_id, ""),
            "subject": _subject_label(session, d, lang),
            "status": text(lang, f"qstatus.{d.status}") if d.status in STATUSES else d.status,
            "messages": str(counts.get(d.id, 0)),
            "updated": format_datetime_ist(d.updated_at),
        }
        for d in disputes
    ]


def threads_for_member(
    session: Session, *, actor: Actor | None, offset: int = 0, limit: int = 20
) -> list[dict[str, str]]:
    """The member's own queries, newest activity first."""
    actor = require_role(actor, "member")
    first, size = page_window(offset, limit, max_limit=MAX_PAGE)
    rows = session.exec(
        select(Dispute)
        .where(Dispute.raised_by_id == actor.user_id)
        .order_by(Dispute.updated_at.desc(), Dispute.id.desc())
        .offset(first)
        .limit(size)
    ).all()
    return _summaries(session, list(rows), actor.language)


def threads_for_foreman(
    session: Session,
    *,
    actor: Actor | None,
    status: object = "",
    offset: int = 0,
    limit: int = 20,
) -> tuple[list[dict[str, str]], int]:
    """Queries in the foreman's groups (open and answered first), with the total for paging."""
    actor = require_role(actor, "foreman", "admin")
    if status not in ("", *STATUSES):
        raise ServiceError("Unknown status.", "status")
    first, size = page_window(offset, limit, max_limit=MAX_PAGE)
    where = []
    if actor.role == "foreman":
        where.append(Dispute.group_id.in_(select(ChitGroup.id).where(ChitGroup.foreman_id == actor.user_id)))
    if status:
        where.append(Dispute.status == status)
    total = session.exec(select(func.count()).select_from(Dispute).where(*where)).one()
    rows = session.exec(
        select(Dispute)
        .where(*where)
        .order_by((Dispute.status == "closed"), Dispute.updated_at.desc(), Dispute.id.desc())
        .offset(first)
        .limit(size)
    ).all()
    return _summaries(session, list(rows)), int(total)


def thread(session: Session, *, actor: Actor | None, dispute_id: object) -> dict:
    """One query with all its messages, oldest first, for either side of it."""
    dispute, _group = _dispute_for(session, actor, dispute_id)
    messages = session.exec(
        select(DisputeMessage, User)
        .join(User, User.id == DisputeMessage.author_id)
        .where(DisputeMessage.dispute_id == dispute.id)
        .order_by(DisputeMessage.id)
    ).all()
    lang = actor.language if actor is not None and actor.role == "member" else "en"
    summary = _summaries(session, [dispute], lang)[0]
    return {
        **summary,
        "is_closed": dispute.status == "closed",
        "thread": [
            {
                "id": str(m.id),
                "author": u.name,
                "by_member": "yes" if m.author_id == dispute.raised_by_id else "",
                "body": m.body,
                "at": format_datetime_ist(m.created_at),
            }
            for m, u in messages
        ],
    }
