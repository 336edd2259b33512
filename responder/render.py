"""Reply rendering: one knowledge-base answer, three channels, five languages (Jinja2 + Babel).

Template layout (see templates/README.md): `<channel>/<language>.<part>.j2` per channel and
language, extending the shared structure in `_layouts/<channel>.<part>.j2`, which takes its
wording from `_wording/<language>.j2`. An operator's folder is searched before the built-ins,
so overriding one file is enough.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import fields
from datetime import UTC, datetime, timedelta
from itertools import product
from pathlib import Path
from typing import Any

import jinja2
from babel import Locale
from babel.dates import format_date, format_time, format_timedelta

from responder.config import SUPPORTED_LANGUAGES
from responder.errors import InvalidInput, TemplateProblem
from responder.models import (
    ArticleView,
    HandoffView,
    Mood,
    RenderedReply,
    ReplyContext,
    ReplyKind,
)

SUPPORTED_CHANNELS = ("helppage", "email", "chat")
LOCALES = {"en": "en_GB", "da": "da_DK", "nb": "nb_NO", "de": "de_DE", "ru": "ru_RU"}
# The parts each channel returns; "txt" is the plain text every channel has.
_PARTS = {"helppage": ("html", "txt"), "email": ("subject", "html", "txt"), "chat": ("txt",)}
# A name like "_wording/de.html.j2" with no file of its own falls back to "_wording/de.j2", so
# one wording file serves HTML (loaded under the .html name: escaped) and text (not escaped).
_PART_NAME = re.compile(r"^(?P<stem>.+)\.(?:html|txt)\.j2$")
# Durations switch to the next unit only at two of it: "36 hours", but "2 days" for 48 hours.
_DURATION_THRESHOLD = 2


class Renderer:
    def __init__(self, builtin_dir: Path, override_dir: Path | None = None) -> None:
        self._dirs = [Path(d) for d in (override_dir, builtin_dir) if d is not None]
        # A mistyped override path would otherwise fall back to the built-ins without a word.
        missing = [str(d) for d in self._dirs if not d.is_dir()]
        if missing:
            raise TemplateProblem(f"Template folder(s) {missing} do not exist.")
        self._env = _environment(self._dirs)

    def render(self, ctx: ReplyContext) -> RenderedReply:
        _validate(ctx)
        variables = _variables(ctx)
        parts = {
            part: self._render_part(f"{ctx.channel}/{ctx.language}.{part}.j2", variables)
            for part in _PARTS[ctx.channel]
        }
        return RenderedReply(
            channel=ctx.channel, language=ctx.language, text=_tidy(parts["txt"], ctx.channel),
            html=_tidy_html(parts["html"]) if "html" in parts else None,
            subject=" ".join(parts["subject"].split()) if "subject" in parts else None,
        )

    def page(self, name: str, variables: dict[str, Any]) -> str:
        """An HTML page (templates/web/...), through the same environment as the replies:
        operators override it the same way, and everything shown is escaped."""
        return self._env.get_template(name).render(**variables)

    def check(self) -> None:
        """Render every template with sample contexts; a broken override fails here, at start."""
        for ctx in sample_contexts():
            try:
                self.render(ctx)
            except TemplateProblem as exc:
                raise TemplateProblem(
                    f"{exc.message} (checking channel={ctx.channel}, language={ctx.language}, "
                    f"kind={ctx.kind}, mood={ctx.mood})"
                ) from exc

    def _render_part(self, name: str, variables: dict[str, Any]) -> str:
        try:
            return self._env.get_template(name).render(variables)
        except jinja2.TemplateSyntaxError as exc:
            where = self._describe(exc.filename or exc.name or name, exc.lineno)
            raise TemplateProblem(f"{where}: syntax error: {exc.message}") from exc
        except jinja2.TemplateNotFound as exc:
            raise TemplateProblem(
                f"{name}: template {exc.name!r} not found in {[str(d) for d in self._dirs]}"
            ) from exc
        except jinja2.UndefinedError as exc:
            where = self._failing_template(exc, name)
            raise TemplateProblem(f"{where}: undefined variable: {exc.message}") from exc
        except (jinja2.TemplateError, TypeError, ValueError, LookupError, AttributeError) as exc:
            where = self._failing_template(exc, name)
            raise TemplateProblem(f"{where}: {type(exc).__name__}: {exc}") from exc

    def _failing_template(self, exc: BaseException, fallback: str) -> str:
        """The innermost template frame of the traceback (Jinja rewrites it to template lines)."""
        tb, found = exc.__traceback__, None
        while tb is not None:
            filename = tb.tb_frame.f_code.co_filename
            if filename.endswith(".j2"):
                found = (filename, tb.tb_lineno)
            tb = tb.tb_next
        return self._describe(*found) if found else fallback

    def _describe(self, filename: str, lineno: int | None) -> str:
        path = Path(filename)
        for folder in self._dirs:
            if path.is_relative_to(folder):
                path = path.relative_to(folder)
                origin = "override" if folder is not self._dirs[-1] else "built-in"
                return f"{path.as_posix()} ({origin}, line {lineno})"
        return f"{filename} (line {lineno})"


def _validate(ctx: ReplyContext) -> None:
    if ctx.channel not in SUPPORTED_CHANNELS:
        raise InvalidInput(f"Unsupported channel {ctx.channel!r}; expected one of "
                           f"{sorted(SUPPORTED_CHANNELS)}", field="channel")
    if ctx.language not in SUPPORTED_LANGUAGES:
        raise InvalidInput(f"Unsupported language {ctx.language!r}; expected one of "
                           f"{sorted(SUPPORTED_LANGUAGES)}", field="language")
    if ctx.kind == ReplyKind.HANDOFF and ctx.handoff is None:
        raise InvalidInput("A handoff reply needs the handoff (team, due time, reference).",
                           field="handoff")
    if ctx.kind != ReplyKind.HANDOFF and ctx.article is None:
        raise InvalidInput(f"A {ctx.kind} reply needs the article it answers with.",
                           field="article")


def _variables(ctx: ReplyContext) -> dict[str, Any]:
    """The template context: the ReplyContext's fields (not copied deeper) plus the locale."""
    variables = {f.name: getattr(ctx, f.name) for f in fields(ctx)}
    variables["locale"] = LOCALES[ctx.language]
    return variables


