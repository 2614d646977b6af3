"""Operations of the install: worker heartbeats, backups.

The layer sits last in the services contract (pyproject.toml) because it watches the others
(the outbox backlog, the background jobs) and nothing of the business depends on it.

- Backups: `backup` (a sealed, manifested dump of the whole database; restoring one and proving
  the books, the audit chain and every draw proof against it), `backup_format` (the `.lcbak` file:
  HMAC-authenticated manifest, AES-256-GCM chunks under the data key), `backup_schedule` (the
  workers' backup slots, one worker per slot, keeping the newest N files).

May import: the foundation modules (`audit`), models, db, crypto, settings, the standalone
verifier; not the business packages (the ledger check a restore runs is passed in by its caller).
"""
