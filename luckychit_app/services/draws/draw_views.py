"""Read models of draws for pages and downloads: small dicts of display strings, built with a few
set-based queries. The live pages poll :func:`live_snapshot` about once a second, so it stays tiny;
everything else is loaded when the snapshot's ``version`` changes.

Who sees what: the group's foreman (and admins) see names everywhere; members see ticket numbers,
their own tickets and the minutes; anyone may see a completed draw's proof and its verification,
because the proof names members only by opaque per-group references.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from luckychit_app.clock import format_date, to_ist, utcnow
from luckychit_app.domain.eligibility import blocking_months, ineligibility_reason
from luckychit_app.domain.fairness import member_ref
from luckychit_app.domain.money import format_inr, percent_bp
from luckychit_app.domain.settlement import next_minimum_bid
from luckychit_app.i18n import text as tr
from luckychit_app.models import AuditLog, Bid, ChitGroup, Draw, DrawEntropy, DrawPresence, Ticket, User
from luckychit_app.services.access import Actor, group_for_staff, group_for_viewer, require_id, require_role
from luckychit_app.services.draws.animation import ANIMATION_LEAD_MS, animation_frames
from luckychit_app.services.draws.auction_words import auction_sentences, beacon_words, named_beacon_words
from luckychit_app.services.draws.bid_chain import chain_head
from luckychit_app.services.draws.draw_rows import OPEN_STATUSES, draw_mode
from luckychit_app.services.draws.presence import PRESENCE_WINDOW
from luckychit_app.services.draws.ticket_states import member_ref_secret, ticket_states
from luckychit_app.services.errors import NotAllowed, ServiceError
from luckychit_app.services.groups.terms import terms_of
from luckychit_app.verify import parse_proof, proof_sha256, verify_proof

MAX_PROOF_CHARS = 256_000
"""A real proof is a few kilobytes; anything bigger pasted into the public page is refused."""
MODE_LABELS = {
    "lucky": "Lucky draw",
    "auction": "Auction",
    "foreman_first": "Foreman's first chit (s.21(1)(a))",
    "final": "Final month: the last ticket takes the prize",
}
STATUS_LABELS = {
    "committed": "Commitment published",
    "bidding": "Auction open",
    "completed": "Completed",
    "cancelled": "Cancelled",
}


def ist_seconds(moment: datetime | None) -> str:
    """DD-MM-YYYY HH:MM:SS IST, or an em dash: draw minutes need the second."""
    return "—" if moment is None else to_ist(moment).strftime("%d-%m-%Y %H:%M:%S IST")


def ist_millis(moment: datetime | None) -> str:
    """Like :func:`ist_seconds` with milliseconds: cutoff, freeze, draw and reveal are milliseconds apart."""
    if moment is None:
        return "—"
    return to_ist(moment).strftime("%d-%m-%Y %H:%M:%S.%f")[:-3] + " IST"


def _ts(moment: datetime | None) -> float:
    if moment is None:
        return 0.0
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def _is_manager(actor: Actor, group: ChitGroup) -> bool:
    return actor.role == "admin" or group.foreman_id == actor.user_id


def _viewed(session: Session, actor: Actor | None, draw_id: object) -> tuple[Draw, ChitGroup, Actor]:
    actor = require_role(actor, "foreman", "admin", "member")
    did = require_id(draw_id, "draw")
    draw = session.get(Draw, did)
    if draw is None:
        raise NotAllowed()
    group = group_for_viewer(session, actor, draw.group_id)
    return draw, group, actor


def _names(session: Session, group_id: int) -> dict[int, tuple[int, str, int]]:
    """ticket id -> (ticket no, member name, member user id) for the whole group."""
    rows = session.exec(
        select(Ticket.id, Ticket.ticket_no, User.name, User.id)
        .join(User, User.id == Ticket.member_id)
        .where(Ticket.group_id == group_id)
    ).all()
    return {tid: (no, name, uid) for tid, no, name, uid in rows}


def _best_bid(session: Session, draw_id: int) -> tuple[int | None, int]:
    best, count = session.exec(
        select(func.max(Bid.discount), func.count(Bid.id)).where(Bid.draw_id == draw_id)
    ).one()
    return (None if best is None else int(best)), int(count)


def _kind_note(draw: Draw, group: ChitGroup, proof: dict[str, Any], lang: str = "en") -> str:
    n = len(proof.get("eligible", []))
    mode = draw_mode(group, draw)
    if mode == "foreman_first":
        return tr(lang, "note.foreman_first")
    if proof.get("kind") == "single-eligible":
        if mode == "final":
            return tr(lang, "note.final_single")
        if group.kind == "auction":
            return tr(lang, "note.auction_single")
        return tr(lang, "note.single")
    if proof.get("kind") == "auction-tie":
        tickets = ", ".join(str(e["ticket"]) for e in proof.get("eligible", []))
        return tr(lang, "note.tie", tickets=tickets)
    return tr(lang, "note.lot", n=n)


def _lang(actor: Actor) -> str:
    """Members read draws in their language; the foreman's console stays English."""
    return actor.language if actor.role == "member" else "en"


