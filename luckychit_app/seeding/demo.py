"""Demo data, built through the same services a foreman uses, so it obeys every rule and the
books it leaves pass ledger-check: a company with two branches (Main, and Madurai), four groups
(lucky draw with past draws and a defaulter's ticket substituted, auction with past auctions in
Madurai, one still forming, one run to its end and closed), members with paid, partly paid and
overdue dues, and staff: a branch manager, a clerk and an agent in Main, an agent in Madurai holding
cash he collected today, and a company-wide accountant."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from luckychit_app.clock import today_ist
from luckychit_app.models import ChitGroup, Draw, Payout, SubscriberRefund, Ticket, User
from luckychit_app.services.access import Actor
from luckychit_app.services.draws import auctions, conducting
from luckychit_app.services.groups import closing, defaults, substitution
from luckychit_app.services.groups.setup import activate_group, create_group
from luckychit_app.services.money import field_collections, offline_payments, payouts, subscriber_refunds
from luckychit_app.services.money.dues import due_lines
from luckychit_app.services.people import members, staff
from luckychit_app.services.people.auth import actor_for_user, hash_password
from luckychit_app.services.people.companies import add_branch, branches_of, found_company

DEMO_PASSWORD = "demo1234"  # noqa: S105  (printed at start and in the README)
ADMIN_MOBILE, FOREMAN_MOBILE, MEMBER_MOBILE = "9000000001", "9000000002", "9000000011"
CLERK_MOBILE, AGENT_MOBILE, MADURAI_AGENT_MOBILE = "9000000003", "9000000004", "9000000005"
MANAGER_MOBILE, ACCOUNTANT_MOBILE = "9000000006", "9000000007"
SUBSTITUTE_NAME, SUBSTITUTE_MOBILE = "Divya Raghavan", "9000000031"
# (role, name, mobile, branch: "main" or "madurai" or None for the whole company)
DEMO_STAFF = (
    ("clerk", "Selvi Raman", CLERK_MOBILE, "main"),
    ("agent", "Murugan Karthik", AGENT_MOBILE, "main"),
    ("agent", "Anand Pillai", MADURAI_AGENT_MOBILE, "madurai"),
    ("branch_manager", "Ganesh Iyer", MANAGER_MOBILE, "main"),
    ("accountant", "Latha Menon", ACCOUNTANT_MOBILE, None),
)
DEMO_LOGINS = (
    ("admin", ADMIN_MOBILE, DEMO_PASSWORD),
    ("foreman", FOREMAN_MOBILE, DEMO_PASSWORD),
    ("member", MEMBER_MOBILE, DEMO_PASSWORD),
    *((role.replace("_", " "), mobile, DEMO_PASSWORD) for role, _name, mobile, _branch in DEMO_STAFF),
)
ADDRESSES = (
    "12, Pillaiyar Koil St, T. Nagar, Chennai",
    "4/7, Gandhi Rd, Mylapore, Chennai",
    "22, North Mada St, Chennai",
    "9, Anna Salai, Chennai",
    "31, Kamarajar Rd, Madurai",
)
MEMBER_NAMES = (
    "Priya Sharma",
    "Arjun Nair",
    "Lakshmi Iyer",
    "Mohammed Irfan",
    "Sunita Devi",
    "Rahul Verma",
    "Kavita Joshi",
    "Suresh Babu",
    "Anjali Gupta",
    "Vikram Singh",
    "Meena Pillai",
    "Harish Rao",
    "Deepa Menon",
    "Gopal Krishnan",
    "Fatima Sheikh",
    "Ravi Teja",
    "Neha Kulkarni",
    "Manoj Patil",
    "Rekha Bose",
    "Sanjay Mishra",
)


def _first_of_month_back(day: date, months: int) -> date:
    year, month0 = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month0 + 1, 1)


def _member_mobile(i: int) -> str:
    return f"90000000{11 + i:02d}"


def _pay_month(
    session: Session,
    foreman: Actor,
    group: ChitGroup,
    month: int,
    skip: set[int] = frozenset(),
    partial: set[int] = frozenset(),
) -> None:
    """Pay every ticket's outstanding dues up to `month`, except `skip`; `partial` pay half."""
    for ticket in session.exec(
        select(Ticket).where(Ticket.group_id == group.id).order_by(Ticket.ticket_no)
    ).all():
        if ticket.ticket_no in skip or ticket.member_id == group.foreman_id:
            continue
        lines = due_lines(session, ticket_id=ticket.id, up_to_month=month)
        owing = sum(ln.outstanding for ln in lines)
        if ticket.ticket_no in partial:
            owing //= 2
        if owing > 0:
            rupees = f"{owing // 100}.{owing % 100:02d}"
            method = "bank" if ticket.ticket_no % 3 == 0 else "cash"
            # Paid on the month's due date (today if that is still ahead), as these members did: the
            # late fee, charged on collection, applies only to what is really paid late.
            paid_on = min([ln.due_date for ln in lines if ln.month == month] + [today_ist()])
            offline_payments.record_offline_payment(
                session,
                actor=foreman,
                ticket_id=ticket.id,
                amount=rupees,
                method=method,
                reference="demo",
                received_on=paid_on.isoformat(),
            )


