"""Answer, answer and offer a human, or hand off: ordered declarative rules from a YAML matrix.

The escalation matrix is an editor's document (kb/escalation-matrix.yaml): rules read top to
bottom with a required fallback, routes (team, tier, functional/hierarchical, SLA) and the
category -> route table. It is validated on load so a typo fails at start-up, not at 3 a.m.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from responder.config import SUPPORTED_LANGUAGES
from responder.errors import ResponderError
from responder.models import CueKind, EscalationKind, ReplyKind, Tone, ToneLevel

_DURATION = re.compile(r"^\s*(\d+)\s*(m|h|d)\s*$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}


class MatrixError(ResponderError):
    """The escalation matrix file is missing or wrong; the message says where."""

    status_code = 500
    code = "escalation_matrix_error"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Condition(_Strict):
    confidence_below: float | None = Field(None, ge=0, le=1)
    confidence_at_least: float | None = Field(None, ge=0, le=1)
    tone_at_least: ToneLevel | None = None
    cues_any: tuple[CueKind, ...] | None = None
    category_in: tuple[str, ...] | None = None
    article_in: tuple[str, ...] | None = None
    any: tuple[Condition, ...] | None = None
    all: tuple[Condition, ...] | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> Condition:
        if not self.model_fields_set:
            raise ValueError("a condition needs at least one test, e.g. {confidence_below: 0.5}")
        return self

    def holds(self, facts: Facts) -> bool:
        tests = [
            self.confidence_below is None or facts.confidence < self.confidence_below,
            self.confidence_at_least is None or facts.confidence >= self.confidence_at_least,
            self.tone_at_least is None or facts.tone.level.rank >= self.tone_at_least.rank,
            self.cues_any is None or any(facts.tone.has(kind) for kind in self.cues_any),
            self.category_in is None or facts.category in self.category_in,
            self.article_in is None or facts.article in self.article_in,
            self.any is None or any(c.holds(facts) for c in self.any),
            self.all is None or all(c.holds(facts) for c in self.all),
        ]
        return all(tests)


class Rule(_Strict):
    name: str
    why: str = ""
    when: Condition | Literal["always"]
    decide: ReplyKind
    route: str | None = None


class Route(_Strict):
    team: dict[str, str]
    queue: str = Field(min_length=1, max_length=64)
    tier: int = Field(ge=1, le=5)
    kind: EscalationKind
    sla: timedelta

    @field_validator("sla", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> Any:
        if isinstance(value, str):
            match = _DURATION.match(value)
            if not match:
                raise ValueError(f"SLA {value!r} is not a duration like 30m, 4h or 2d")
            return timedelta(**{_UNITS[match[2]]: int(match[1])})
        return value

    @field_validator("team")
    @classmethod
    def _every_language(cls, value: dict[str, str]) -> dict[str, str]:
        missing = [lang for lang in SUPPORTED_LANGUAGES if not value.get(lang)]
        if missing:
            raise ValueError(f"team name missing for languages {missing}")
        return value

    def team_name(self, language: str) -> str:
        return self.team.get(language) or self.team["en"]


class Matrix(_Strict):
    rules: tuple[Rule, ...] = Field(min_length=1)
    routes: dict[str, Route]
    categories: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> Matrix:
        if "default" not in self.routes:
            raise ValueError("routes needs a 'default' route for categories not listed")
        if self.rules[-1].when != "always":
            raise ValueError(f"the last rule ({self.rules[-1].name!r}) must be the fallback, "
                             "with `when: always`")
        named = [r.route for r in self.rules if r.route] + list(self.categories.values())
        unknown = sorted({name for name in named if name not in self.routes})
        if unknown:
            raise ValueError(f"unknown route(s) {unknown}; defined: {sorted(self.routes)}")
        return self


@dataclass(frozen=True)
class Facts:
    """What a rule may look at."""

    confidence: float  # calibrated confidence of the best match (0 when nothing matched)
    tone: Tone
    category: str  # the best match's article category ("" when nothing matched)
    article: str  # the best match's slug ("" when nothing matched)


@dataclass(frozen=True)
class Decision:
    kind: ReplyKind
    rule: str  # the name of the rule that decided: agents see why
    why: str
    route: Route | None  # set when kind is HANDOFF
    route_name: str | None


class Router:
    def __init__(self, matrix: Matrix) -> None:
        self.matrix = matrix

    @classmethod
    def from_file(cls, path: Path) -> Router:
        return cls(load_matrix(path))

    def decide(self, facts: Facts) -> Decision:
        for rule in self.matrix.rules:
            if rule.when == "always" or rule.when.holds(facts):
                route_name = None
                if rule.decide is ReplyKind.HANDOFF:
                    route_name = self.route_name(facts.category, rule.route)
                route = self.matrix.routes[route_name] if route_name else None
                return Decision(rule.decide, rule.name, rule.why, route, route_name)
        raise AssertionError("unreachable: the matrix validator requires a fallback rule")

    def nothing_matched(self) -> Decision:
        """When the rules would answer but the KB has nothing at all (an empty KB)."""
        return Decision(ReplyKind.HANDOFF, "nothing-matched", "The knowledge base has no "
                        "article to answer with.", self.matrix.routes["default"], "default")

    def route_name(self, category: str, forced: str | None = None) -> str:
        if forced:
            return forced
        return self.matrix.categories.get(category, "default")


def load_matrix(path: Path) -> Matrix:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MatrixError(
            f"Escalation matrix {path} does not exist; set RESPONDER_ESCALATION_MATRIX to the "
            "file (the bundled one is kb/escalation-matrix.yaml)."
        ) from None
    except yaml.YAMLError as error:
        raise MatrixError(f"Escalation matrix {path} is not valid YAML: {error}") from None
    try:
        return Matrix.model_validate(raw)
    except ValidationError as error:
        problems = "; ".join(
            f"{_where(e['loc'])}: {e['msg']}" for e in error.errors(include_url=False)
        )
        raise MatrixError(f"Escalation matrix {path} is wrong: {problems}") from None


def _where(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"
