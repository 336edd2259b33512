"""Turn raw match scores into a confidence that means the same in every language.

Raw cosine levels depend on the query's language and length; what carries over is how far the
best article stands above the rest. The confidence is a logistic model of (fused score, margin
over the best other article), fitted on validation data by `benchmarks/calibrate.py` and
shipped as calibration.json.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path

DEFAULT_PATH = Path(__file__).with_name("calibration.json")


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

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), indent=2) + "\n")

    @classmethod
    def load(cls, model_id: str = "", path: Path = DEFAULT_PATH) -> Calibration:
        """The fit for `model_id`; another model's scores live on another scale, so it gets
        rough values (measured on raw cosines) until it is fitted with benchmarks.calibrate."""
        if path.exists():
            fitted = cls(**json.loads(path.read_text()))
            if not model_id or fitted.model_id in ("", model_id):
                return fitted
        return cls(coef_score=20.0, coef_margin=40.0, intercept=-17.0)
