"""A prized subscriber's security deposit as money in the books (Chit Funds Act 1982 s.21(1)(e)).

Recording a "deposit" security (services.money.payouts.add_security) means the foreman holds that
money for the prized subscriber, in one of two ways:

- received from them by cash, bank transfer or UPI, with a reference and the day it came in: posted
  at once, Dr the group's cash, Cr the ticket's security deposit (``security_deposit:{security}``);
- kept back from their own prize when it is released (method "prize"): nothing moves until the
  release, which posts Dr the ticket's prize payable, Cr its security deposit (same key), and pays
  out that much less cash. (Future installments deducted from the prize, kind "deduct_future", stay
  what they were: money that pays the subscriptions at once.)

The deposit belongs to the subscriber: it is applied to their dues only when they default, after
the written demand (s.32-s.33; services.groups.deposit_recovery), and what is left once every
subscription is paid goes back to them at the group's close (services.groups.closing). The account
is the ticket's, like its advance: a transferred ticket's deposit goes with it (services.groups.
transfers: the holders settle the seat's rights between them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, select

from luckychit_app.clock import format_date, today_ist
from luckychit_app.domain import ledger as books
from luckychit_app.domain.money import format_inr
from luckychit_app.models import ChitGroup, JournalEntry, Payout, PostingRow, PrizeSecurity
from luckychit_app.services.errors import ServiceError
from luckychit_app.services.groups.locking import refuse_money_if_locked
from luckychit_app.services.money.allocation import lock_ticket
from luckychit_app.services.money.ledger import balance, post
from luckychit_app.services.validation import clean_date, clean_text

DEPOSIT_METHODS = ("cash", "bank", "upi", "prize")
"""How the deposit reaches the foreman: paid by the subscriber, or kept back from their prize."""
METHOD_WORDS = {"cash": "cash", "bank": "bank transfer", "upi": "UPI", "prize": "kept from the prize"}


@dataclass(frozen=True)
class Receipt:
    """How a deposit came in: ``method`` is one of DEPOSIT_METHODS; for "prize" there is no
    reference or day (it is kept when the prize is released)."""

    method: str
    reference: str = ""
    day: date | None = None

    def words(self) -> str:
        if self.method == "prize":
            return "to be kept from the prize at its release"
        return f"{METHOD_WORDS[self.method]} {self.reference} on {format_date(self.day)}"


def key_of(security_id: int) -> str:
    return f"security_deposit:{security_id}"


def clean_receipt(
    method: object, reference: object, received_on: object, *, prize_payable: bool, drawn_on: date | None
) -> Receipt:
    """Check how a deposit was received (s.21(1)(e): the security is money the foreman really holds).
    Cash needs no reference; bank and UPI do. The day is not in the future nor before the draw
    whose prize the deposit secures. "prize" is possible only while the prize is still payable."""
    if method not in DEPOSIT_METHODS:
        raise ServiceError(
            "Say how the deposit was received: cash, bank transfer, UPI, or kept back from the prize.",
            "method",
        )
    if method == "prize":
        if not prize_payable:
            raise ServiceError(
                "The prize has been paid, so the deposit cannot be kept from it: record the cash, bank "
                "transfer or UPI payment the subscriber made.",
                "method",
            )
        return Receipt("prize")
    ref = clean_text(
        reference if reference not in (None, "") or method != "cash" else "Cash",
        field="reference",
        label="Reference",
        min_len=3 if method != "cash" else 1,
        max_len=100,
    )
    day = clean_date(received_on, field="received_on", label="Date received")
    if day > today_ist():
        raise ServiceError("The date received cannot be in the future.", "received_on")
    if drawn_on is not None and day < drawn_on:
        raise ServiceError(
            "A security deposit is given after the prize is won, not before its draw.", "received_on"
        )
    return Receipt(method, ref, day)


def receive(
    session: Session,
    *,
    group: ChitGroup,
    ticket_id: int,
    security: PrizeSecurity,
    receipt: Receipt,
    actor_id: int,
) -> None:
    """Book a deposit the subscriber paid: Dr cash, Cr the ticket's security deposit (s.21(1)(e)).
    A deposit to be kept from the prize is booked at the release (:func:`keep_from_prize`)."""
    refuse_money_if_locked(session, group)  # a closed group, or one settled for closing, takes no money
    if receipt.method == "prize":
        return
    lock_ticket(session, ticket_id)  # as every money writer on the ticket (allocation.lock_ticket)
    post(
        session,
        books.security_deposit_received(
            group.id, ticket_id, security.id, security.value, how=receipt.words()
        ),
        group_id=group.id,
        created_by_id=actor_id,
    )


def booked(session: Session, security_ids: list[int]) -> dict[int, bool]:
    """Of these securities, those whose deposit is in the books: id -> whether it was kept from the
    prize (False: paid by the subscriber)."""
    if not security_ids:
        return {}
    keys = {key_of(sid): sid for sid in security_ids}
    rows = session.exec(
        select(JournalEntry.key, PostingRow.account)
        .join(PostingRow, PostingRow.entry_id == JournalEntry.id)
        .where(JournalEntry.key.in_(list(keys)), PostingRow.amount > 0)
    ).all()
    return {keys[key]: books.account_kind(account) == "prize_payable" for key, account in rows}


def pending_from_prize(session: Session, securities: list[PrizeSecurity]) -> list[PrizeSecurity]:
    """The standing deposit securities still to be kept back from the prize at its release."""
    deposits = [s for s in securities if s.kind == "deposit" and s.released_at is None]
    done = booked(session, [s.id for s in deposits])
    return [s for s in deposits if s.id not in done]


def keep_from_prize(
    session: Session, *, payout: Payout, securities: list[PrizeSecurity], actor_id: int
) -> int:
    """At the release: book each deposit to be kept from the prize (Dr prize payable, Cr security
    deposit; s.21(1)(e)). Returns the paise kept, which the release pays out less in cash."""
    kept = 0
    for security in pending_from_prize(session, securities):
        post(
            session,
            books.security_deposit_received(
                payout.group_id, payout.ticket_id, security.id, security.value, from_prize=True
            ),
            group_id=payout.group_id,
            created_by_id=actor_id,
        )
        kept += security.value
    return kept


def kept_from_prizes(session: Session, payouts: list[Payout]) -> dict[int, int]:
    """Paise of each prize kept back as security deposits (what its release paid less in cash), in
    two queries for any number of prizes; prizes that kept none are left out."""
    if not payouts:
        return {}
    by_id = {p.id: p for p in payouts}
    keys = {
        key_of(sid): pid
        for sid, pid in session.exec(
            select(PrizeSecurity.id, PrizeSecurity.payout_id).where(PrizeSecurity.payout_id.in_(list(by_id)))
        ).all()
    }
    if not keys:
        return {}
    kept: dict[int, int] = {}
    for key, account, amount in session.exec(
        select(JournalEntry.key, PostingRow.account, PostingRow.amount)
        .select_from(PostingRow)
        .join(JournalEntry, JournalEntry.id == PostingRow.entry_id)
        .where(JournalEntry.key.in_(list(keys)))
    ).all():
        payout = by_id[keys[key]]
        if account == books.prize_payable(payout.ticket_id):
            kept[payout.id] = kept.get(payout.id, 0) + int(amount)
    return kept


def kept_from_prize(session: Session, payout: Payout) -> int:
    """Paise of this prize kept back as security deposits (what its release paid less in cash)."""
    return kept_from_prizes(session, [payout]).get(payout.id, 0)


def held(session: Session, ticket_id: int) -> int:
    """The ticket's security deposit held now, in paise (what was deposited less what was applied)."""
    return -balance(session, books.security_deposit(ticket_id))


def held_by_ticket(session: Session, ticket_ids: list[int]) -> dict[int, int]:
    """Deposits held for these tickets, in one query: ticket id -> paise (tickets holding none left out)."""
    if not ticket_ids:
        return {}
    rows = session.exec(
        select(PostingRow.ticket_id, func.sum(PostingRow.amount))
        .where(PostingRow.account.in_([books.security_deposit(t) for t in ticket_ids]))
        .group_by(PostingRow.ticket_id)
    ).all()
    return {int(tid): -int(total) for tid, total in rows if total}


def describe_held(paise: int) -> str:
    """The prizes page's wording: "held ₹27,000" ("" when nothing is held)."""
    return f"held {format_inr(paise)}" if paise > 0 else ""