def _current_draw(session: Session, group: ChitGroup) -> Draw:
    return session.exec(
        select(Draw).where(Draw.group_id == group.id, Draw.month == group.current_month)
    ).one()


def seed_demo_data(session: Session) -> bool:
    if session.exec(select(func.count()).select_from(User)).one():
        return False
    pw = hash_password(DEMO_PASSWORD)
    session.add(User(mobile=ADMIN_MOBILE, name="Platform Admin", role="admin", password_hash=pw))
    foreman_user = User(mobile=FOREMAN_MOBILE, name="Ramesh Kumar", role="foreman", password_hash=pw)
    session.add(foreman_user)
    people = [
        User(
            mobile=_member_mobile(i),
            name=n,
            role="member",
            password_hash=pw,
            language="hi" if i % 4 == 3 else "en",
        )
        for i, n in enumerate(MEMBER_NAMES)
    ]
    session.add_all(people)
    for i, person in enumerate(people):
        person.address = ADDRESSES[i % len(ADDRESSES)]
    session.flush()
    company = found_company(session, foreman_user, "Ramesh Chit Funds")
    foreman = actor_for_user(session, foreman_user.id)
    main = branches_of(session, company.id)[0]
    madurai = add_branch(
        session, actor=foreman, name="Madurai", code="MDU", address="31, Kamarajar Rd, Madurai"
    )

    def seat_all(group: ChitGroup, count: int) -> None:
        for person in people[:count]:
            members.add_member(
                session, actor=foreman, group_id=group.id, name=person.name, mobile=person.mobile
            )

    today = today_ist()
    # 1. Lucky draw, 10 tickets: three draws held, month 4 overdue for some.
    lucky = create_group(
        session,
        actor=foreman,
        form={
            "name": "Diwali Lucky Chit 2026",
            "default_after": "2",  # the agreement: two instalments unpaid make a defaulter (s.28)
            "foreman_first_chit": "off",  # members hold every seat (the Act's default is on, s.21(1)(a))
            "kind": "lucky",
            "chit_value": "1,00,000",
            "tickets": "10",
            "commission_pct": "5",
            "draw_day": "10",
            "upi_vpa": "ramesh.chits@okaxis",
            "late_fee_mode": "flat",
            "late_fee_flat": "100",
            "grace_days": "3",
        },
    )
    seat_all(lucky, 10)
    # Month 4's dues must already be overdue (past the 10th plus 3 days' grace) whatever today's date,
    # so early in a calendar month the group started a month earlier.
    start = _first_of_month_back(today, 3 if today.day > 10 + 3 else 4)
    activate_group(session, actor=foreman, group_id=lucky.id, start=start.isoformat())
    defaulter = 0  # a ticket not yet prized stops paying at month 3 and is substituted (issue 15)
    for month in (1, 2, 3):
        if month == 3:
            defaulter = max(
                session.exec(
                    select(Ticket.ticket_no).where(
                        Ticket.group_id == lucky.id,
                        Ticket.prized_month.is_(None),
                        Ticket.ticket_no.not_in((4, 7, 9)),
                    )
                ).all()
            )
        _pay_month(session, foreman, lucky, month, skip={7, defaulter} if month == 3 else set())
        conducting.conduct_draw(
            session, actor=foreman, draw_id=_current_draw(session, lucky).id, members_online=6
        )
    _pay_month(session, foreman, lucky, 4, skip={7, 9, defaulter}, partial={4})
    _substitute_defaulter(session, foreman, lucky, defaulter, pw)

    # 2. Auction, 20 tickets, two auctions held.
    auction = create_group(
        session,
        actor=foreman,
        form={
            "name": "Weavers Auction Chit",
            "foreman_first_chit": "off",  # members hold every seat (the Act's default is on, s.21(1)(a))
            "kind": "auction",
            "chit_value": "2,00,000",
            "tickets": "20",
            "commission_pct": "5",
            "max_discount_pct": "30",
            "min_bid_step": "500",
            "draw_day": "15",
            "branch_id": str(madurai.id),
        },
    )
    seat_all(auction, 20)
    activate_group(
        session, actor=foreman, group_id=auction.id, start=_first_of_month_back(today, 2).isoformat()
    )
    tickets = session.exec(
        select(Ticket).where(Ticket.group_id == auction.id).order_by(Ticket.ticket_no)
    ).all()
    for month, bids in ((1, [(3, "12000"), (8, "15000"), (3, "18500")]), (2, [(5, "11000"), (12, "14500")])):
        _pay_month(session, foreman, auction, month - 1)
        draw = _current_draw(session, auction)
        auctions.open_auction(session, actor=foreman, draw_id=draw.id, minutes=60)
        for ticket_no, amount in bids:
            ticket = tickets[ticket_no - 1]
            auctions.place_bid(
                session,
                actor=Actor(ticket.member_id, "member"),
                draw_id=draw.id,
                ticket_id=ticket.id,
                discount=amount,
            )
        auctions.close_auction(session, actor=foreman, draw_id=draw.id, members_online=11)
    _pay_month(session, foreman, auction, 2, skip={2, 11}, partial={6})

    # 3. Still forming: 3 of 12 seats taken.
    forming = create_group(
        session,
        actor=foreman,
        form={
            "name": "New Year Savings 2027",
            "foreman_first_chit": "off",  # members hold every seat (the Act's default is on, s.21(1)(a))
            "kind": "lucky",
            "chit_value": "60,000",
            "tickets": "12",
            "commission_pct": "4",
            "draw_day": "5",
        },
    )
    seat_all(forming, 3)
    _closed_group(session, foreman, people[10:13], today)
    _staff(session, foreman, pw, {"main": main.id, "madurai": madurai.id}, lucky, auction)
    return True


