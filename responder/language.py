"""Language detection: langdetect behind one function, seeded (it is random otherwise)."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from langdetect import DetectorFactory, LangDetectException, detector_factory

from responder.config import SUPPORTED_LANGUAGES

DetectorFactory.seed = 0
_INIT_LOCK = threading.Lock()  # langdetect loads its profiles on first use, unguarded
# langdetect says 'no' for Norwegian; we store bokmål as 'nb'.
_ALIASES = {"no": "nb", "nn": "nb"}
MIN_CONFIDENCE = 0.80
MIN_LETTERS = 12


@dataclass(frozen=True)
class Detection:
    language: str  # always a supported language
    detected: str | None  # what langdetect said, before falling back
    confidence: float
    source: str  # "detected", "hint" or "default"

    @property
    def unsupported(self) -> str | None:
        """The customer's language when we are sure of it and do not support it."""
        if self.source == "default" and self.detected and self.confidence >= MIN_CONFIDENCE:
            return self.detected if self.detected not in SUPPORTED_LANGUAGES else None
        return None


def detect_language(text: str, *, hint: str | None = None, default: str = "en") -> Detection:
    """Detect the message language; a caller's hint wins when detection is unsure.

    Short messages ("hi", "ok") are unreliable for langdetect, so below MIN_LETTERS letters,
    or below MIN_CONFIDENCE, the hint (or else the default) is used.
    """
    letters = sum(c.isalpha() for c in text)
    detected, confidence = None, 0.0
    if letters:
        try:
            ranked = _detector(text).get_probabilities()
        except LangDetectException:
            ranked = []
        if ranked:
            detected = _ALIASES.get(ranked[0].lang, ranked[0].lang)
            confidence = float(ranked[0].prob)
    sure = detected in SUPPORTED_LANGUAGES and confidence >= MIN_CONFIDENCE
    if sure and (letters >= MIN_LETTERS or hint is None):
        return Detection(detected or default, detected, confidence, "detected")
    if hint:
        return Detection(hint, detected, confidence, "hint")
    if detected in SUPPORTED_LANGUAGES:
        return Detection(detected or default, detected, confidence, "detected")
    return Detection(default, detected, confidence, "default")


def _detector(text: str) -> detector_factory.Detector:
    """A detector for `text`. Once the profiles are loaded, the factory is only read and each
    detector has its own seeded random generator, so detections run without a lock."""
    if detector_factory._factory is None:
        with _INIT_LOCK:
            if detector_factory._factory is None:
                detector_factory.init_factory()
    factory = detector_factory._factory
    assert factory is not None
    detector = factory.create()
    detector.append(text)
    return detector


def preferred_language(accept_language: str | None) -> str | None:
    """The first supported language of an HTTP Accept-Language header, by quality."""
    if not accept_language:
        return None
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept_language.split(",")):
        code, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        base = code.strip().lower().replace("_", "-").split("-")[0]
        base = _ALIASES.get(base, base)
        if base in SUPPORTED_LANGUAGES and quality > 0:
            ranked.append((-quality, position, base))
    return min(ranked)[2] if ranked else None
