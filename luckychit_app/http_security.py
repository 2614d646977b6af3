"""Security headers on every HTTP response the backend serves (API routes and pages alike);
API responses are also never cached, since they carry money and personal data, and the build's
content-hashed files are cached for good."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

COMMON = {
    b"x-content-type-options": b"nosniff",
    b"x-frame-options": b"DENY",
    b"referrer-policy": b"same-origin",
    b"permissions-policy": b"camera=(), microphone=(), geolocation=()",
    b"cross-origin-opener-policy": b"same-origin",
}
NO_STORE_PREFIXES = ("/api/", "/health", "/metrics")
BUILT_ASSETS = "/assets/"
"""The production build's JavaScript and CSS: every file name there carries a hash of its content
(the bundler's `name-HASH.js`), so a URL never changes meaning and the browser may keep it for a year
without asking again (RFC 8246, `immutable`; RFC 9111 section 5.2.2.1, `max-age`). Without it the
browser revalidated each of a page's ~30 files on a later visit: a round trip each on a phone's
network (not measurable on this box's loopback, docs/benchmarks.md 3n)."""
IMMUTABLE = b"public, max-age=31536000, immutable"
# API responses are data (JSON, CSV, PDF, a printable statement without scripts): nothing in them may
# run or load, except the statement's Print button (its inline onclick="window.print()", allowed by
# hash). Pages are Reflex's bundle, so their policy only forbids framing, plugins and base tags.
API_CSP = (
    b"default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; "
    b"script-src 'unsafe-hashes' 'sha256-MguIPR6qNR8D3B+eAlK+bIRTZe8t3wkOY4B/56Me9FU='"
)
PAGE_CSP = b"frame-ancestors 'none'; object-src 'none'; base-uri 'self'"


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        no_store = path.startswith(NO_STORE_PREFIXES)
        built = path.startswith(BUILT_ASSETS)  # cached for good, but only what was found (status 200)
        csp = API_CSP if path.startswith("/api/") else PAGE_CSP

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in COMMON]
                headers = [(k, v) for k, v in headers if k.lower() != b"content-security-policy"]
                headers += [*COMMON.items(), (b"content-security-policy", csp)]
                cache = b"no-store" if no_store else None
                if built and message["status"] == 200:
                    cache = IMMUTABLE
                if cache:
                    headers = [(k, v) for k, v in headers if k.lower() != b"cache-control"]
                    headers.append((b"cache-control", cache))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