def _substitute_defaulter(session: Session, foreman: Actor, group: ChitGroup, number: int, pw: str) -> None:
    """Ticket `number` stopped paying at month 3: its written notice went out ten days ago (Chit
    Funds Act s.28), the arrears stayed unpaid, so the foreman removed it and seated a new subscriber
    on its number, who owes the ticket's earlier instalments (s.30(1)); the removed member's
    contributions, less the agreement's deduction, wait for them until the group closes (s.30(3))."""
    ticket = session.exec(
        select(Ticket).where(
            Ticket.group_id == group.id, Ticket.ticket_no == number, Ticket.status != "removed"
        )
    ).one()
    defaults.declare_default(session, actor=foreman, ticket_id=ticket.id, reason="Months 3 and 4 unpaid")
    ticket.defaulted_at -= timedelta(days=10)
    session.add(ticket)
    session.flush()
    substitution.remove_and_substitute(
        session,
        actor=foreman,
        ticket_id=ticket.id,
        mode="default",
        reason="No payment after the notice of removal",
        substitute="new",
        name=SUBSTITUTE_NAME,
        mobile=SUBSTITUTE_MOBILE,
    )
    user = session.exec(select(User).where(User.mobile == SUBSTITUTE_MOBILE)).one()
    user.password_hash, user.must_change_password = pw, False
    session.add(user)


