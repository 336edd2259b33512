"""Roles are ranked: an editor can do what an agent can, an admin everything.

agent: searches, sees internal articles and drafts, opens and resolves escalations.
editor: also writes articles (create, edit, publish, archive, restore, example questions).
admin: also manages users and reads the event log.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from responder.errors import Forbidden, InvalidInput


class Role(StrEnum):
    AGENT = "agent"
    EDITOR = "editor"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def allows(self, needed: Role) -> bool:
        return self.rank >= needed.rank

    @classmethod
    def parse(cls, value: str, field: str = "role") -> Role:
        try:
            return cls(value.strip().lower())
        except ValueError:
            raise InvalidInput(f"Unknown role {value!r}; expected one of "
                               f"{', '.join(r.value for r in cls)}.", field=field) from None


_RANK = {Role.AGENT: 1, Role.EDITOR: 2, Role.ADMIN: 3}


@dataclass(frozen=True)
class Actor:
    """Who is acting, with which role. `via` says how they proved it: session, token or
    cli; `token_id` names the API token used, if one."""

    user_id: int | None
    name: str
    role: Role
    via: str
    token_id: int | None = None

    def require(self, needed: Role) -> None:
        if not self.role.allows(needed):
            raise Forbidden(f"This needs the {needed.value} role; {self.name} acts as "
                            f"{self.role.value}.")


def local_admin(name: str) -> Actor:
    """The CLI acts as a named local admin: whoever can run it owns the database file."""
    return Actor(None, name, Role.ADMIN, "cli")