def _reason(lang: str, state: Any, month: int, kind: str) -> str:
    """Why a ticket is out of this draw, in the member's language ("" if it is in)."""
    reason = ineligibility_reason(state, month, kind) or ""
    if not reason or lang == "en":
        return reason
    if not state.active:
        return tr(lang, "draws.not_active", n=state.ticket_no)
    if state.prized:
        return tr(lang, "draws.already_won", n=state.ticket_no)
    blocking = blocking_months(state, month, kind)
    months = ", ".join(str(m) for m in blocking)
    return tr(
        lang, "draws.unpaid_one" if len(blocking) == 1 else "draws.unpaid", n=state.ticket_no, months=months
    )


def _proof(draw: Draw) -> dict[str, Any]:
    """The draw's lot proof: an auction's proof (version 2) wraps it with the bids, terms and
    settlement (docs/proofs.md), and what the pages show of the lot is the same either way."""
    proof = json.loads(draw.proof_json) if draw.proof_json else {}
    return proof.get("lot", proof) if proof.get("kind") == "auction" else proof


def _next_draw_id(session: Session, draw: Draw) -> str:
    nxt = session.exec(
        select(Draw.id).where(Draw.group_id == draw.group_id, Draw.month == draw.month + 1)
    ).first()
    return str(nxt) if nxt else ""


def _result(session: Session, draw: Draw, group: ChitGroup, actor: Actor, names: dict) -> dict[str, Any]:
    proof = _proof(draw)
    no, name, uid = names.get(draw.winner_ticket_id, (0, "", 0))
    manager = _is_manager(actor, group)
    mine = uid == actor.user_id
    lang = _lang(actor)
    return {
        "winner_ticket": str(no),
        "winner_name": name if manager else (tr(lang, "draws.you") if mine else ""),
        "winner_is_me": mine,
        "prize": format_inr(draw.prize),
        "discount": format_inr(draw.discount),
        "commission": format_inr(draw.commission),
        # GST on the commission (issue 19): recovered from the prize above where the group says so.
        "gst": format_inr(draw.gst),
        "has_gst": draw.gst > 0,
        "dividend": format_inr(draw.dividend_per_ticket),
        "remainder": format_inr(draw.remainder),
        "net_installment": format_inr(draw.net_installment),
        "has_dividend": draw.dividend_per_ticket > 0,
        "members_online": str(draw.members_online),
        "drawn_at": ist_seconds(draw.drawn_at),
        "proof_sha256": draw.proof_sha256 or "",
        "kind_note": _kind_note(draw, group, proof, lang),
        "eligible_count": str(len(proof.get("eligible", []))),
        "phrases": ", ".join(f"“{p}”" for p in proof.get("phrases", [])) or "none",
        "public_value": beacon_words(proof.get("beacon"), lang)
        if proof.get("version") == 2
        else (tr(lang, "beacon.typed", value=proof.get("public_value") or "none")),
        "server_seed": draw.server_seed_hex or "",
        "next_draw_id": _next_draw_id(session, draw),
    }