def _closed_group(session: Session, foreman: Actor, people: list[User], today: date) -> None:
    """A three-ticket lucky group that ran its three months, paid every prize against security
    (s.31), gave the deposits back at its close (s.21(1)(e)) and was closed: every account at zero,
    a no-dues certificate for each member."""
    group = create_group(
        session,
        actor=foreman,
        form={
            "name": "Pongal Savings 2026",
            "kind": "lucky",
            "chit_value": "30,000",
            "tickets": "3",
            "commission_pct": "5",
            "draw_day": "5",
            "foreman_first_chit": "off",
        },
    )
    for person in people:
        members.add_member(session, actor=foreman, group_id=group.id, name=person.name, mobile=person.mobile)
    activate_group(
        session, actor=foreman, group_id=group.id, start=_first_of_month_back(today, 5).isoformat()
    )
    for month in (1, 2, 3):
        _pay_month(session, foreman, group, month)
        draw = session.exec(select(Draw).where(Draw.group_id == group.id, Draw.month == month)).one()
        conducting.conduct_draw(session, actor=foreman, draw_id=draw.id, members_online=3)
        payout = session.exec(select(Payout).where(Payout.draw_id == draw.id)).one()
        remaining = payouts.remaining_dues(session, ticket_id=payout.ticket_id)
        if remaining:  # a deposit worth 4/3 of the dues still to pay (s.31), paid in by bank
            payouts.record_security(
                session,
                actor=foreman,
                payout_id=payout.id,
                kind="deposit",
                value=str(remaining * 4 // 300 + 1),
                description="Fixed deposit receipt held by the company",
                method="bank",
                reference=f"DEP-PONGAL-{month}",
                received_on=today.isoformat(),
            )
        payouts.release_payout(
            session,
            actor=foreman,
            payout_id=payout.id,
            method="bank",
            reference=f"NEFT-PONGAL-{month}",
            paid_on=today.isoformat(),
        )
    # Every subscription paid, so the deposits go back to their members (s.21(1)(e)).
    closing.settle_for_closing(session, actor=foreman, group_id=group.id)
    for refund in session.exec(select(SubscriberRefund).where(SubscriberRefund.group_id == group.id)).all():
        subscriber_refunds.pay_subscriber_refund(
            session,
            actor=foreman,
            refund_id=refund.id,
            method="bank",
            reference=f"NEFT-PONGAL-R{refund.ticket_id}",
            paid_on=today.isoformat(),
        )
    closing.close_group(session, actor=foreman, group_id=group.id)


def _staff(
    session: Session, owner: Actor, pw: str, branch: dict[str, int], lucky: ChitGroup, auction: ChitGroup
) -> None:
    """The company's staff with the demo password, each member's agent, and today's field cash."""
    agents: dict[str, Actor] = {}
    for role, name, mobile, where in DEMO_STAFF:
        row, _ = staff.invite_staff(
            session, actor=owner, name=name, mobile=mobile, role=role, branch_id=branch.get(where, "")
        )
        user = session.get(User, row.user_id)
        user.password_hash, user.must_change_password = pw, False
        session.add(user)
        if role == "agent":
            agents[where] = actor_for_user(session, user.id)
    session.flush()
    for group, where in ((lucky, "main"), (auction, "madurai")):
        seated = select(Ticket).where(Ticket.group_id == group.id, Ticket.status != "removed")
        for ticket in session.exec(seated).all():
            staff.assign_member(
                session,
                actor=owner,
                branch_id=branch[where],
                member_id=ticket.member_id,
                agent_id=agents[where].user_id,
            )
    # The Madurai agent collected month 2 from auction ticket 11 in cash today: it is his to hand over.
    ticket = session.exec(select(Ticket).where(Ticket.group_id == auction.id, Ticket.ticket_no == 11)).one()
    owing = sum(
        ln.outstanding for ln in due_lines(session, ticket_id=ticket.id, up_to_month=auction.current_month)
    )
    field_collections.record_collection(
        session,
        actor=agents["madurai"],
        ticket_id=ticket.id,
        amount=str(owing // 100),
        method="cash",
        idempotency_key="demo-madurai-cash-1",
    )
