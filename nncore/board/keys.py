"""Class codes and teacher keys.

A *class code* is what students type or click: 6 capital letters without look-alikes (no I, L, O), about
23^6 ≈ 1.5·10^8 codes; it only lets one join and send. A *teacher key* opens the board: ``secrets.token_urlsafe``
over 24 random bytes (192 bits, the issue asks for ≥ 128). The database keeps only its SHA-256 (a random key
this long needs no slow hash: there is no dictionary to try), compared with ``hmac.compare_digest``.
A *seat token* is a student's own secret (16 random bytes, 128 bits): it is the student's link to their
seat (``/class?code=…&seat=…``, kept by the browser tab), so a reload gives the same student their nickname
back; the database keeps only its SHA-256 as well.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ"     # no I, L, O: read aloud and typed from a projector
CODE_LENGTH = 6
KEY_BYTES = 24                                  # 192 bits
SEAT_BYTES = 16                                 # 128 bits
KEY_MAX_CHARS = 100                             # a pasted key longer than this is refused before hashing


def new_class_code() -> str:
    """A random class code, e.g. ``"KTRAMW"``."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """A code as typed (spaces, lower case) in its stored form; ``""`` when it cannot be a code."""
    code = "".join(str(text or "").split()).upper()
    if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        return ""
    return code


def new_teacher_key() -> str:
    """A fresh teacher key (URL-safe text, 32 characters)."""
    return secrets.token_urlsafe(KEY_BYTES)


def hash_key(key: str) -> str:
    """The stored form of a teacher key: SHA-256, hex."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def key_matches(key: str, stored_hash: str) -> bool:
    """Whether ``key`` is the one whose hash is stored, in constant time; a missing or oversized key is not."""
    if not key or not isinstance(key, str) or len(key) > KEY_MAX_CHARS:
        return False
    return hmac.compare_digest(hash_key(key), stored_hash or "")


def new_seat_token() -> str:
    """A fresh seat token for one student (URL-safe text, 22 characters)."""
    return secrets.token_urlsafe(SEAT_BYTES)


def hash_seat(token: str) -> str:
    """The stored form of a seat token (SHA-256, hex); an oversized or non-text token hashes to what no seat
    token gives, so it matches no seat."""
    if not isinstance(token, str) or not token or len(token) > KEY_MAX_CHARS:
        return "-"
    return hash_key(token)