def draw_page(session: Session, *, actor: Actor | None, draw_id: object) -> dict[str, Any]:
    """Everything the live draw page shows, for the foreman's console or a member's phone."""
    draw, group, actor = _viewed(session, actor, draw_id)
    manager = _is_manager(actor, group)
    lang = _lang(actor)
    names = _names(session, group.id)
    terms = terms_of(group)
    mode = draw_mode(group, draw)
    is_open = draw.status in OPEN_STATUSES
    best, bid_count = _best_bid(session, draw.id)
    phrases = session.exec(
        select(DrawEntropy.user_id, DrawEntropy.phrase).where(DrawEntropy.draw_id == draw.id)
    ).all()
    tickets: list[dict[str, Any]] = []
    eligible_count = 0
    if is_open:
        kind = "lucky" if group.kind == "lucky" else "auction"
        for t, state in ticket_states(session, group, draw.month):
            reason = _reason(lang, state, draw.month, kind)
            if mode == "final":
                reason = "" if not state.prized else reason
            if mode == "foreman_first":
                reason = "" if t.member_id == group.foreman_id else tr(lang, "draws.foreman_month")
            eligible_count += not reason
            if manager or t.member_id == actor.user_id:
                tickets.append(
                    {
                        "ticket_id": str(t.id),
                        "ticket_no": str(t.ticket_no),
                        "name": names[t.id][1],
                        "eligible": not reason,
                        "reason": reason or tr(lang, "draws.eligible"),
                        "status": t.status,
                    }
                )
    bids = session.exec(select(Bid).where(Bid.draw_id == draw.id).order_by(Bid.id.desc()).limit(50)).all()
    nxt = next_minimum_bid(terms, best) if group.kind == "auction" else None
    page: dict[str, Any] = {
        "id": str(draw.id),
        "group_id": str(group.id),
        "group_name": group.name,
        "month": str(draw.month),
        "months": str(group.tickets),
        "kind": group.kind,
        "mode": mode,
        "mode_label": tr(lang, f"mode.{mode}"),
        "month_of": tr(lang, "draws.month_of", month=draw.month, months=group.tickets),
        "status": draw.status,
        "status_label": tr(lang, f"drawstatus.{draw.status}")
        if draw.status in STATUS_LABELS
        else draw.status,
        "is_open": is_open,
        "is_completed": draw.status == "completed",
        "is_manager": manager,
        "commitment": draw.commitment,
        "committed_at": ist_seconds(draw.committed_at),
        "phrases_count": str(len(phrases)),
        "my_phrase": next((p for uid, p in phrases if uid == actor.user_id), ""),
        "beacon": named_beacon_words(draw.beacon_terms, lang),
        "chain_head": chain_head(draw) if group.kind == "auction" else "",
        "chit_value": format_inr(group.chit_value),
        "installment": format_inr(terms.installment),
        "commission": format_inr(terms.commission) + f" ({percent_bp(group.commission_bp)})",
        "eligible_count": str(eligible_count),
        "can_conduct": is_open and (group.kind == "lucky" or mode in ("final", "foreman_first")),
        "can_open_auction": is_open and group.kind == "auction" and mode == "auction",
        "is_bidding": draw.status == "bidding",
        "closes_at": ist_seconds(draw.bidding_closes_at) if draw.bidding_closes_at else "",
        "closes_at_ts": _ts(draw.bidding_closes_at),
        "best_bid": format_inr(best) if best is not None else tr(lang, "draws.no_bids"),
        "bid_count": str(bid_count),
        "min_bid": format_inr(terms.commission),
        "max_bid": format_inr(terms.max_discount),
        "step": format_inr(terms.min_bid_step),
        "next_min": format_inr(nxt) if nxt is not None else "",
        "next_min_rupees": f"{nxt // 100}" if nxt is not None and nxt % 100 == 0 else "",
        "tickets": tickets,
        "bids": [
            {
                "ticket_no": str(names[b.ticket_id][0]),
                "name": names[b.ticket_id][1] if manager else "",
                "amount": format_inr(b.discount),
                "at": to_ist(b.created_at).strftime("%H:%M:%S"),
                "in_person": b.in_person,
                "mine": names[b.ticket_id][2] == actor.user_id,
            }
            for b in bids
        ],
        "result": _result(session, draw, group, actor, names) if draw.status == "completed" else {},
        "auction_words": _auction_words(draw, actor, lang),
    }
    return page


