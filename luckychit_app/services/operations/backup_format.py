"""The `.lcbak` container: an authenticated manifest, then the database dump encrypted in chunks.

Layout (all integers big-endian)::

    b"LCBAK1\\n"                          magic and version
    u32 manifest length, manifest JSON     canonical JSON (sorted keys), see backup.py for its fields
    32 bytes HMAC-SHA256(mac key, magic | length | manifest)
    chunks: u32 length, AES-256-GCM(chunk) ... until the chunk flagged last

Why this shape: a backup is read by someone who must decide, before touching a database, whether to
trust it. The manifest says which data key sealed the file, so a wrong or missing key is named
instead of failing somewhere inside the dump; its HMAC makes an edited manifest (a changed count, a
swapped hash) fail before anything else is read. The dump is sealed in 1 MiB chunks so a dump of
many gigabytes never has to sit in memory; each chunk's associated data carries the file's salt, the
chunk's index and whether it is the last one, so chunks cannot be dropped, reordered, truncated or
moved between files without the tag failing. Both keys are derived with HKDF from the data key
(LUCKYCHIT_DATA_KEYS, luckychit_app.crypto) and a random per-file salt, so every file has fresh keys
and the 96-bit GCM nonce can simply be the chunk index.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from luckychit_app import crypto

MAGIC = b"LCBAK1\n"
CHUNK = 1 << 20
_U32 = struct.Struct(">I")
_MAX_MANIFEST = 1 << 20


class BackupRefused(RuntimeError):
    """The file cannot be trusted or used; nothing was changed. The message says why."""


@dataclass(frozen=True)
class Keys:
    key_id: str
    salt: bytes
    enc: bytes
    mac: bytes


def derive_keys(key_id: str, salt: bytes) -> Keys:
    """The file's encryption and manifest keys, from the named data key and the file's salt."""
    keys = crypto.keyring()[1]
    if key_id not in keys:
        raise BackupRefused(
            f"the backup was sealed with data key {key_id!r}, which LUCKYCHIT_DATA_KEYS does not hold"
        )
    material = HKDF(algorithm=hashes.SHA256(), length=64, salt=salt, info=b"luckychit-backup-v1").derive(
        keys[key_id]
    )
    return Keys(key_id, salt, material[:32], material[32:])


def new_keys() -> Keys:
    return derive_keys(crypto.active_key_id(), secrets.token_bytes(16))


def _aad(salt: bytes, index: int, last: bool) -> bytes:
    return salt + struct.pack(">QB", index, 1 if last else 0)


def _nonce(index: int) -> bytes:
    return struct.pack(">IQ", 0, index)


def _chunks(src: BinaryIO) -> Iterator[tuple[bytes, bool]]:
    """(chunk, is_last); an empty input is one empty last chunk."""
    current = src.read(CHUNK)
    while True:
        following = src.read(CHUNK)
        yield current, not following
        if not following:
            return
        current = following


def encrypt_file(keys: Keys, plain: Path, sealed: Path) -> tuple[str, str]:
    """Seal `plain` into `sealed`; returns (sha256 of the plaintext, sha256 of the ciphertext)."""
    aead = AESGCM(keys.enc)
    plain_hash, sealed_hash = hashlib.sha256(), hashlib.sha256()
    with plain.open("rb") as src, sealed.open("wb") as dst:
        for index, (chunk, last) in enumerate(_chunks(src)):
            plain_hash.update(chunk)
            box = aead.encrypt(_nonce(index), chunk, _aad(keys.salt, index, last))
            framed = _U32.pack(len(box)) + box
            sealed_hash.update(framed)
            dst.write(framed)
    return plain_hash.hexdigest(), sealed_hash.hexdigest()


def canonical(manifest: dict[str, Any]) -> bytes:
    return json.dumps(manifest, sort_keys=True, separators=(",", ":")).encode()


def _mac(keys: Keys, head: bytes) -> bytes:
    return hmac.new(keys.mac, head, hashlib.sha256).digest()


def write_container(keys: Keys, manifest: dict[str, Any], sealed: Path, out: BinaryIO) -> None:
    """Header, manifest and its HMAC, then the sealed chunks copied from `sealed`."""
    body = canonical(manifest)
    head = MAGIC + _U32.pack(len(body)) + body
    out.write(head + _mac(keys, head))
    with sealed.open("rb") as src:
        while block := src.read(CHUNK):
            out.write(block)


def read_manifest(src: BinaryIO) -> tuple[dict[str, Any], Keys]:
    """The manifest, once its HMAC checks out under the data key it names; `src` is left at the
    first chunk. Refuses anything else with the reason."""
    if src.read(len(MAGIC)) != MAGIC:
        raise BackupRefused("not a LuckyChit backup (.lcbak) file")
    raw_len = src.read(4)
    if len(raw_len) != 4 or _U32.unpack(raw_len)[0] > _MAX_MANIFEST:
        raise BackupRefused("the backup's manifest is damaged")
    body = src.read(_U32.unpack(raw_len)[0])
    tag = src.read(32)
    try:
        manifest = json.loads(body)
        keys = derive_keys(str(manifest["key_id"]), bytes.fromhex(manifest["salt"]))
    except BackupRefused:
        raise
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupRefused("the backup's manifest is damaged") from exc
    if not hmac.compare_digest(_mac(keys, MAGIC + raw_len + body), tag):
        raise BackupRefused(
            "the backup's manifest does not authenticate: the file was edited, or this is not the data key "
            f"{keys.key_id!r} that sealed it"
        )
    return manifest, keys


def sealed_sha256(src: BinaryIO) -> str:
    """sha256 of everything after the manifest (the ciphertext), read from the current position."""
    digest = hashlib.sha256()
    while block := src.read(CHUNK):
        digest.update(block)
    return digest.hexdigest()


def decrypt_to(keys: Keys, src: BinaryIO, out: BinaryIO) -> str:
    """Open every chunk into `out`; returns the plaintext's sha256. Refuses a chunk whose tag fails,
    a missing last chunk, or bytes after it."""
    aead = AESGCM(keys.enc)
    digest = hashlib.sha256()
    index = 0
    while True:
        raw_len = src.read(4)
        if len(raw_len) != 4:
            raise BackupRefused("the backup is truncated (its last chunk is missing)")
        box = src.read(_U32.unpack(raw_len)[0])
        for last in (False, True):
            try:
                chunk = aead.decrypt(_nonce(index), box, _aad(keys.salt, index, last))
                break
            except InvalidTag:
                continue
        else:
            raise BackupRefused(f"chunk {index} of the backup does not decrypt: the file was changed")
        digest.update(chunk)
        out.write(chunk)
        index += 1
        if last:
            if src.read(1):
                raise BackupRefused("the backup has bytes after its last chunk")
            return digest.hexdigest()
