"""Phrase linter: finds the phrases customer-service writing should avoid (DOMAIN.md).

Errors are the phrases that escalate a conversation ("calm down", "that's not our policy", ...);
warnings are negative-sounding words that are better avoided in writing ("problem",
"unfortunately", "can't"). The phrases live per language in responder/lint_phrases/<lang>.yaml
as regular expressions, so an editor can extend them without touching code.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from importlib import resources
from typing import Any, Literal

import yaml

from responder.config import SUPPORTED_LANGUAGES
from responder.errors import InvalidInput
from responder.models import ArticleContent

Severity = Literal["error", "warning"]
_SEVERITIES: dict[str, Severity] = {"errors": "error", "warnings": "warning"}
# Straight, curly and modifier-letter apostrophes all occur in pasted text.
_APOSTROPHE = "['\u2019\u02bc]"


@dataclass(frozen=True)
class Finding:
    severity: Literal["error", "warning"]
    rule: str
    phrase: str  # the text as written
    start: int
    end: int
    message: str
    suggestion: str
    field: str = ""  # set by lint_article: "title", "options[2]", ...


@dataclass(frozen=True)
class _Rule:
    severity: Severity
    name: str
    pattern: re.Pattern[str]
    message: str
    suggestion: str


def lint_text(text: str, language: str) -> list[Finding]:
    """Every avoidable phrase in `text`, ordered by position; errors before warnings there."""
    errors: list[Finding] = []
    warnings: list[Finding] = []
    for rule in _rules(_checked_language(language)):
        found = errors if rule.severity == "error" else warnings
        found.extend(_matches(rule, text))
    # "I can't do anything" is one error, not an error plus a "can't" warning inside it.
    warnings = [w for w in warnings if not any(_overlap(w, e) for e in errors)]
    return sorted(errors + warnings, key=lambda f: (f.start, f.severity != "error", f.end))


def lint_article(content: ArticleContent) -> list[Finding]:
    """Lint every customer-facing field of an article; each finding names its field."""
    findings: list[Finding] = []
    for field_name, text in _article_fields(content):
        findings.extend(replace(f, field=field_name) for f in lint_text(text, content.language))
    return findings


def _article_fields(content: ArticleContent) -> list[tuple[str, str]]:
    fields = [("title", content.title), ("short_answer", content.short_answer),
              ("body", content.body)]
    fields += [(f"options[{i}]", option) for i, option in enumerate(content.options)]
    fields += [("agreement", content.agreement), ("timeframe", content.timeframe)]
    return fields


def _matches(rule: _Rule, text: str) -> list[Finding]:
    return [
        Finding(rule.severity, rule.name, m.group(0), m.start(), m.end(), rule.message,
                rule.suggestion)
        for m in rule.pattern.finditer(text)
    ]


def _overlap(a: Finding, b: Finding) -> bool:
    return a.start < b.end and b.start < a.end


def _checked_language(language: str) -> str:
    if language not in SUPPORTED_LANGUAGES:
        raise InvalidInput(
            f"Unsupported language {language!r} for the phrase linter; expected one of "
            f"{sorted(SUPPORTED_LANGUAGES)}",
            field="language",
        )
    return language


@functools.cache
def _rules(language: str) -> tuple[_Rule, ...]:
    path = resources.files("responder") / "lint_phrases" / f"{language}.yaml"
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    rules: list[_Rule] = []
    for section, severity in _SEVERITIES.items():
        for name, spec in (data.get(section) or {}).items():
            rules.append(_Rule(severity, name, _compile(spec["patterns"]), spec["message"],
                               spec["suggestion"]))
    return tuple(rules)


def _compile(patterns: list[str]) -> re.Pattern[str]:
    """Whole words only, any whitespace between words, any kind of apostrophe."""
    alternatives = "|".join(
        p.replace("'", _APOSTROPHE).replace(" ", r"\s+") for p in patterns
    )
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