def live_snapshot(session: Session, *, actor: Actor | None, draw_id: object) -> dict[str, Any]:
    """The few values a live page polls: status, best bid and a version that changes with anything
    else worth reloading (bids, phrases, the bid chain's head, the closing time)."""
    draw, group, viewer = _viewed(session, actor, draw_id)
    best, count = _best_bid(session, draw.id)
    watching = session.exec(
        select(func.count())
        .select_from(DrawPresence)
        .where(
            DrawPresence.draw_id == draw.id,
            DrawPresence.user_id != group.foreman_id,
            DrawPresence.last_seen_at >= utcnow() - PRESENCE_WINDOW,
        )
    ).one()
    phrases = session.exec(
        select(func.count(), func.max(DrawEntropy.created_at)).where(DrawEntropy.draw_id == draw.id)
    ).one()
    version = "|".join(
        str(v)
        for v in (
            draw.status,
            count,
            best,
            phrases[0],
            phrases[1],
            draw.chain_head,
            draw.bidding_closes_at,
        )
    )
    return {
        "status": draw.status,
        "version": version,
        "best_bid": format_inr(best) if best is not None else tr(_lang(viewer), "draws.no_bids"),
        "bid_count": str(count),
        "chain_head": chain_head(draw) if group.kind == "auction" else "",
        "closes_at_ts": _ts(draw.bidding_closes_at),
        "drawn_at_ts": _ts(draw.drawn_at),
        "now_ts": utcnow().timestamp(),
        "watching": str(watching),
    }


def animation(session: Session, *, actor: Actor | None, draw_id: object) -> dict[str, Any]:
    """The draw-day animation of a completed draw: ticket labels with their times (ms after start)."""
    draw, _group, _actor = _viewed(session, actor, draw_id)
    if draw.status != "completed":
        return {"frames": [], "start_ts": 0.0, "single": True}
    proof = _proof(draw)
    labels = [f"#{e['ticket']}" for e in proof["eligible"]]
    winner = f"#{proof['winner']['ticket']}"
    frames = animation_frames(labels, winner, draw.proof_sha256 or "")
    return {
        "frames": frames,
        "start_ts": _ts(draw.drawn_at) + ANIMATION_LEAD_MS / 1000,
        "single": len(labels) == 1,
    }


# Made once: an alias copies every column of its table (a Column object each, per call).
_WINNER = aliased(Ticket)


