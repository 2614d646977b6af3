"""What reaches people: in-app notifications written in the event's transaction (`notifications`),
the bell (`inbox`), the outbox and its delivery after commit (`outbox`), reminders to members with
overdue dues (`reminders`), and member queries answered by the foreman (`disputes`).

`notifications` is the low part every other package writes through.
May import: the foundation modules, gateways (senders), `reporting.foreman_scope` (whom to remind).
"""
