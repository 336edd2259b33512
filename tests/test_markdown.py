"""Markdown import/export: round trip, the bundled demo KB, and precise errors."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from responder.config import SUPPORTED_LANGUAGES
from responder.errors import InvalidInput
from responder.kb.markdown import export_article, import_folder, parse_file, parse_folder
from tests.conftest import sqlite_store

DEMO = Path(__file__).resolve().parents[1] / "kb" / "demo"
GOOD = """---
slug: order-status
language: en
title: Where is my order?
category: orders
tags: [orders, tracking]
short_answer: >-
  Follow the tracking link in your shipping email.
options:
  - Track it yourself
  - Ask us to check with the carrier
agreement: We ask the carrier and email you.
timeframe: within 2 working days
examples:
  - where is my parcel
  - order not arrived
---
Body with **details**.
"""


def write(folder: Path, relative: str, text: str) -> Path:
    path = folder / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_parse_reads_every_field(tmp_path):
    parsed = parse_file(write(tmp_path, "order-status/en.md", GOOD))
    assert parsed.content.title == "Where is my order?"
    assert parsed.content.options == ("Track it yourself", "Ask us to check with the carrier")
    assert parsed.content.timeframe == "within 2 working days"
    assert parsed.content.body == "Body with **details**."
    assert parsed.questions == ("where is my parcel", "order not arrived")


def test_export_then_import_round_trips(tmp_path):
    store = sqlite_store(tmp_path)
    source = parse_file(write(tmp_path / "in", "order-status/en.md", GOOD))
    article, _ = store.create_article(source.content, source.questions, edited_by="t")
    path = export_article(tmp_path / "out", article, store.questions(article.id))
    again = parse_file(path)
    assert again.content == source.content and again.questions == source.questions
    store.close()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("no front matter here", "no front matter"),
        ("---\ntitle: [unclosed\n---\nbody", "malformed front matter at line 3"),
        (GOOD.replace("language: en", "language: xx"), "Unsupported language 'xx'"),
        (GOOD.replace("title: Where", "titel: Where"), "titel: unknown field"),
        (GOOD.replace("slug: order-status", "slug: Order Status"), "slug"),
        (GOOD.replace("short_answer: >-\n  Follow the tracking link in your shipping email.\n",
                      ""), "short_answer: is required"),
        (GOOD.replace("status: published", "").replace("tags:", "status: live\ntags:"),
         "status"),
        (GOOD.replace("  - order not arrived", "  - 42"), "examples must be a list"),
    ],
)
def test_bad_files_get_precise_errors_naming_the_file(tmp_path, text, message):
    path = write(tmp_path, "bad/en.md", text)
    with pytest.raises(InvalidInput, match=message) as info:
        parse_file(path)
    assert str(path) in str(info.value)


def test_binary_file_is_refused(tmp_path):
    path = tmp_path / "bin" / "en.md"
    path.parent.mkdir()
    path.write_bytes(b"---\ntitle: \xff\xfe\n---\n")
    with pytest.raises(InvalidInput, match="not UTF-8"):
        parse_file(path)


def test_duplicate_articles_name_both_files(tmp_path):
    write(tmp_path, "a/en.md", GOOD)
    write(tmp_path, "b/en.md", GOOD)
    with pytest.raises(InvalidInput, match="Duplicate article") as info:
        parse_folder(tmp_path)
    assert "a/en.md" in str(info.value) and "b/en.md" in str(info.value)


def test_one_bad_file_imports_nothing(tmp_path):
    write(tmp_path, "a/en.md", GOOD)
    write(tmp_path, "b/en.md", GOOD.replace("slug: order-status", "slug: other").replace(
        "language: en", "language: zz"))
    imported: list[str] = []
    with pytest.raises(InvalidInput):
        import_folder(tmp_path, lambda content, questions: imported.append(content.slug) or True)
    assert imported == []


def test_demo_kb_is_complete_in_five_languages():
    articles = parse_folder(DEMO)
    slugs = Counter(a.content.slug for a in articles)
    assert len(slugs) >= 30
    incomplete = {s: n for s, n in slugs.items() if n != len(SUPPORTED_LANGUAGES)}
    assert incomplete == {}
    for article in articles:
        assert article.path.parent.name == article.content.slug
        assert article.path.stem == article.content.language
        assert len(article.questions) >= 4, article.path
        assert article.content.options, article.path
