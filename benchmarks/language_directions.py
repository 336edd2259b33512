"""Measure each language's leading directions for the default model and ship them.

The texts are the demo KB's titles, answers and even-numbered example questions (the ones
`benchmarks.multilingual` keeps in the KB; its held-out queries are never read here).

    python -m benchmarks.language_directions
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from benchmarks.multilingual import DEMO, split
from responder.config import Settings
from responder.index.convert import MODEL_ID
from responder.index.embedder import load_embedder
from responder.index.language_subspace import REFERENCE_PATH, save_reference, top_directions
from responder.kb import rows
from responder.kb.markdown import parse_folder

COMPONENTS = 4  # stored; the setting decides how many are used


def main() -> None:
    settings = Settings()
    embedder = load_embedder(settings)
    if embedder.model_id != MODEL_ID:
        raise SystemExit(f"the reference directions are for {MODEL_ID}, not {embedder.model_id}")
    articles = parse_folder(DEMO)
    kept, _ = split(articles)
    vectors: dict[str, list[np.ndarray]] = defaultdict(list)
    for article in articles:
        content = article.content
        passages = [rows.article_search_text(content), rows.body_search_text(content)]
        questions = kept[(content.slug, content.language)]
        vectors[content.language].append(
            embedder.embed([p for p in passages if p], prefix=settings.passage_prefix))
        vectors[content.language].append(embedder.embed(questions, prefix=settings.query_prefix))
    directions = {lang: top_directions(np.vstack(parts), COMPONENTS)
                  for lang, parts in sorted(vectors.items())}
    save_reference(REFERENCE_PATH, MODEL_ID, directions)
    counts = {lang: sum(len(p) for p in parts) for lang, parts in vectors.items()}
    print(f"wrote {REFERENCE_PATH} ({COMPONENTS} directions per language; texts: {counts})")


if __name__ == "__main__":
    main()
