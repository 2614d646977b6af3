"""The kinds of message the outbox sends, and what each kind is.

Why kinds: an Indian SMS must match a content template registered on the operators' DLT platform
(TRAI TCCCPR 2018), and a business-initiated WhatsApp message must be an approved template; so a
message is queued as a kind (one registered template per kind and provider) with its variables, not
as free text. The rendered body is still kept: the console and email send it, and it is the record.

Each kind has a category:
* transactional - the member must get it whatever their message settings: one-time codes, receipts
  for money received (a cash receipt is a collector's only proof), and the written notices the Chit
  Funds Act 1982 requires (s.28 removal for default, s.32-s.33 demand on a prized defaulter);
* service - useful, but the member may turn it off per channel (payment reminders).
Opt-outs (issue 18, item 3) apply to `service` kinds only.

`max_age` is how long a message stays worth sending: a sign-in code sent after it expired only
confuses, so the outbox marks it failed instead (services/people/auth.CODE_TTL is 10 minutes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

CATEGORIES = ("transactional", "service")
CODE_LIFE = timedelta(minutes=10)


@dataclass(frozen=True)
class Kind:
    category: str
    max_age: timedelta | None = None
    description: str = ""


KINDS: dict[str, Kind] = {
    "sign_in_code": Kind("transactional", CODE_LIFE, "one-time sign-in code"),
    "signup_code": Kind("transactional", CODE_LIFE, "one-time code proving a new member's mobile"),
    "signup_taken": Kind("transactional", timedelta(hours=1), "sign-up asked for a registered number"),
    "reset_code": Kind("transactional", CODE_LIFE, "one-time code to reset a forgotten password"),
    "email_code": Kind("transactional", CODE_LIFE, "code verifying a member's email address"),
    "password_issued": Kind("transactional", None, "the foreman issued a new temporary password"),
    "receipt": Kind("transactional", None, "numbered receipt for money received"),
    "staff_invite": Kind("transactional", None, "a staff account was made for this number"),
    "default_notice": Kind("transactional", None, "written notice of removal for default (s.28(1))"),
    "demand_notice": Kind("transactional", None, "written demand on a prized defaulter (s.32-s.33)"),
    "recovery_notice": Kind("transactional", None, "recovery notice to a prized defaulter's guarantor"),
    "removal_notice": Kind("transactional", None, "the member's ticket was removed and substituted"),
    "group_cancelled": Kind("transactional", None, "the group was cancelled before it started"),
    "notice": Kind("transactional", None, "any other notice about the member's money"),
    "reminder": Kind("service", None, "payment reminder sent by the foreman"),
    "reminder_before": Kind("service", timedelta(days=1), "scheduled reminder before the due date"),
    "reminder_due": Kind("service", timedelta(days=1), "scheduled reminder on the due date"),
    "reminder_overdue": Kind("service", timedelta(days=1), "scheduled reminder after the due date"),
}
"""Every kind a call site may queue. A new kind needs a line here and, for SMS and WhatsApp, a
template registered with each provider (LUCKYCHIT_MSG91_TEMPLATES, LUCKYCHIT_WHATSAPP_TEMPLATES)."""


def category_of(kind: str) -> str:
    """The kind's category; an unknown kind is a programming error, refused before anything is queued."""
    found = KINDS.get(kind)
    if found is None:
        raise ValueError(f"unknown message kind {kind!r}: add it to services/messages/kinds.KINDS")
    return found.category
