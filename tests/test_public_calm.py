"""What the escalation training reads as calm beside the tone set (benchmarks.public_calm):
public training questions and the language set's tuning messages that the lexicons call calm.
The public sets are made-up stand-ins in the format of ../shared/datasets, never the real
files."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from benchmarks import datasets, language, public_calm
from benchmarks.train_escalation import batch_of

BANKING_TRAIN = [
    ("Where is my new card?", "card_arrival"),
    ("My card has not arrived yet", "card_arrival"),
    ("I need my card asap, it is urgent!", "card_arrival"),  # the lexicons flag it
    ("How do I top up by bank transfer?", "top_up"),
    ("Why is my top up still pending?", "top_up"),
    ("Can I change my PIN at an ATM?", "change_pin"),
]
BANKING_TEST = [("Is there a fee for topping up?", "top_up")]
CLINC = {
    "train": [["what is my credit limit", "credit_limit"],
              ["tell me my credit limit please", "credit_limit"],
              ["how do i say thank you in danish", "translate"]],
    "val": [["what's the limit on my card", "credit_limit"]],
    "test": [["translate good morning to german", "translate"]],
    "oos_train": [["who won the game last night", "oos"]],
    "oos_val": [["what is the meaning of life", "oos"]],
    "oos_test": [["how tall is mount everest", "oos"]],
}


def public_sets(root: Path) -> Path:
    (root / "banking77").mkdir(parents=True)
    for name, rows in (("train", BANKING_TRAIN), ("test", BANKING_TEST)):
        with (root / "banking77" / f"{name}.csv").open("w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(["text", "category"])
            writer.writerows(rows)
    (root / "clinc150").mkdir()
    (root / "clinc150" / "data_full.json").write_text(json.dumps(CLINC), encoding="utf-8")
    return root


def test_public_training_questions_the_lexicons_call_calm_are_read_as_calm(
        tmp_path: Path) -> None:
    root = public_sets(tmp_path)
    messages = public_calm.calm_questions(100, root)
    banking = datasets.load("banking77", root)
    texts = {m.text for m in messages}
    assert "I need my card asap, it is urgent!" not in texts
    # only the training questions: Banking77's carved-off validation part and both test
    # splits stay for the benchmark
    assert not texts & {e.text for e in banking.val + banking.test}
    assert not texts & {text for key in ("val", "test", "oos_val", "oos_test", "oos_train")
                        for text, _ in CLINC[key]}
    assert len(messages) == len(banking.train) - 1 + len(CLINC["train"])
    assert all(not m.escalated and not m.cues and m.language == "en"
               and m.split == public_calm.SPLIT for m in messages)
    assert public_calm.calm_questions(100, root) == messages  # the same ones every run


def test_each_source_is_dealt_into_pseudo_batches_by_topic(tmp_path: Path) -> None:
    messages = public_calm.calm_questions(100, public_sets(tmp_path))
    intent = dict(BANKING_TRAIN) | {text: name for text, name in CLINC["train"]}
    batches: dict[str, set[str]] = {}
    for m in messages:
        batches.setdefault(intent[m.text], set()).add(batch_of(m.id))
    # an intent's questions share a batch, so out of fold a topic is never half read
    assert all(len(found) == 1 for found in batches.values())
    # (change_pin's one question went to Banking77's validation part)
    assert set(batches) == {"card_arrival", "top_up", "credit_limit", "translate"}
    assert {batch[:4] for found in batches.values() for batch in found} == {"pubb", "pubc"}
    assert len({m.id for m in messages}) == len(messages)


def test_at_most_the_asked_number_per_set(tmp_path: Path) -> None:
    messages = public_calm.calm_questions(2, public_sets(tmp_path))
    assert sorted(batch_of(m.id)[:4] for m in messages) == ["pubb", "pubb", "pubc", "pubc"]


def test_short_messages_come_from_the_language_sets_tuning_split_only() -> None:
    messages = public_calm.short_messages(30)
    holdout = {m.text for m in language.load("holdout")}
    tuning = {(m.language, m.text) for m in language.load("tuning")}
    assert [sum(m.language == code for m in messages) for code in language.LANGUAGES] == [30] * 5
    assert all((m.language, m.text) in tuning and not m.escalated for m in messages)
    assert not {m.text for m in messages} & holdout - {text for _, text in tuning}
    assert {batch_of(m.id)[:3] for m in messages} == {"lng"}
