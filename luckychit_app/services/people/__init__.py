"""People: sign-in, sessions and passwords (`auth`); seats in a group, join requests and ticket status
(`members`); KYC numbers, encrypted and masked (`kyc`); a user's own settings and sessions (`profile`);
the platform admin's tools (`admin`); a foreman's company and branches (`companies`); staff
invitations, roles and agents' members (`staff`).

May import: the foundation modules (errors, validation, access, audit), `groups.terms` (seat counts),
`messages.notifications`, `money.ledger` (the admin's books check).
"""
