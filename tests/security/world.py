"""Two companies' worlds in one database, built through the real services, for the authorization
matrix: world A is the demo data (foreman 9000000002 owning "Ramesh Chit Funds" with branches Main
and Madurai, three groups, draws, payments, payouts, and five staff) plus one of everything a
handler can target (pending UPI payment, online order, join request, query, second session, KYC,
staff cash and a pending cash hand-over); world B is a second foreman's company with a smaller
group holding the same kinds of objects and one collection agent of its own. A handler is called
for A's objects by A's rightful users, by B's foreman, member and agent (who must be refused),
anonymously and by the admin; and by A's rightful users with B's ids (forged) - which must be
refused too: that is how the matrix proves a staff member of one company can never read or change
another company's data.
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from functools import partial

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from luckychit_app.clock import today_ist
from luckychit_app.db import transaction
from luckychit_app.gateways.test_gateway import TestGateway
from luckychit_app.models import (
    AuthSession,
    BankStatementLine,
    ChitGroup,
    Draw,
    JoinRequest,
    Notification,
    Payment,
    Payout,
    PrizeSecurity,
    StaffMember,
    SubscriberRefund,
    TaxInvoice,
    Ticket,
    User,
)
from luckychit_app.seeding.demo import (
    ACCOUNTANT_MOBILE,
    ADMIN_MOBILE,
    AGENT_MOBILE,
    CLERK_MOBILE,
    DEMO_PASSWORD,
    FOREMAN_MOBILE,
    MADURAI_AGENT_MOBILE,
    MANAGER_MOBILE,
    MEMBER_MOBILE,
    seed_demo_data,
)
from luckychit_app.services.access import Actor
from luckychit_app.services.draws import auctions, conducting
from luckychit_app.services.groups import closing as group_closing
from luckychit_app.services.groups import defaults, substitution
from luckychit_app.services.groups.setup import activate_group, create_group
from luckychit_app.services.messages import disputes, reminders
from luckychit_app.services.money import (
    bank_statements,
    cash_custody,
    field_collections,
    offline_payments,
    online_checkout,
    payouts,
    refunds,
    subscriber_refunds,
    upi,
)
from luckychit_app.services.paperwork import security as paper_security
from luckychit_app.services.people import auth, companies, gst_registration, kyc, members, staff
from tests.services.helpers import signup_code

B_PASSWORD = "b-world-pass-7"
KYC_PAN = "ABCPE1234F"
KYC_AADHAAR = "234123412346"
KYC_ACCOUNT = "502000123456789"  # issue 16: the bank account payouts go to (encrypted like PAN)
KYC_IFSC = "HDFC0001234"
B_FOREMAN = ("Balwant Oberoi", "9123400001")
B_MEMBERS = (
    ("Bhavna Zaveri", "9123400011"),
    ("Bipin Xavierson", "9123400012"),
    ("Bela Quraishi", "9123400013"),
)
B_JOINER = ("Bodhi Wadhwa", "9123400021")
B_AGENT = ("Bharat Yadavalli", "9123400031")
A_JOINER = ("Aarav Joinwal", "9000000091")
A_FOREMAN_NAME = "Ramesh Kumar"
A_MEMBER_NAME = "Priya Sharma"

CALLERS = (
    "anonymous",
    "member_other",
    "foreman_other",
    "staff_other",
    "member",
    "foreman",
    "manager",
    "clerk",
    "agent",
    "accountant",
    "admin",
)
"""Who calls every handler: nobody signed in; B's member; B's foreman; B's collection agent; A's
member (9000000011, a ticket holder in all of A's groups); A's foreman (the company's owner); A's
staff: branch manager Ganesh (Main), clerk Selvi (Main), collection agent Murugan (Main; every
member of the lucky group is his), company-wide accountant Latha; the platform admin."""
A_STAFF = {
    "manager": MANAGER_MOBILE,
    "clerk": CLERK_MOBILE,
    "agent": AGENT_MOBILE,
    "accountant": ACCOUNTANT_MOBILE,
}

A_MARKERS = (
    "Diwali Lucky Chit 2026",
    "Weavers Auction Chit",
    "New Year Savings 2027",
    A_MEMBER_NAME,
    "Arjun Nair",
    A_JOINER[0],
    MEMBER_MOBILE,
    A_FOREMAN_NAME,
    "Ramesh Chit Funds",
    "Selvi Raman",
    "Murugan Karthik",
    "Ganesh Iyer",
    "Latha Menon",
)
"""Strings only world A's pages show: none may reach a caller from world B or an anonymous one."""
MAIN_BRANCH_STAFF = ("manager", "clerk", "agent")
OTHER_BRANCH_MARKERS = ("Anand Pillai", MADURAI_AGENT_MOBILE, "Weavers Auction Chit")
"""World A's Madurai branch (its agent, and its auction group): nothing a Main branch staff member
receives may name them - staff work in their own branch only (services/access.py `in_scope`)."""
B_MARKERS = (
    "Bengaluru Weavers B-Chit",
    B_FOREMAN[0],
    B_MEMBERS[0][0],
    B_MEMBERS[0][1],
    B_JOINER[0],
    B_AGENT[0],
    B_AGENT[1],
)


@dataclasses.dataclass(frozen=True)
class Side:
    """One foreman's objects (ids as the browser sends them: strings)."""

    foreman_id: int
    member_id: int
    group: str  # active lucky-draw group
    auction_group: str
    forming_group: str
    invite_code: str
    ready_group: str  # forming, every seat filled: the foreman may start it
    ticket: str  # the member's ticket in `group`
    auction_ticket: str
    other_ticket: str  # another member's ticket in `group`
    draw_open: str  # the lucky group's current (committed) draw
    draw_done: str  # a completed draw of `group`
    auction_draw: str  # the auction group's current draw, open for bids
    payment: str  # the member's captured payment in `group`
    payment_refundable: str  # its amount in rupees, as the refund dialog shows it (nothing refunded yet)
    upi_payment: str  # the member's UPI payment waiting for confirmation
    order: str  # the member's pending online order (test gateway)
    payout: str  # a payable prize in `group`
    payout_security_seen: str  # its latest security's id (0: none), as the prizes page shows it
    join_request: str  # a pending request to join `forming_group`
    dispute: str  # the member's query on `payment`
    member_session: str  # id of a second signed-in session of the member
    spare_user: str  # a member account the admin may deactivate
    overdue_ticket: str  # a ticket of `group` with overdue dues
    next_bid: str  # a valid higher bid (rupees) on `auction_draw`
    current_month: str  # `group`'s open month
    today: str
    # The company (issue 23). B has one collection agent and no clerk or manager: where a field
    # names a clerk or manager, B's is its owner (the only one who receives B's agent's cash).
    branch: str = ""  # the branch of `group`
    staff_row: str = ""  # a staff row the owner may stop or move (A: the accountant; B: the agent)
    agent_user: str = ""  # the agent who collects from `member` and holds cash
    clerk_user: str = ""  # the branch's clerk (A: Selvi, holding cash she collected)
    manager_user: str = ""  # the branch's manager (A: Ganesh, holding cash he collected)
    handover: str = ""  # the agent's pending cash hand-over (A: to the clerk; B: to the owner)
    prized_default: str = ""  # a members' prized ticket of `group` with dues past their date (issue 15)
    # Finished groups (issue 15, closing): the member holds a ticket in each.
    ending_group: str = ""  # last draw held, every prize paid; the member's ₹100 advance not yet settled
    settled_group: str = ""  # settled for closing, the member's closing refund still due
    closing_refund: str = ""  # that refund
    closed_group: str = ""  # closed: its closing statement and no-dues certificates exist
    closed_ticket: str = ""  # the member's ticket in `closed_group`
    invoice: str = ""  # the tax invoice of the member's prize in `closed_group` (issue 19)
    security: str = ""  # the foreman's security (s.20) for `closed_group`, not yet released (issue 19)
    # Ticket changes of a running group (issue 15, s.28-s.30): a 4-ticket group in month 1 whose
    # agreement allows a default after 1 unpaid instalment and pays removal refunds on substitution.
    change_group: str = ""
    default_ticket: str = ""  # month 1 unpaid past its date: may be declared in default (or exit)
    removable_ticket: str = ""  # declared in default 8 days ago, arrears unpaid: may be removed
    due_refund: str = ""  # the refund of a member who exited, payable now, the group holding the cash
    notification: str = ""  # the member's newest notification (issue 16: opened from the bell)
    bank_line: str = ""  # a bank statement line showing `upi_payment`'s money arrived (issue 19)


@dataclasses.dataclass(frozen=True)
class World:
    a: Side
    b: Side
    admin_id: int
    tokens: dict[str, str]  # caller -> lc_session token ("" for anonymous)
    passwords: dict[str, str]  # caller -> password
    mobiles: dict[str, str]
    inactive_user: str  # a deactivated member account the admin may reactivate

    def token(self, caller: str) -> str:
        return self.tokens[caller]


def _ids(session: Session, stmt: object) -> list[int]:
    return list(session.exec(stmt).all())


def _current_draw(session: Session, group_id: int) -> Draw:
    return session.exec(
        select(Draw).where(Draw.group_id == group_id, Draw.status.in_(("committed", "bidding")))
    ).one()


def _user(session: Session, mobile: str) -> User:
    return session.exec(select(User).where(User.mobile == mobile)).one()


def _ticket_of(session: Session, group_id: int, member_id: int) -> Ticket:
    return session.exec(
        select(Ticket).where(Ticket.group_id == group_id, Ticket.member_id == member_id)
    ).one()


def _world_a(engine: Engine) -> Side:
    tx = partial(transaction, engine)
    with tx() as s:
        seed_demo_data(s)
    with tx() as s:
        foreman, member = _user(s, FOREMAN_MOBILE), _user(s, MEMBER_MOBILE)
        by_name = {g.name: g for g in s.exec(select(ChitGroup)).all()}
        lucky, auction, forming = (
            by_name["Diwali Lucky Chit 2026"],
            by_name["Weavers Auction Chit"],
            by_name["New Year Savings 2027"],
        )
        ticket = _ticket_of(s, lucky.id, member.id)
        auction_ticket = _ticket_of(s, auction.id, member.id)
        other = s.exec(
            select(Ticket)
            .where(Ticket.group_id == lucky.id, Ticket.member_id != member.id)
            .order_by(Ticket.id)
        ).first()
        done = s.exec(
            select(Draw).where(Draw.group_id == lucky.id, Draw.status == "completed").order_by(Draw.month)
        ).first()
        payout = s.exec(select(Payout).where(Payout.group_id == lucky.id, Payout.status == "payable")).first()
        payment = s.exec(
            select(Payment)
            .where(Payment.ticket_id == ticket.id, Payment.status == "captured")
            .order_by(Payment.id)
        ).first()
        spare = _user(s, "9000000030")
        ids = {
            "foreman": foreman.id,
            "member": member.id,
            "lucky": lucky.id,
            "auction": auction.id,
            "forming": forming.id,
            "code": forming.invite_code,
            "ticket": ticket.id,
            "auction_ticket": auction_ticket.id,
            "other": other.id,
            "done": done.id,
            "payout": payout.id,
            "payment": payment.id,
            "payment_rupees": f"{payment.amount // 100}.{payment.amount % 100:02d}",
            "spare": spare.id,
            "next_bid": "15000",
        }
    with tx() as s:
        foreman_actor = auth.actor_for_user(s, ids["foreman"])
    member_actor = Actor(ids["member"], "member", A_MEMBER_NAME)
    side = _objects(engine, ids, foreman_actor, member_actor, A_JOINER, "123456789012", "123456789013")
    return _company_a(engine, side)


def _collect(engine: Engine, user_id: int, ticket: str, key: str) -> None:
    """₹100 in cash taken by a staff member: theirs to hand over (their custody account)."""
    with transaction(engine) as s:
        field_collections.record_collection(
            s,
            actor=auth.actor_for_user(s, user_id),
            ticket_id=ticket,
            amount="100",
            method="cash",
            idempotency_key=key,
        )


def _hand_over(engine: Engine, giver: int, receiver: int, key: str) -> str:
    """The giver's ₹100 (one note) handed to `receiver`, waiting to be counted."""
    with transaction(engine) as s:
        row = cash_custody.start_handover(
            s,
            actor=auth.actor_for_user(s, giver),
            to_user_id=receiver,
            denominations={"100": 1},
            idempotency_key=key,
        )
        return str(row.id)


def _company_a(engine: Engine, side: Side) -> Side:
    """The demo company's staff with cash: the clerk and the manager each collected ₹100 in cash
    from another member of the lucky group (so each may hand cash over), and the agent collected
    ₹100 from A's member and handed it to the clerk, still to be counted."""
    with transaction(engine) as s:
        users = {role: _user(s, mobile).id for role, mobile in A_STAFF.items()}
        accountant_row = s.exec(
            select(StaffMember.id).where(StaffMember.user_id == users["accountant"])
        ).one()
        branch = s.get(ChitGroup, int(side.group)).branch_id
    _collect(engine, users["clerk"], side.other_ticket, "security-a-clerk-cash")
    _collect(engine, users["manager"], side.other_ticket, "security-a-manager-cash")
    _collect(engine, users["agent"], side.ticket, "security-a-agent-cash")
    handover = _hand_over(engine, users["agent"], users["clerk"], "security-a-agent-handover")
    return dataclasses.replace(
        side,
        branch=str(branch),
        staff_row=str(accountant_row),
        agent_user=str(users["agent"]),
        clerk_user=str(users["clerk"]),
        manager_user=str(users["manager"]),
        handover=handover,
    )


def _world_b(engine: Engine) -> Side:
    tx = partial(transaction, engine)
    with tx() as s:
        code = signup_code(s, B_FOREMAN[1])
        token = auth.sign_up_foreman(
            s, name=B_FOREMAN[0], mobile=B_FOREMAN[1], code=code, password=B_PASSWORD
        )
        foreman = auth.actor_for_token(s, token)[0]
    form = {
        "name": "Bengaluru Weavers B-Chit",
        "foreman_first_chit": "off",  # members hold every seat (the Act's default is on, s.21(1)(a))
        "kind": "lucky",
        "chit_value": "30,000",
        "tickets": "3",
        "commission_pct": "5",
        "draw_day": "10",
        "upi_vpa": "balwant.chits@okhdfc",
    }
    with tx() as s:
        lucky = create_group(s, actor=foreman, form=form)
        auction = create_group(
            s,
            actor=foreman,
            form={**form, "name": "B Auction Chit", "kind": "auction", "max_discount_pct": "30"},
        )
        forming = create_group(s, actor=foreman, form={**form, "name": "B Forming Chit"})
        gid, aid, fid, code = lucky.id, auction.id, forming.id, forming.invite_code
    member_ids = []
    for name, mobile in B_MEMBERS:
        with tx() as s:
            user, _ = auth.create_user(
                s, name=name, mobile=mobile, role="member", created_by_id=foreman.user_id, password=B_PASSWORD
            )
            member_ids.append(user.id)
    for group_id in (gid, aid):
        for _name, mobile in B_MEMBERS:
            with tx() as s:
                members.add_member(s, actor=foreman, group_id=group_id, name=_name, mobile=mobile)
        with tx() as s:
            activate_group(s, actor=foreman, group_id=group_id, start="2026-01-01")
    with tx() as s:
        tickets = list(s.exec(select(Ticket).where(Ticket.group_id == gid).order_by(Ticket.ticket_no)).all())
        group = s.get(ChitGroup, gid)
        installment = group.chit_value // group.tickets
    for t in tickets:
        with tx() as s:
            offline_payments.record_offline_payment(
                s,
                actor=foreman,
                ticket_id=t.id,
                amount=f"{installment // 100}.{installment % 100:02d}",
                method="cash",
            )
    with tx() as s:
        done = conducting.conduct_draw(s, actor=foreman, draw_id=_current_draw(s, gid).id, members_online=3)
        done_id = done.id
    with tx() as s:
        member = s.get(User, member_ids[0])
        ticket = _ticket_of(s, gid, member.id)
        payout = s.exec(select(Payout).where(Payout.group_id == gid)).one()
        payment = s.exec(select(Payment).where(Payment.ticket_id == ticket.id)).first()
        spare = s.get(User, member_ids[2])
        ids = {
            "foreman": foreman.user_id,
            "member": member.id,
            "lucky": gid,
            "auction": aid,
            "forming": fid,
            "code": code,
            "ticket": ticket.id,
            "auction_ticket": _ticket_of(s, aid, member.id).id,
            "other": next(t.id for t in tickets if t.member_id != member.id),
            "done": done_id,
            "payout": payout.id,
            "payment": payment.id,
            "payment_rupees": f"{payment.amount // 100}.{payment.amount % 100:02d}",
            "spare": spare.id,
            "next_bid": "2500",
        }
    member_actor = Actor(ids["member"], "member", B_MEMBERS[0][0])
    side = _objects(engine, ids, foreman, member_actor, B_JOINER, "223456789012", "223456789013")
    return _company_b(engine, side, foreman)


def _company_b(engine: Engine, side: Side, foreman: Actor) -> Side:
    """B's collection agent, invited by B's owner through the real service, with B's lucky-group
    members assigned to him, ₹100 of cash he collected and handed to the owner, still to be counted."""
    tx = partial(transaction, engine)
    with tx() as s:
        branch = companies.branches_of(s, foreman.company_id)[0].id
        row, _password = staff.invite_staff(
            s, actor=foreman, name=B_AGENT[0], mobile=B_AGENT[1], role="agent", branch_id=branch
        )
        user = s.get(User, row.user_id)
        user.password_hash, user.must_change_password = auth.hash_password(B_PASSWORD), False
        s.add(user)
        agent, staff_row = user.id, row.id
        seated = list(s.exec(select(Ticket.member_id).where(Ticket.group_id == int(side.group))).all())
    for member_id in seated:
        with tx() as s:
            staff.assign_member(s, actor=foreman, branch_id=branch, member_id=member_id, agent_id=agent)
    _collect(engine, agent, side.ticket, "security-b-agent-cash")
    handover = _hand_over(engine, agent, foreman.user_id, "security-b-agent-handover")
    return dataclasses.replace(
        side,
        branch=str(branch),
        staff_row=str(staff_row),
        agent_user=str(agent),
        clerk_user=str(foreman.user_id),
        manager_user=str(foreman.user_id),
        handover=handover,
    )


def _objects(
    engine: Engine,
    ids: dict,
    foreman: Actor,
    member: Actor,
    joiner: tuple[str, str],
    utr: str,
    _spare_utr: str,
) -> Side:
    """The objects every side needs beyond its groups: an open auction with a bid, a pending UPI
    payment, a pending online order, a join request, a query and a second session."""
    tx = partial(transaction, engine)
    with tx() as s:
        ready = create_group(
            s,
            actor=foreman,
            form={
                "name": f"{foreman.name} ready chit",
                "foreman_first_chit": "off",  # members hold every seat (the Act's default is on, s.21(1)(a))
                "kind": "lucky",
                "chit_value": "20,000",
                "tickets": "2",
                "commission_pct": "5",
                "draw_day": "12",
            },
        )
        ids["ready"] = ready.id
    for user_id in (member.user_id, ids["spare"]):
        with tx() as s:
            user = s.get(User, user_id)
            members.add_member(s, actor=foreman, group_id=ids["ready"], name=user.name, mobile=user.mobile)
    with tx() as s:
        auction_draw = _current_draw(s, ids["auction"])
        auctions.open_auction(s, actor=foreman, draw_id=auction_draw.id, minutes=120)
        auction_draw_id = auction_draw.id
    with tx() as s:
        auctions.place_bid(
            s,
            actor=member,
            draw_id=auction_draw_id,
            ticket_id=ids["auction_ticket"],
            discount=_min_bid(s, ids["auction"]),
        )
    with tx() as s:
        upi_payment = upi.submit_utr(s, actor=member, ticket_id=ids["ticket"], amount="100", utr=utr).id
    bank_line = _bank_line(engine, foreman, utr)
    checkout = online_checkout.start_checkout(
        tx=tx, gateway=TestGateway(engine), actor=member, ticket_id=ids["ticket"], amount="100"
    )
    with tx() as s:
        user, request = members.sign_up_member(
            s,
            code=ids["code"],
            name=joiner[0],
            mobile=joiner[1],
            mobile_code=signup_code(s, joiner[1]),
            password="joiner-pass-1",
        )
        request_id = request.id
    with tx() as s:
        dispute = disputes.raise_dispute(
            s,
            actor=member,
            subject_type="payment",
            subject_id=ids["payment"],
            title="Receipt amount",
            body="The receipt shows a different amount than I paid.",
        ).id
    with tx() as s:
        auth.open_session(s, s.get(User, member.user_id), user_agent="second phone")
    with tx() as s:
        second = s.exec(
            select(AuthSession.id)
            .where(AuthSession.user_id == member.user_id)
            .order_by(AuthSession.id.desc())
        ).first()
        draw_open = _current_draw(s, ids["lucky"]).id
        month = s.get(ChitGroup, ids["lucky"]).current_month
        overdue = next(iter(reminders.overdue_list(s, actor=foreman, group_id=ids["lucky"], limit=100)[0]))[
            "ticket_id"
        ]
        request_check = s.get(JoinRequest, request_id)
        assert request_check is not None and request_check.status == "pending"
    prized_default = _prized_in_default(engine, foreman, ids["lucky"])
    _security_deposit(engine, foreman, prized_default)
    finished = _finished_groups(engine, foreman, member, ids["spare"])
    changes = _ticket_change_objects(engine, foreman, joiner[1][:6])
    with tx() as s:
        notification = s.exec(
            select(Notification.id)
            .where(Notification.user_id == member.user_id)
            .order_by(Notification.id.desc())
        ).first()
        latest_security = s.exec(
            select(PrizeSecurity.id)
            .where(PrizeSecurity.payout_id == ids["payout"])
            .order_by(PrizeSecurity.id.desc())
        ).first()
    return Side(
        foreman_id=ids["foreman"],
        member_id=ids["member"],
        group=str(ids["lucky"]),
        auction_group=str(ids["auction"]),
        forming_group=str(ids["forming"]),
        invite_code=ids["code"],
        ready_group=str(ids["ready"]),
        ticket=str(ids["ticket"]),
        auction_ticket=str(ids["auction_ticket"]),
        other_ticket=str(ids["other"]),
        draw_open=str(draw_open),
        draw_done=str(ids["done"]),
        auction_draw=str(auction_draw_id),
        payment=str(ids["payment"]),
        payment_refundable=ids["payment_rupees"],
        upi_payment=str(upi_payment),
        order=checkout.order_id,
        payout=str(ids["payout"]),
        payout_security_seen=str(latest_security or 0),
        join_request=str(request_id),
        dispute=str(dispute),
        member_session=str(second),
        spare_user=str(ids["spare"]),
        overdue_ticket=str(overdue),
        next_bid=ids["next_bid"],
        current_month=str(month),
        today=today_ist().isoformat(),
        prized_default=prized_default,
        notification=str(notification),
        bank_line=bank_line,
        **finished,
        **changes,
    )


def _prized_in_default(engine: Engine, foreman: Actor, group_id: int) -> str:
    """A members' prized ticket of the group with dues past their date, for the written demand on a
    defaulting prized subscriber (issue 15, services/groups/prize_defaults.py). The draws pick their
    winners at random, so where no winner owes anything, ₹1,000 of the newest payment of the earliest
    winner's ticket is refunded: a refund takes its money off the newest allocation, which leaves
    that much of a due past its date unpaid again (more than the ₹100 staff collect from the member
    and another ticket of the group below)."""
    with transaction(engine) as s:
        group = s.get(ChitGroup, group_id)
        prized = s.exec(
            select(Ticket)
            .where(
                Ticket.group_id == group_id,
                Ticket.prized_month.is_not(None),
                Ticket.member_id != group.foreman_id,
            )
            .order_by(Ticket.prized_month)
        ).all()
        rows, _ = reminders.overdue_list(s, actor=foreman, group_id=group_id, limit=100)
        owing = {r["ticket_id"] for r in rows}
        found = next((t for t in prized if str(t.id) in owing), None)
        if found is not None:
            return str(found.id)
        ticket = prized[0]
        payment = s.exec(
            select(Payment)
            .where(Payment.ticket_id == ticket.id, Payment.status == "captured", Payment.method != "online")
            .order_by(Payment.id.desc())
        ).first()
        refunds.create_refund(
            s,
            actor=foreman,
            payment_id=payment.id,
            amount="1000",
            reason="A prized subscriber in default",
            idempotency_key=f"security-prized-default-{group_id}",
        )
    with transaction(engine) as s:
        rows, _ = reminders.overdue_list(s, actor=foreman, group_id=group_id, limit=100)
        assert str(ticket.id) in {r["ticket_id"] for r in rows}, "the refund left no due past its date"
    return str(ticket.id)


def _security_deposit(engine: Engine, foreman: Actor, ticket_id: str) -> None:
    """A ₹5,000 security deposit received in cash from the prized defaulter (s.21(1)(e)), for the
    dues the foreman recovers from it after the written demand (services/groups/deposit_recovery.py)."""
    with transaction(engine) as s:
        ticket = s.get(Ticket, int(ticket_id))
        payouts.add_security(
            s,
            payout=s.exec(select(Payout).where(Payout.ticket_id == ticket.id)).one(),
            subscriber=s.get(User, ticket.member_id),
            actor_id=foreman.user_id,
            kind="deposit",
            value="5000",
            description="Cash deposit as security",
            method="cash",
            received_on=today_ist(),
        )


def _finished_group(
    engine: Engine, foreman: Actor, member: Actor, other_id: int, label: str
) -> tuple[int, int]:
    """A 2-ticket lucky group run to its end through the services: both instalments paid up front,
    both months drawn, both prizes released; then the member pays ₹100 more (an advance to return at
    the close). Returns (group id, the member's ticket id)."""
    tx = partial(transaction, engine)
    with tx() as s:
        group = create_group(
            s,
            actor=foreman,
            form={
                "name": f"{foreman.name} {label} chit",
                "foreman_first_chit": "off",
                "kind": "lucky",
                "chit_value": "20,000",
                "tickets": "2",
                "commission_pct": "5",
                "draw_day": "12",
            },
        )
        gid = group.id
    for user_id in (member.user_id, other_id):
        with tx() as s:
            user = s.get(User, user_id)
            members.add_member(s, actor=foreman, group_id=gid, name=user.name, mobile=user.mobile)
    with tx() as s:
        activate_group(s, actor=foreman, group_id=gid, start="2026-01-01")
        tickets = list(
            s.exec(select(Ticket.id).where(Ticket.group_id == gid).order_by(Ticket.ticket_no)).all()
        )
    for ticket_id in tickets:
        with tx() as s:
            offline_payments.record_offline_payment(
                s, actor=foreman, ticket_id=ticket_id, amount="20,000", method="cash"
            )
    for _month in (1, 2):
        with tx() as s:
            conducting.conduct_draw(s, actor=foreman, draw_id=_current_draw(s, gid).id, members_online=2)
    with tx() as s:
        prizes = list(s.exec(select(Payout.id).where(Payout.group_id == gid).order_by(Payout.id)).all())
    for payout_id in prizes:
        with tx() as s:
            payouts.release_payout(
                s,
                actor=foreman,
                payout_id=payout_id,
                method="bank",
                reference=f"NEFT-{label}-{payout_id}",
                paid_on=today_ist().isoformat(),
            )
    with tx() as s:
        ticket = _ticket_of(s, gid, member.user_id)
        offline_payments.record_offline_payment(
            s, actor=foreman, ticket_id=ticket.id, amount="100", method="cash"
        )
        return gid, ticket.id


def _register_for_gst(engine: Engine, foreman: Actor) -> None:
    """The company registers for GST (issue 19) with a GSTIN of its own: a Tamil Nadu registration
    whose PAN carries the owner's id, its check character found by python-stdnum."""
    from stdnum.in_ import gstin

    base = f"33ABCPE{foreman.user_id % 10_000:04d}F1Z"
    number = next(base + c for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ" if gstin.is_valid(base + c))
    with transaction(engine) as s:
        gst_registration.save_registration(
            s, actor=foreman, gstin=number, legal_name="World Chits Pvt Ltd", address="1 Mount Road, Chennai"
        )


def _finished_groups(engine: Engine, foreman: Actor, member: Actor, other_id: int) -> dict[str, str]:
    """Three finished groups for the closing handlers and papers (issue 15): one still to settle, one
    settled with the member's refund due, one closed (its advance refunded, then closed)."""
    tx = partial(transaction, engine)
    ending, _ = _finished_group(engine, foreman, member, other_id, "ending")
    settled, _ = _finished_group(engine, foreman, member, other_id, "settled")
    _register_for_gst(engine, foreman)  # the closed group's two draws are invoiced, one to the member
    closed, closed_ticket = _finished_group(engine, foreman, member, other_id, "closed")
    for gid in (settled, closed):
        with tx() as s:
            group_closing.settle_for_closing(s, actor=foreman, group_id=gid)
    with tx() as s:
        due = select(SubscriberRefund).where(SubscriberRefund.group_id.in_((settled, closed)))
        refund_ids = {r.group_id: r.id for r in s.exec(due).all()}
        subscriber_refunds.pay_subscriber_refund(
            s, actor=foreman, refund_id=refund_ids[closed], method="cash", reference="", paid_on=today_ist()
        )
    with tx() as s:
        group_closing.close_group(s, actor=foreman, group_id=closed)
        invoice = s.exec(select(TaxInvoice.id).where(TaxInvoice.ticket_id == closed_ticket)).one()
    with tx() as s:  # the Act's paperwork (issue 19): a security to release now the chit has ended
        deposit = paper_security.record_security(
            s,
            actor=foreman,
            group_id=closed,
            form="cash",
            amount="1000",
            reference=f"FD-{closed}",
            deposited_on=today_ist() - timedelta(days=30),
        )
    return {
        "ending_group": str(ending),
        "settled_group": str(settled),
        "closing_refund": str(refund_ids[settled]),
        "closed_group": str(closed),
        "closed_ticket": str(closed_ticket),
        "invoice": str(invoice),
        "security": str(deposit.id),
    }


def _ticket_change_objects(engine: Engine, foreman: Actor, prefix: str) -> dict[str, str]:
    """A running group for the ticket changes (issue 15, services/groups/substitution.py): four new
    members (mobiles `prefix`7001..7004), month 1 open and due; one member paid and exited (a new
    person took the seat), leaving a refund payable now; one declared in default 8 days ago."""
    tx = partial(transaction, engine)
    with tx() as s:
        gid = create_group(
            s,
            actor=foreman,
            form={
                "name": f"{foreman.name} change chit",
                "foreman_first_chit": "off",
                "kind": "lucky",
                "chit_value": "40,000",
                "tickets": "4",
                "commission_pct": "5",
                "draw_day": "10",
            },
        ).id
    for n, name in enumerate(("Dinesh Late", "Revathi Late", "Lokesh Leaving", "Kiran Seated"), 1):
        with tx() as s:
            members.add_member(s, actor=foreman, group_id=gid, name=name, mobile=f"{prefix}700{n}")
    with tx() as s:
        activate_group(s, actor=foreman, group_id=gid, start="2026-01-01")
        group = s.get(ChitGroup, gid)
        group.default_after, group.removed_refund_at = 1, "substitution"  # the agreement's (s.6)
        s.add(group)
        d, r, leaving, _k = s.exec(
            select(Ticket.id).where(Ticket.group_id == gid).order_by(Ticket.ticket_no)
        ).all()
    with tx() as s:
        offline_payments.record_offline_payment(s, actor=foreman, ticket_id=leaving, amount="10,000")
    with tx() as s:
        refund = substitution.remove_and_substitute(
            s,
            actor=foreman,
            ticket_id=leaving,
            mode="exit",
            substitute="new",
            name="Sunil Substitute",
            mobile=f"{prefix}7005",
        ).refund.id
    with tx() as s:
        defaults.declare_default(s, actor=foreman, ticket_id=r, reason="Month 1 unpaid")
    with tx() as s:
        ticket = s.get(Ticket, r)
        ticket.defaulted_at -= timedelta(days=8)
        s.add(ticket)
    return {
        "change_group": str(gid),
        "default_ticket": str(d),
        "removable_ticket": str(r),
        "due_refund": str(refund),
    }


def _bank_line(engine: Engine, foreman: Actor, utr: str) -> str:
    """The company imports a bank statement (issue 19, item 10) with one deposit whose narration
    carries the member's pending UPI payment's UTR: the line that may confirm that payment."""
    day = today_ist().strftime("%d/%m/%Y")
    text = (
        "Date,Narration,Chq./Ref.No.,Withdrawal Amt.,Deposit Amt.,Closing Balance\n"
        f"{day},UPI-SUBSCRIBER-{utr}-CHIT,{utr},,100.00,100.00\n"
    )
    with transaction(engine) as s:
        bank_statements.import_statement(s, actor=foreman, filename="statement.csv", data=text.encode())
        return str(
            s.exec(
                select(BankStatementLine.id).where(BankStatementLine.company_id == foreman.company_id)
            ).one()
        )


def _min_bid(session: Session, group_id: int) -> str:
    group = session.get(ChitGroup, group_id)
    paise = group.chit_value * group.commission_bp // 10000 + 100_00
    return f"{paise // 100}"


def build_world(engine: Engine) -> World:
    """World A (demo data + extras), world B, one live session per caller, A's member with KYC."""
    a = _world_a(engine)
    b = _world_b(engine)
    with transaction(engine) as s:
        admin = _user(s, ADMIN_MOBILE)
        kyc.submit(
            s,
            actor=Actor(a.member_id, "member"),
            pan_number=KYC_PAN,
            aadhaar_number=KYC_AADHAAR,
            date_of_birth="1988-04-12",
            bank_account=KYC_ACCOUNT,
            ifsc=KYC_IFSC,
            nominee_name="Ravi Sharma",
            nominee_relation="spouse",
        )
        users = {
            "member_other": s.get(User, b.member_id),
            "foreman_other": s.get(User, b.foreman_id),
            "staff_other": s.get(User, int(b.agent_user)),
            "member": s.get(User, a.member_id),
            "foreman": s.get(User, a.foreman_id),
            **{caller: _user(s, mobile) for caller, mobile in A_STAFF.items()},
            "admin": admin,
        }
        tokens = {caller: auth.open_session(s, user, "security-tests") for caller, user in users.items()}
        mobiles = {caller: user.mobile for caller, user in users.items()}
        admin_id = admin.id
        inactive, _ = auth.create_user(
            s, name="Dormant Member", mobile="9000000092", role="member", created_by_id=admin.id
        )
        inactive.is_active = False
        s.add(inactive)
        inactive_id = str(inactive.id)
    tokens["anonymous"] = ""
    passwords = {c: (B_PASSWORD if c.endswith("_other") else DEMO_PASSWORD) for c in CALLERS}
    mobiles["anonymous"] = ""
    return World(
        a=a,
        b=b,
        admin_id=admin_id,
        tokens=tokens,
        passwords=passwords,
        mobiles=mobiles,
        inactive_user=inactive_id,
    )
