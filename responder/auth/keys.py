"""The secret key, and the keyed hashes of what clients hold (API tokens, session ids).

A token is 32 random bytes; the database keeps only HMAC-SHA256(secret key, token), so a
copy of the database alone cannot be used to sign in, and nothing clients hold is ever
stored or logged in clear. Without RESPONDER_SECRET_KEY a server on a loopback address uses
a key generated once and kept beside the database (`<kb_dir>/.secret_key`, mode 0600); on
any other address it refuses to start (`require_configured_key`): several machines must
share one key, and a key nobody chose is a key nobody backs up.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
import secrets
from pathlib import Path

from responder.config import Settings
from responder.errors import ResponderError

KEY_FILE = ".secret_key"
MIN_KEY_CHARS = 32


class MissingSecretKey(ResponderError):
    status_code = 500
    code = "missing_secret_key"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def require_configured_key(settings: Settings, host: str) -> None:
    if is_loopback(host) or settings.secret_key is not None:
        return
    raise MissingSecretKey(
        f"Refusing to serve on {host} without RESPONDER_SECRET_KEY: set it to a random "
        f"string of at least {MIN_KEY_CHARS} characters (e.g. the output of `python -c "
        "'import secrets; print(secrets.token_urlsafe(48))'`), the same on every server of "
        "this knowledge base.")


def secret_key(settings: Settings) -> bytes:
    if settings.secret_key is not None:
        return settings.secret_key.get_secret_value().encode()
    path = settings.kb_dir / KEY_FILE
    if not path.exists():
        _create_key_file(path)
    return path.read_text(encoding="ascii").strip().encode()


def _create_key_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: use theirs
        return
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secrets.token_urlsafe(48))


def new_token(prefix: str) -> str:
    return f"{prefix}_{secrets.token_urlsafe(32)}"


def keyed_hash(key: bytes, token: str) -> str:
    return hmac.new(key, token.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()