# -- the environment ------------------------------------------------------------------------
def _environment(dirs: list[Path]) -> jinja2.Environment:
    choice = jinja2.ChoiceLoader([jinja2.FileSystemLoader(d) for d in dirs])
    env = jinja2.Environment(
        loader=_PartFallbackLoader(choice),
        autoescape=_is_html,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(_FILTERS)
    return env


def _is_html(name: str | None) -> bool:
    """Escaping is decided by file name: HTML templates only; plain text stays as written."""
    return name is not None and name.endswith(".html.j2")


class _PartFallbackLoader(jinja2.BaseLoader):
    def __init__(self, inner: jinja2.BaseLoader) -> None:
        self._inner = inner

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        try:
            return self._inner.get_source(environment, template)
        except jinja2.TemplateNotFound:
            match = _PART_NAME.match(template)
            if match is None:
                raise
            return self._inner.get_source(environment, f"{match['stem']}.j2")

    def list_templates(self) -> list[str]:
        return self._inner.list_templates()


# -- filters (Babel) ----------------------------------------------------------------------------
def _locale(context: jinja2.runtime.Context) -> str:
    return str(context.get("locale") or LOCALES["en"])


@jinja2.pass_context
def _duration(context: jinja2.runtime.Context, value: timedelta) -> str:
    return format_timedelta(value, locale=_locale(context), threshold=_DURATION_THRESHOLD)


@jinja2.pass_context
def _date_full(context: jinja2.runtime.Context, value: datetime) -> str:
    """Weekday and date: "Tuesday, 4 March 2025", "tirsdag den 4. marts 2025"."""
    return format_date(value, format="full", locale=_locale(context))


@jinja2.pass_context
def _date_long(context: jinja2.runtime.Context, value: datetime) -> str:
    """Date without weekday: "4 March 2025", "4 марта 2025 г."."""
    return format_date(value, format="long", locale=_locale(context))


@jinja2.pass_context
def _time_short(context: jinja2.runtime.Context, value: datetime) -> str:
    """Hours and minutes in the datetime's own time zone: "15:30", "15.30" (Danish).

    A UTC time says so ("15:30 UTC"): shown bare, a customer would read it as local time.
    """
    shown = format_time(value, format="short", tzinfo=value.tzinfo, locale=_locale(context))
    return f"{shown} UTC" if value.tzname() == "UTC" else shown


@jinja2.pass_context
def _language_name(context: jinja2.runtime.Context, code: str) -> str:
    """A language's name in the reply's language ("fi" -> "Finnish", "finsk", "финский")."""
    names = Locale.parse(_locale(context)).languages
    candidate = code.replace("-", "_")
    for key in (candidate, candidate.split("_")[0].lower()):
        if key in names:
            return str(names[key])
    return code


def _sentence(value: str) -> str:
    """Text that ends like a sentence, so labels can be followed by editor-written fragments."""
    text = str(value).strip()
    return text if not text or text[-1] in ".!?…" else f"{text}."


_FILTERS: dict[str, Callable[..., str]] = {
    "duration": _duration,
    "date_full": _date_full,
    "date_long": _date_long,
    "time_short": _time_short,
    "language_name": _language_name,
    "sentence": _sentence,
}


# -- output tidying ---------------------------------------------------------------------------
def _tidy(text: str, channel: str) -> str:
    """Trailing spaces go; blank lines collapse to one (chat: none, it is a few short lines)."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    if channel == "chat":
        return "\n".join(line for line in lines if line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines))


def _tidy_html(html: str) -> str:
    return "\n".join(line.rstrip() for line in html.strip().splitlines() if line.strip())


# -- sample contexts for check() --------------------------------------------------------------
def sample_contexts() -> Iterator[ReplyContext]:
    """Every channel x language x kind x mood, each with and without the optional parts."""
    due = datetime(2030, 1, 8, 14, 30, tzinfo=UTC)
    full = ArticleView("sample", "Sample title", "Sample answer.", ("First.", "Second."),
                       "Sample agreement.", "within 2 days", "https://help.example/sample")
    single = ArticleView("sample", "Sample title", "Sample answer.", ("Only option.",),
                         timeframe="within 2 days")
    bare = ArticleView("sample", "Sample title", "Sample answer.")
    variants = ((full, "Anna", False, None), (single, "", True, "fi"), (bare, "", False, "xx"))
    for channel, language, kind, mood in product(SUPPORTED_CHANNELS, SUPPORTED_LANGUAGES,
                                                 ReplyKind, Mood):
        for article, name, hierarchical, foreign in variants:
            handoff = HandoffView("#1", "Sample team", due, timedelta(hours=4), hierarchical)
            # A handoff may come without any article: the bare variant covers that.
            shown = None if kind is ReplyKind.HANDOFF and article is bare else article
            runner_up = bare if kind is ReplyKind.ANSWER_OFFER_HUMAN and name else None
            yield ReplyContext(channel, language, kind, mood, name, shown, handoff,
                               unsupported_language=foreign, runner_up=runner_up)

