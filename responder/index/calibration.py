"""Turn raw match scores into a confidence that means the same in every language.

Raw cosine levels depend on the query's language and length; what carries over is how far the
best article stands above the rest. The confidence is a logistic model of (fused score, margin
over the best other article), fitted on validation data by `benchmarks/calibrate.py` and
shipped as calibration.json: one fit per scoring mode, "retrieval" (retrieval alone) and
"head" (retrieval plus the article classifier's log-probability, a different scale).
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

DEFAULT_PATH = Path(__file__).with_name("calibration.json")
MODES = ("retrieval", "head")


@dataclass(frozen=True)
class Calibration:
    coef_score: float
    coef_margin: float
    intercept: float
    fitted_on: str = "defaults"
    model_id: str = ""  # the model whose scores it was fitted on; "" = any

    def confidence(self, score: float, margin: float) -> float:
        z = self.coef_score * score + self.coef_margin * margin + self.intercept
        return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))

    def save(self, path: Path, mode: str = "retrieval") -> None:
        """Write this fit for `mode`, keeping the other mode's fit in the file."""
        fits = _read(path)
        fits[mode] = asdict(self)
        path.write_text(json.dumps({m: fits[m] for m in MODES if m in fits}, indent=2) + "\n")

    @classmethod
    def load(
        cls, model_id: str = "", mode: str = "retrieval", path: Path = DEFAULT_PATH
    ) -> Calibration:
        """The fit for `model_id` and `mode`; another model's scores live on another scale, so
        it gets rough values (measured on raw cosines) until it is fitted with
        benchmarks.calibrate."""
        if mode not in MODES:
            raise ValueError(f"unknown calibration mode {mode!r}; expected one of {MODES}")
        stored = _read(path).get(mode)
        if stored is not None:
            fitted = cls(**stored)
            if not model_id or fitted.model_id in ("", model_id):
                return fitted
        return cls(coef_score=20.0, coef_margin=40.0, intercept=-17.0)


def _read(path: Path) -> dict[str, dict[str, Any]]:
    if not path.exists():
        return {}
    data = json.loads(path.read_text())
    return {"retrieval": data} if "coef_score" in data else data
