"""AES-256-GCM for data at rest (KYC numbers, draw seeds before reveal).

Keys come from LUCKYCHIT_DATA_KEYS ("id:base64key,id2:base64key", the first encrypts, all decrypt,
which is how keys rotate). In dev only, a key file is generated under var/.
"""

from __future__ import annotations

import base64
import os
import secrets
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from luckychit_app.settings import VAR_DIR, get_settings

DEV_KEY_FILE = VAR_DIR / "data.key"


class KeyringError(RuntimeError):
    pass


def _parse_keys(spec: str) -> dict[str, bytes]:
    keys: dict[str, bytes] = {}
    for part in spec.split(","):
        key_id, _, b64 = part.strip().partition(":")
        raw = base64.b64decode(b64)
        if not key_id or len(raw) != 32:
            raise KeyringError("LUCKYCHIT_DATA_KEYS entries must be id:base64(32 bytes)")
        keys[key_id] = raw
    return keys


@lru_cache(maxsize=1)
def keyring() -> tuple[str, dict[str, bytes]]:
    """(active key id, all keys)."""
    spec = os.environ.get("LUCKYCHIT_DATA_KEYS", "").strip()
    if not spec:
        if get_settings().env == "prod":
            raise KeyringError("LUCKYCHIT_DATA_KEYS must be set in production")
        VAR_DIR.mkdir(exist_ok=True)
        if not DEV_KEY_FILE.exists():
            DEV_KEY_FILE.write_text("dev1:" + base64.b64encode(secrets.token_bytes(32)).decode())
            DEV_KEY_FILE.chmod(0o600)
        spec = DEV_KEY_FILE.read_text().strip()
    keys = _parse_keys(spec)
    return next(iter(keys)), keys


def encrypt(plaintext: bytes, *, context: str) -> str:
    """Returns "keyid:base64(nonce|ciphertext)"; `context` binds the value to its row/column."""
    key_id, keys = keyring()
    nonce = secrets.token_bytes(12)
    sealed = AESGCM(keys[key_id]).encrypt(nonce, plaintext, context.encode())
    return f"{key_id}:{base64.b64encode(nonce + sealed).decode()}"


def decrypt(token: str, *, context: str) -> bytes:
    key_id, _, b64 = token.partition(":")
    keys = keyring()[1]
    if key_id not in keys:
        raise KeyringError(f"data key {key_id!r} is not configured")
    raw = base64.b64decode(b64)
    return AESGCM(keys[key_id]).decrypt(raw[:12], raw[12:], context.encode())


def active_key_id() -> str:
    return keyring()[0]