def member_draws(session: Session, *, actor: Actor | None) -> list[dict[str, Any]]:
    """The member's groups, each with this month's draw and the past draws (newest first)."""
    actor = require_role(actor, "member")
    lang = actor.language
    rows = session.exec(
        select(ChitGroup, Ticket.ticket_no)
        .join(Ticket, Ticket.group_id == ChitGroup.id)
        .where(Ticket.member_id == actor.user_id, Ticket.status != "removed")
        .order_by(ChitGroup.id, Ticket.ticket_no)
    ).all()
    groups: dict[int, dict[str, Any]] = {}
    for group, ticket_no in rows:
        entry = groups.setdefault(
            group.id,
            {
                "group_id": str(group.id),
                "name": group.name,
                "kind": tr(lang, f"kind.{group.kind}"),
                "tickets": [],
                "current": {},
                "past": [],
            },
        )
        entry["tickets"].append(str(ticket_no))
    if not groups:
        return []
    # Plain columns with the winner's ticket number joined in: 40 months of draws per group, and a
    # Draw row carries the sealed seed and every phrase.
    draws = session.exec(
        select(
            Draw.id,
            Draw.group_id,
            Draw.month,
            Draw.status,
            Draw.commitment,
            Draw.bidding_closes_at,
            Draw.prize,
            Draw.drawn_at,
            _WINNER.ticket_no,
        )
        .outerjoin(_WINNER, _WINNER.id == Draw.winner_ticket_id)
        .where(Draw.group_id.in_(list(groups)))
        .order_by(Draw.group_id, Draw.month.desc())
    ).all()
    for did, group_id, month, status, commitment, closes_at, prize, drawn_at, winner_no in draws:
        entry = groups[group_id]
        if status in OPEN_STATUSES and not entry["current"]:
            entry["current"] = {
                "id": str(did),
                "month": str(month),
                "open_label": tr(lang, "draws.open_live", month=month),
                "status": tr(lang, f"drawstatus.{status}"),
                "commitment": commitment[:16] + "…",
                "closes_at": ist_seconds(closes_at) if closes_at else "",
            }
        elif status == "completed":
            entry["past"].append(
                {
                    "id": str(did),
                    "month": str(month),
                    "winner": tr(lang, "common.ticket_n", n=winner_no if winner_no is not None else "?"),
                    "prize": format_inr(prize),
                    "date": format_date(to_ist(drawn_at).date()) if drawn_at else "",
                }
            )
    out = []
    for entry in groups.values():
        entry["tickets"] = ", ".join(entry["tickets"])
        entry["has_current"] = bool(entry["current"])
        out.append(entry)
    return out


def _checks(proof: Any, lang: str = "en") -> list[dict[str, Any]]:
    return [
        {"name": c.name, "label": tr(lang, f"check.{c.name}"), "ok": c.ok, "detail": c.detail}
        for c in verify_proof(proof)
    ]


def _recorded_sha(session: Session, draw: Draw) -> str:
    """The proof hash written into the hash-chained audit log when the draw completed."""
    row = session.exec(
        select(AuditLog.detail).where(
            AuditLog.action == "draw.completed",
            AuditLog.object_type == "draw",
            AuditLog.object_id == str(draw.id),
        )
    ).first()
    try:
        return str(json.loads(row).get("proof_sha256", "")) if row else ""
    except (ValueError, AttributeError):
        return ""


def _auction_words(draw: Draw, actor: Actor | None, lang: str, proof: dict | None = None) -> list[str]:
    """An auction's proof retold (services.draws.auction_words), "you" being the signed-in member;
    ``proof`` is the whole stored proof when the caller has parsed it already."""
    if draw.status != "completed" or not draw.proof_json:
        return []
    mine = set()
    if actor is not None and actor.role == "member":
        mine = {member_ref(actor.user_id, draw.group_id, member_ref_secret())}
    return auction_sentences(proof if proof is not None else json.loads(draw.proof_json), mine, lang)


