"""The escalation matrix: ordered rules with a fallback, routes and SLAs, clear load errors."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from responder.config import Settings
from responder.models import Cue, CueKind, EscalationKind, ReplyKind, Tone, ToneLevel
from responder.routing import Facts, MatrixError, Router, load_matrix

BUNDLED = Settings().escalation_matrix


@pytest.fixture(scope="module")
def router() -> Router:
    return Router.from_file(BUNDLED)


def tone(level: ToneLevel = ToneLevel.CALM, *kinds: CueKind) -> Tone:
    return Tone(level, tuple(Cue(kind, "x", 0, 1) for kind in kinds))


def facts(confidence: float, category: str = "billing", article: str = "billing-invoice",
          mood: Tone | None = None) -> Facts:
    return Facts(confidence, mood or tone(), category, article)


def test_confident_calm_match_is_answered(router: Router) -> None:
    decision = router.decide(facts(0.95))
    assert decision.kind is ReplyKind.ANSWER and decision.route is None
    assert decision.rule == "confident"


def test_middling_confidence_offers_a_human(router: Router) -> None:
    assert router.decide(facts(0.6)).kind is ReplyKind.ANSWER_OFFER_HUMAN


def test_upset_customer_is_offered_a_human_even_when_confident(router: Router) -> None:
    decision = router.decide(facts(0.97, mood=tone(ToneLevel.UPSET, CueKind.ANGER)))
    assert decision.kind is ReplyKind.ANSWER_OFFER_HUMAN


def test_low_confidence_hands_off_functionally_to_the_category_team(router: Router) -> None:
    decision = router.decide(facts(0.2, category="payment-card", article="card-swallowed"))
    assert decision.kind is ReplyKind.HANDOFF and decision.rule == "no-good-match"
    assert decision.route is not None and decision.route.queue == "cards"
    assert decision.route.kind is EscalationKind.FUNCTIONAL
    assert decision.route.sla == timedelta(hours=4)


def test_unknown_category_goes_to_the_default_route(router: Router) -> None:
    decision = router.decide(facts(0.1, category="", article=""))
    assert decision.route is not None and decision.route_name == "default"


@pytest.mark.parametrize("kind", [CueKind.INSULT, CueKind.THREAT])
def test_abuse_and_threats_go_hierarchical_at_once_even_with_a_perfect_match(
    router: Router, kind: CueKind
) -> None:
    decision = router.decide(facts(0.99, mood=tone(ToneLevel.HOSTILE, kind)))
    assert decision.kind is ReplyKind.HANDOFF and decision.rule == "abuse-or-threat"
    assert decision.route is not None and decision.route.kind is EscalationKind.HIERARCHICAL
    assert decision.route.team_name("de") == "Teamleitung Kundenservice"


def test_asking_for_a_person_is_never_argued_with(router: Router) -> None:
    decision = router.decide(facts(0.99, mood=tone(ToneLevel.CALM, CueKind.HUMAN)))
    assert decision.kind is ReplyKind.HANDOFF and decision.rule == "asks-for-a-person"
    assert decision.route is not None and decision.route.queue == "billing"


def test_data_deletion_always_needs_a_person(router: Router) -> None:
    decision = router.decide(facts(0.99, category="account", article="account-delete"))
    assert decision.kind is ReplyKind.HANDOFF and decision.rule == "always-a-person"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "matrix.yaml"
    path.write_text(text, encoding="utf-8")
    return path


ROUTES = """
routes:
  default:
    team: {en: A, da: A, nb: A, de: A, ru: A}
    queue: q
    tier: 2
    kind: functional
    sla: 4h
"""


def test_a_matrix_without_fallback_is_refused_with_the_reason(tmp_path: Path) -> None:
    path = write(tmp_path, "rules:\n  - {name: low, when: {confidence_below: 0.5}, "
                           "decide: handoff}\n" + ROUTES)
    with pytest.raises(MatrixError, match="must be the fallback"):
        load_matrix(path)


@pytest.mark.parametrize("bad, where", [
    ("sla: 4h", "sla: four hours"),
    ("kind: functional", "kind: sideways"),
])
def test_a_wrong_route_field_names_where_it_is(tmp_path: Path, bad: str, where: str) -> None:
    text = "rules:\n  - {name: all, when: always, decide: answer}\n" + ROUTES.replace(bad, where)
    with pytest.raises(MatrixError, match=r"routes\.default\.(sla|kind)"):
        load_matrix(write(tmp_path, text))


def test_unknown_route_and_unknown_cue_are_refused(tmp_path: Path) -> None:
    text = ("rules:\n  - {name: x, when: {cues_any: [sarcasm]}, decide: handoff, route: nope}\n"
            "  - {name: all, when: always, decide: answer}\n" + ROUTES)
    with pytest.raises(MatrixError, match="cues_any"):
        load_matrix(write(tmp_path, text))


def test_missing_matrix_says_which_setting_to_use(tmp_path: Path) -> None:
    with pytest.raises(MatrixError, match="RESPONDER_ESCALATION_MATRIX"):
        load_matrix(tmp_path / "absent.yaml")
