"""Reflex configuration. The app's own settings (database, keys) live in luckychit_app.settings."""

import reflex as rx
from reflex.plugins.sitemap import SitemapPlugin

from luckychit_app.settings import get_settings

settings = get_settings()

config = rx.Config(
    app_name="luckychit_app",
    telemetry_enabled=False,
    cors_allowed_origins=list(settings.cors_origins),
    plugins=[rx.plugins.RadixThemesPlugin(theme=rx.theme(accent_color="teal", radius="large"))],
    disable_plugins=[SitemapPlugin],
    show_built_with_reflex=False,
    # Brotli beside gzip for the built JavaScript (Chromium asks for br, also over plain HTTP): the
    # dashboard's chart library 288 KB over the wire instead of 355 KB, a first member home's
    # JavaScript 260 KiB instead of 293 KiB (docs/benchmarks.md).
    frontend_compression_formats=["brotli", "gzip"],
)