def verify_view(
    session: Session, *, draw_id: object, lang: str = "en", actor: Actor | None = None
) -> dict[str, Any]:
    """Public: the stored proof of a draw, every check recomputed, and its hash compared with the
    hash recorded at the draw (on the draw row and in the hash-chained audit log). A signed-in
    member (``actor``) reads an auction's retelling with their own bids as "you bid"."""
    did = require_id(draw_id, "draw")
    draw = session.get(Draw, did)
    if draw is None:
        raise NotAllowed("There is no draw with that number.")
    group = session.get(ChitGroup, draw.group_id)
    base = {
        "id": str(draw.id),
        "group_name": group.name,
        "month": str(draw.month),
        "commitment": draw.commitment,
        "committed_at": ist_seconds(draw.committed_at),
        "completed": draw.status == "completed",
        "status_label": tr(lang, f"drawstatus.{draw.status}")
        if draw.status in STATUS_LABELS
        else draw.status,
    }
    if draw.status != "completed" or not draw.proof_json:
        return {**base, "checks": [], "all_ok": False, "sha_rows": [], "auction_words": []}
    proof = parse_proof(draw.proof_json)
    computed = proof_sha256(proof)
    recorded = draw.proof_sha256 or ""
    logged = _recorded_sha(session, draw)
    checks = _checks(proof, lang)
    sha_ok = computed == recorded == logged
    return {
        **base,
        "checks": checks,
        "all_ok": all(c["ok"] for c in checks) and sha_ok,
        "sha_ok": sha_ok,
        "sha_rows": [
            {"label": tr(lang, "sha.recomputed"), "value": computed, "ok": True},
            {"label": tr(lang, "sha.recorded"), "value": recorded, "ok": recorded == computed},
            {"label": tr(lang, "sha.logged"), "value": logged, "ok": logged == computed},
        ],
        "winner_ticket": str(proof["winner"]["ticket"]),
        "kind": proof["kind"],
        "eligible_count": str(len(proof.get("lot", proof)["eligible"])),
        "auction_words": _auction_words(draw, actor, lang, proof),
        "drawn_at": ist_seconds(draw.drawn_at),
    }


def verify_text(text: object, lang: str = "en") -> dict[str, Any]:
    """Check a proof someone pasted or uploaded (no database): parse strictly, then every check."""
    if not isinstance(text, str) or not text.strip():
        return {"error": tr(lang, "verify.paste_first"), "checks": [], "all_ok": False, "sha": ""}
    if len(text) > MAX_PROOF_CHARS:
        return {"error": tr(lang, "verify.too_long"), "checks": [], "all_ok": False, "sha": ""}
    try:
        proof = parse_proof(text)
    except (ValueError, RecursionError) as exc:
        return {"error": f"This is not valid JSON: {exc}"[:300], "checks": [], "all_ok": False, "sha": ""}
    checks = _checks(proof, lang)
    try:
        sha = proof_sha256(proof)
    except (UnicodeEncodeError, ValueError):
        sha = "cannot be computed (the document holds text that is not valid UTF-8)"
    return {"error": "", "checks": checks, "all_ok": all(c["ok"] for c in checks), "sha": sha}


def proof_download(session: Session, *, draw_id: object) -> tuple[str, str] | None:
    """(proof JSON, file name) of a completed draw, for anyone; None when there is no such proof."""
    try:
        did = require_id(draw_id, "draw")
    except ServiceError:
        return None
    draw = session.get(Draw, did)
    if draw is None or draw.status != "completed" or not draw.proof_json:
        return None
    return draw.proof_json, f"luckychit-draw-{draw.id}-group-{draw.group_id}-month-{draw.month}.json"


def _minutes_reader(session: Session, actor: Actor | None, draw_id: object) -> tuple[Draw, ChitGroup, Actor]:
    """Who reads a draw's minutes: the group's members, its foreman and the platform admin (as the
    draw's page), and the company's staff whose role may view the group's branch (access "view")."""
    if actor is None or actor.role != "staff":
        return _viewed(session, actor, draw_id)
    draw = session.get(Draw, require_id(draw_id, "draw"))
    if draw is None:
        raise NotAllowed()
    return draw, group_for_staff(session, actor, draw.group_id, "view"), actor


