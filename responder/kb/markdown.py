"""Articles as Markdown files with YAML front matter: `<slug>/<language>.md` (see kb/README.md).

Import validates every file before anything is written, so a typo in one file never leaves
half a folder imported; the writes then commit one article at a time, and a re-run skips what
is already there unchanged.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from responder.errors import InvalidInput
from responder.kb.validation import MAX_QUESTION, article_from_mapping, article_to_mapping, clean_text
from responder.models import Article, ArticleContent, ExampleQuestion

MAX_FILE_BYTES = 1_000_000


@dataclass(frozen=True)
class ParsedArticle:
    path: Path
    content: ArticleContent
    questions: tuple[str, ...]


def parse_file(path: Path) -> ParsedArticle:
    if path.stat().st_size > MAX_FILE_BYTES:
        raise InvalidInput(f"{path}: the file is larger than {MAX_FILE_BYTES} bytes.")
    try:
        raw = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start}).") from exc
    if not raw.lstrip().startswith("---"):
        raise InvalidInput(
            f"{path}: no front matter; the file must start with a '---' line, the article's "
            "fields in YAML, and another '---' line (see kb/README.md)."
        )
    try:
        post = frontmatter.loads(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise InvalidInput(f"{path}: malformed front matter{where}: {problem}.") from exc
    meta: dict[str, Any] = dict(post.metadata)
    examples = meta.pop("examples", []) or []
    if not isinstance(examples, list) or not all(isinstance(e, str) for e in examples):
        raise InvalidInput(f"{path}: examples must be a list of questions (strings).",
                           field="examples")
    meta["body"] = post.content
    content = article_from_mapping(meta, source=str(path))
    questions = tuple(clean_text(e, f"{path}: examples", MAX_QUESTION) for e in examples)
    return ParsedArticle(path, content, questions)


def parse_folder(folder: Path) -> list[ParsedArticle]:
    if not folder.is_dir():
        raise InvalidInput(f"{folder} is not a folder of Markdown articles.")
    files = sorted(p for p in folder.rglob("*.md") if p.name.lower() != "readme.md")
    if not files:
        raise InvalidInput(f"{folder} holds no Markdown articles (*.md).")
    parsed: list[ParsedArticle] = []
    seen: dict[tuple[str, str], Path] = {}
    for path in files:
        article = parse_file(path)
        key = (article.content.slug, article.content.language)
        if key in seen:
            raise InvalidInput(
                f"Duplicate article: slug {key[0]!r} in language {key[1]!r} is in both "
                f"{seen[key]} and {path}; keep one."
            )
        seen[key] = path
        parsed.append(article)
    return parsed


Upsert = Callable[[ArticleContent, tuple[str, ...]], bool]


def import_folder(folder: Path, upsert: Upsert) -> tuple[int, int]:
    """Validate all files, then upsert each. Returns (articles changed, articles unchanged)."""
    return import_parsed(parse_folder(folder), upsert)


def import_parsed(
    articles: list[ParsedArticle], upsert: Upsert,
    progress: Callable[[ParsedArticle, bool], None] | None = None,
) -> tuple[int, int]:
    changed = unchanged = 0
    for article in articles:
        did_change = upsert(article.content, article.questions)
        changed += did_change
        unchanged += not did_change
        if progress:
            progress(article, did_change)
    return changed, unchanged


def render_article(article: Article, questions: list[ExampleQuestion]) -> str:
    meta = article_to_mapping(article.content)
    body = meta.pop("body")
    meta["examples"] = [q.text for q in questions]
    header = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=96)
    return f"---\n{header}---\n{body}\n"


def export_article(folder: Path, article: Article, questions: list[ExampleQuestion]) -> Path:
    path = folder / article.slug / f"{article.language}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".md.tmp")
    tmp.write_text(render_article(article, questions), encoding="utf-8")
    os.replace(tmp, path)
    return path
