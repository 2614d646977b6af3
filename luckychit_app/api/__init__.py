"""HTTP routes beside the Reflex pages, mounted through the app's `api_transformer` (`routes.api`).

One module per area: `draws` (public proof and verifier downloads), `payments` (the Razorpay webhook
and receipt PDFs), `reports` (CSV exports and the printable statement), `message_webhooks` (SMS and
WhatsApp delivery reports); `routes` adds /health and
/metrics and builds the Starlette app. Routes are as thin as state handlers: they authenticate the
session cookie or the webhook signature, then call services, which check role and ownership.
May import: services, gateways, db, settings, metrics. Never state or pages.
"""