def minutes(session: Session, *, actor: Actor | None, draw_id: object) -> dict[str, Any]:
    """The minutes of a draw or auction (DESIGN §4.6, s.17), for the group's members, its foreman and
    the staff who may view the group; not public (the proof and its verification are)."""
    draw, group, actor = _minutes_reader(session, actor, draw_id)
    if draw.status != "completed":
        raise NotAllowed("The minutes are written when the draw has been held.")
    names = _names(session, group.id)
    proof = _proof(draw)
    foreman = session.get(User, group.foreman_id)
    online = session.exec(
        select(User.name)
        .join(DrawPresence, DrawPresence.user_id == User.id)
        .where(DrawPresence.draw_id == draw.id, DrawPresence.at_draw.is_(True))
        .order_by(User.name)
    ).all()
    by_no = {no: name for no, name, _ in names.values()}
    bids = session.exec(select(Bid).where(Bid.draw_id == draw.id).order_by(Bid.id)).all()
    audit_detail = session.exec(
        select(AuditLog.detail).where(AuditLog.action == "draw.completed", AuditLog.object_id == str(draw.id))
    ).first()
    detail = json.loads(audit_detail) if audit_detail else {}
    result = _result(session, draw, group, actor, names)
    winner_no = proof.get("winner", {}).get("ticket")
    return {
        "id": str(draw.id),
        "group_name": group.name,
        "foreman": foreman.name if foreman else "",
        "month": str(draw.month),
        "months": str(group.tickets),
        "mode_label": MODE_LABELS[draw_mode(group, draw)],
        "chit_value": format_inr(group.chit_value),
        "started_at": ist_seconds(draw.started_at),
        "ended_at": ist_seconds(draw.revealed_at),
        "timeline": [
            {"label": "Commitment published", "value": ist_seconds(draw.committed_at)},
            {"label": "Auction opened", "value": ist_seconds(draw.started_at)}
            if group.kind == "auction" and draw.bidding_closes_at
            else {"label": "Draw started", "value": ist_seconds(draw.started_at)},
            *(
                [{"label": "Announced closing time", "value": ist_seconds(draw.bidding_closes_at)}]
                if draw.bidding_closes_at
                else []
            ),
            {"label": "Entropy cut off", "value": ist_millis(draw.cutoff_at)},
            {"label": "Eligible list frozen", "value": ist_millis(draw.frozen_at)},
            {"label": "Winner selected", "value": ist_millis(draw.drawn_at)},
            {"label": "Server seed revealed", "value": ist_millis(draw.revealed_at)},
        ],
        "closed_early": bool(detail.get("closed_early")),
        "closed_automatically": detail.get("closed_by") == "schedule",
        "bids_set_aside": str(detail.get("bids_set_aside", 0)),
        "members_online": str(draw.members_online),
        "online_names": ", ".join(online) or "—",
        "eligible": [
            {
                "ticket_no": str(e["ticket"]),
                "name": by_no.get(e["ticket"], ""),
                "won": e["ticket"] == winner_no,
            }
            for e in proof.get("eligible", [])
        ],
        "bids": [
            {
                "ticket_no": str(names[b.ticket_id][0]),
                "name": names[b.ticket_id][1],
                "amount": format_inr(b.discount),
                "at": ist_seconds(b.created_at),
                "how": "in person (entered by the foreman)" if b.in_person else "from the member's phone",
            }
            for b in bids
        ],
        "has_bids": bool(bids),
        "is_auction": group.kind == "auction",
        "winner": f"Ticket {result['winner_ticket']} — {names.get(draw.winner_ticket_id, (0, '', 0))[1]}",
        **{k: result[k] for k in ("prize", "discount", "commission", "gst", "dividend", "remainder")},
        **{k: result[k] for k in ("net_installment", "kind_note", "phrases", "public_value")},
        "commitment": draw.commitment,
        "chain_head": draw.chain_head or "",
        "proof_sha256": draw.proof_sha256 or "",
        "server_seed": draw.server_seed_hex or "",
        "printed_at": ist_seconds(utcnow()),
    }
