"""Multilingual matching on the bundled demo KB: same language and across languages.

The demo KB has every article in en, da, nb, de and ru with 6-8 example questions each. Even
positions of each article's examples stay in the KB; odd positions become queries:
- same language: the full KB; a query must find its article, in its own language;
- across languages: only the English articles are in the KB; a da/nb/de/ru query must find
  its article in English (flagged as a language fallback);
- missing translation: the full KB, except that every third article exists in English only; a
  da/nb/de/ru query about one of those must find the English article among articles in its
  own language (the situation right after a resolution taught the KB in one language).

    python -m benchmarks.multilingual [--components 2] [--head-weight 0.1] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

from responder.config import Settings
from responder.kb.markdown import ParsedArticle, parse_folder
from responder.wiring import build_services

DEMO = Path(__file__).resolve().parents[1] / "kb" / "demo"


@dataclass(frozen=True)
class Query:
    text: str
    language: str
    slug: str


def split(articles: list[ParsedArticle]) -> tuple[dict[tuple[str, str], list[str]], list[Query]]:
    kept: dict[tuple[str, str], list[str]] = {}
    queries: list[Query] = []
    for article in articles:
        key = (article.content.slug, article.content.language)
        kept[key] = list(article.questions[0::2])
        queries += [Query(q, key[1], key[0]) for q in article.questions[1::2]]
    return kept, queries


def evaluate(
    keep: Callable[[ParsedArticle], bool], queries: list[Query], threshold: float,
    components: int, head_weight: float,
) -> dict:
    articles = [a for a in parse_folder(DEMO) if keep(a)]
    kept, _ = split(articles)
    with tempfile.TemporaryDirectory(prefix="kb-multi-") as tmp:
        settings = Settings(kb_dir=Path(tmp) / "kb", index_dir=Path(tmp) / "index",
                            seed_demo=False, language_components=components,
                            head_weight=head_weight)
        services = build_services(settings)
        for article in articles:
            key = (article.content.slug, article.content.language)
            services.kb.upsert_article(article.content, kept[key], edited_by="bench")
        services.index.wait_for_head()
        by_language: dict[str, list[tuple[bool, float, bool]]] = defaultdict(list)
        for query in queries:
            hit = services.retriever.search(query.text, query.language, k=1).hits[0]
            by_language[query.language].append(
                (hit.article.slug == query.slug, hit.score, hit.fallback_language))
        services.close()
    return {language: summarise(rows, threshold) for language, rows in by_language.items()}


def summarise(rows: list[tuple[bool, float, bool]], threshold: float) -> dict[str, float]:
    answered = [correct for correct, score, _ in rows if score >= threshold]
    return {
        "queries": len(rows),
        "top1": sum(c for c, _, _ in rows) / len(rows),
        "answered_share": len(answered) / len(rows),
        "answered_precision": sum(answered) / len(answered) if answered else 0.0,
        "fallback_share": sum(f for _, _, f in rows) / len(rows),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threshold", type=float, default=0.5,
                        help="confidence at which a query counts as answered")
    parser.add_argument("--components", type=int, default=Settings().language_components,
                        help="RESPONDER_LANGUAGE_COMPONENTS for this run (0 = off)")
    parser.add_argument("--head-weight", type=float, default=Settings().head_weight,
                        help="RESPONDER_HEAD_WEIGHT for this run (0 = retrieval alone)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    every = parse_folder(DEMO)
    _, queries = split(every)
    english_only = {slug for i, slug in enumerate(sorted({a.content.slug for a in every}))
                    if i % 3 == 0}
    foreign = [q for q in queries if q.language != "en"]
    t, d, h = args.threshold, args.components, args.head_weight
    results: dict[str, object] = {
        "same_language": evaluate(lambda a: True, queries, t, d, h),
        "cross_language": evaluate(lambda a: a.content.language == "en", foreign, t, d, h),
        "missing_translation": evaluate(
            lambda a: a.content.language == "en" or a.content.slug not in english_only,
            [q for q in foreign if q.slug in english_only], t, d, h),
        "threshold": t,
        "components": d,
        "head_weight": h,
    }
    table = Table("setting", "lang", "queries", "top-1", f"answered ≥{args.threshold}",
                  "precision", title="Demo KB, held-out example questions")
    for setting in ("same_language", "cross_language", "missing_translation"):
        rows: dict[str, dict[str, float]] = results[setting]  # type: ignore[assignment]
        for language, row in sorted(rows.items()):
            table.add_row(setting, language, str(row["queries"]), f"{row['top1']:.1%}",
                          f"{row['answered_share']:.1%}", f"{row['answered_precision']:.1%}")
    Console().print(table)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
