"""token_auth: creating tokens (stored only as salted hashes) and checking them for a site."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from datetime import datetime, timezone

from sqlalchemy import select

from core.db import Database

CHECK_CACHE_SECONDS = 60.0


def hash_token(token: str, salt: str) -> str:
    return hashlib.sha512((token + salt).encode("utf-8")).hexdigest()


def create_token(db: Database, salt: str, idsites: list[int], description: str = "") -> str:
    """A new 32-hex-character token with write access to ``idsites`` (super user when empty)."""
    token = secrets.token_hex(16)
    login = "token_" + secrets.token_hex(6)
    now = datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)
    with db.engine.begin() as conn:
        conn.execute(db.table("user").insert().values(login=login, superuser_access=0 if idsites else 1,
                                                      date_registered=now))
        conn.execute(db.table("user_token_auth").insert().values(
            login=login, description=description[:100], password=hash_token(token, salt), hash_algo="sha512",
            date_created=now))
        for idsite in idsites:
            conn.execute(db.table("access").insert().values(login=login, idsite=idsite, access="write"))
    return token


class TokenAuth:
    """Answers "may this token write to this site?", caching each answer for a minute."""

    def __init__(self, db: Database, salt: str) -> None:
        self.db = db
        self.salt = salt
        self._answers: dict[tuple[int, str], tuple[float, bool]] = {}
        self._lock = threading.Lock()

    def can_write(self, idsite: int, token: str) -> bool:
        hashed = hash_token(token, self.salt)
        key = (idsite, hashed)
        now = time.monotonic()
        cached = self._answers.get(key)
        if cached is not None and now - cached[0] < CHECK_CACHE_SECONDS:
            return cached[1]
        allowed = self._lookup(idsite, hashed)
        with self._lock:
            if len(self._answers) > 10_000:
                self._answers.clear()
            self._answers[key] = (now, allowed)
        return allowed

    def is_super_user(self, token: str) -> bool:
        login, superuser = self._user(hash_token(token, self.salt))
        return bool(login and superuser)

    def _user(self, hashed: str) -> tuple[str | None, bool]:
        tokens, users = self.db.table("user_token_auth"), self.db.table("user")
        with self.db.engine.connect() as conn:
            rows = conn.execute(select(tokens.c.login, tokens.c.password, users.c.superuser_access)
                                .join(users, users.c.login == tokens.c.login)
                                .where(tokens.c.password == hashed)).all()
        for login, stored, superuser in rows:
            if hmac.compare_digest(stored, hashed):
                return login, bool(superuser)
        return None, False

    def _lookup(self, idsite: int, hashed: str) -> bool:
        login, superuser = self._user(hashed)
        if login is None:
            return False
        if superuser:
            return True
        access = self.db.table("access")
        with self.db.engine.connect() as conn:
            level = conn.execute(select(access.c.access).where(access.c.login == login, access.c.idsite == idsite)
                                 ).scalar()
        return level in ("write", "admin")
