"""`kb-responder lint`: the editors' phrase check, without loading any model."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from responder.cli import app
from responder.errors import InvalidInput

DEMO = Path(__file__).resolve().parents[1] / "kb" / "demo"
runner = CliRunner()


def test_the_demo_kb_passes_the_linter() -> None:
    result = runner.invoke(app, ["lint", str(DEMO)])
    assert result.exit_code == 0, result.output
    assert "0 error(s)" in result.output


def test_phrases_to_avoid_fail_with_the_phrase_and_a_suggestion() -> None:
    result = runner.invoke(app, ["lint", "--text", "Beruhigen Sie sich bitte, das ist nicht "
                                 "unsere Richtlinie.", "--language", "de"])
    assert result.exit_code == 1, result.output
    assert "2 error(s)" in result.output and "Beruhigen Sie sich" in result.output


def test_an_article_file_with_a_bad_phrase_names_the_field(tmp_path: Path) -> None:
    article = tmp_path / "calm" / "en.md"
    article.parent.mkdir()
    article.write_text("---\nslug: calm\nlanguage: en\ntitle: Calm\nshort_answer: Please calm "
                       "down, you misunderstood the offer.\n---\nBody.\n", encoding="utf-8")
    result = runner.invoke(app, ["lint", str(tmp_path)])
    assert result.exit_code == 1 and "short_answer" in result.output, result.output


def test_an_unknown_language_is_a_clear_error() -> None:
    result = runner.invoke(app, ["lint", "--text", "hi", "--language", "xx"])
    assert isinstance(result.exception, InvalidInput)
    assert "Unsupported language 'xx'" in result.exception.message
