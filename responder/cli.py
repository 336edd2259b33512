"""A thin command line over the same services the API uses."""

from __future__ import annotations

import getpass
import json
import multiprocessing
import os
from pathlib import Path
from typing import Annotated

import typer
import yaml
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from responder import logs
from responder.auth.keys import require_configured_key
from responder.auth.roles import Actor, local_admin
from responder.cli_users import users_app
from responder.config import Settings
from responder.errors import ResponderError
from responder.index.retriever import Audience
from responder.kb.markdown import export_article, import_parsed, parse_folder
from responder.kb.validation import clean_text, normalise_language
from responder.language import detect_language
from responder.models import ArticleContent, EscalationStatus
from responder.tone import learnt_notes
from responder.wiring import Services, build_services

app = typer.Typer(help="kb-responder: offline multilingual knowledge-base auto-responder.",
                  no_args_is_help=True, pretty_exceptions_enable=False)
kb_app = typer.Typer(help="Import and export Markdown articles.", no_args_is_help=True)
index_app = typer.Typer(help="Check and rebuild the FAISS index.", no_args_is_help=True)
esc_app = typer.Typer(help="List and resolve escalations.", no_args_is_help=True)
app.add_typer(kb_app, name="kb")
app.add_typer(index_app, name="index")
app.add_typer(esc_app, name="escalations")
app.add_typer(users_app, name="users")
console = Console(stderr=True)
out = Console()


def _progress() -> Progress:
    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeRemainingColumn(), console=console, transient=True)


HEAD_WAIT_SECONDS = 120.0


def cli_actor(name: str | None = None) -> Actor:
    """The CLI acts as a local admin, named by the operator or as the system user: whoever
    can run it on the server owns the database."""
    return local_admin(name or f"cli:{getpass.getuser()}")


def _services_to_answer() -> Services:
    """Services for a one-shot question: the article head is trained before it is asked
    (a server answers with the previous head, or retrieval alone, while it trains)."""
    services = _services()
    services.index.wait_for_head(HEAD_WAIT_SECONDS)
    return services


def _services(*, seed: bool = False, open_index: bool = True) -> Services:
    """The services for one command. Only `serve` seeds the demo KB: an explicit
    `kb import` into a new KB must not find it pre-empted by the demo."""
    settings = Settings()
    with _progress() as bar:
        task = bar.add_task("embedding", total=None)

        def report(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        services = build_services(settings, progress=report, seed=seed, open_index=open_index)
    _opened.append(services)
    return services


_opened: list[Services] = []


def _close_all() -> None:
    """Whatever a command opened is closed when it ends, also on an error: background work
    (the article head's training) stops before the interpreter does."""
    while _opened:
        _opened.pop().close()


def prepare_for_workers() -> None:
    """What a multi-worker server does once before its workers start (run in a child
    process, so the parent that supervises the workers does not keep a model in memory):
    migrate, seed the demo KB, build and save the index, check the templates."""
    services = _services(seed=True)
    try:
        services.responder.renderer.check()
    finally:
        services.close()


@app.command()
def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: Annotated[int, typer.Option(
        min=1, max=64, help="Server processes on this KB; each loads the model (~1.3 GB) and "
        "follows the others' writes. See the README's load figures to choose.")] = 1,
    threads: Annotated[int | None, typer.Option(
        min=1, max=256, help="Model and FAISS threads per process (RESPONDER_THREADS); "
        "default: 1 per worker when there are several, else all cores.")] = None,
    access_log: Annotated[bool, typer.Option(
        help="Log every request (uvicorn's access log); off by default, it costs time on "
        "every request.")] = False,
) -> None:
    """Start the HTTP API (OpenAPI docs at /docs), importing the demo KB on first start."""
    from responder.api import server
    from responder.api.app import create_app

    require_configured_key(Settings(), host)
    if threads is not None:
        os.environ["RESPONDER_THREADS"] = str(threads)
    elif workers > 1:
        os.environ.setdefault("RESPONDER_THREADS", "1")
    if workers > 1:
        child = multiprocessing.get_context("spawn").Process(target=prepare_for_workers)
        child.start()
        child.join()
        if child.exitcode != 0:
            raise typer.Exit(child.exitcode or 1)
        server.run("responder.api.app:create_app", factory=True, host=host, port=port,
                   workers=workers, log_level="info", access_log=access_log)
        return
    services = _services(seed=True)
    try:
        services.prepare_to_serve()
        sync = services.sync
        console.print(f"index: {len(services.index.vectors)} vectors, {sync.embedded} embedded "
                      f"now, {'loaded from disk' if sync.loaded_from_disk else 'built'}")
        server.run(create_app(services=services), host=host, port=port, log_level="info",
                   access_log=access_log)
    finally:
        services.close()


@app.command()
def search(
    query: str,
    language: Annotated[str | None, typer.Option(help="en, da, nb, de or ru")] = None,
    agent: Annotated[bool, typer.Option(help="Include internal and draft articles.")] = False,
    k: int = 5,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Match a question against the KB and show the ranked articles."""
    services = _services_to_answer()
    text = clean_text(query, "query", services.settings.max_text_chars)
    lang = normalise_language(language) if language else detect_language(
        text, default=services.settings.default_language).language
    result = services.retriever.search(
        text, lang, k=k, audience=Audience.AGENT if agent else Audience.CUSTOMER)
    rows = [{"score": round(h.score, 3), "dense": round(h.dense, 3), "slug": h.article.slug,
             "language": h.article.language, "title": h.article.content.title,
             "fallback_language": h.fallback_language, "matched": h.matched_text}
            for h in result.hits]
    if as_json:
        out.print_json(json.dumps({"language": lang, "hits": rows}, ensure_ascii=False))
    else:
        table = Table("score", "slug", "lang", "title", "matched text", title=f"[{lang}] {text}")
        for row in rows:
            lang_cell = f"{row['language']}{'*' if row['fallback_language'] else ''}"
            table.add_row(str(row["score"]), str(row["slug"]), lang_cell, str(row["title"]),
                          str(row["matched"])[:60])
        out.print(table)
    services.close()


@app.command()
def ask(
    text: str,
    channel: Annotated[str, typer.Option(help="helppage, email or chat")] = "email",
    language: Annotated[str | None, typer.Option(help="The customer's language, if known.")]
    = None,
    name: Annotated[str, typer.Option(help="The customer's name.")] = "",
    email: Annotated[str, typer.Option(help="The customer's email address.")] = "",
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Answer a message as the responder would: decision, tone, matches and the reply.
    A hand-off opens a real escalation."""
    from responder.api.schemas_answer import AnswerOut
    from responder.pipeline import Message

    services = _services_to_answer()
    answered = services.cases.answer(cli_actor(), Message(text, channel, language, name, email))
    outcome = answered.outcome
    services.close()
    if as_json:
        out.print_json(AnswerOut.of(outcome, answered.event.public_id).model_dump_json())
        return
    decision, tone = outcome.decision, outcome.tone
    cues = ", ".join([*(f"{c.kind.value} '{c.text}'" for c in tone.cues),
                      *learnt_notes(tone)]) or "none"
    out.print(f"[bold]{decision.kind.value}[/bold] (rule {decision.rule}) · language "
              f"{outcome.language.language} ({outcome.language.source}) · tone {tone.level.value}"
              f" · cues: {cues}")
    for hit in outcome.hits:
        out.print(f"  {hit.score:.2f}  {hit.article.slug}/{hit.article.language}  "
                  f"{hit.article.content.title}")
    if outcome.escalation:
        e = outcome.escalation
        out.print(f"escalation #{e.id} → queue {e.input.queue} (tier {e.input.tier}, "
                  f"{e.input.kind.value}), due {e.input.due_at:%Y-%m-%d %H:%M} UTC")
    if outcome.reply.subject:
        out.print(f"\n[bold]Subject:[/bold] {outcome.reply.subject}")
    out.print(f"\n{outcome.reply.text}", markup=False, highlight=False)


@app.command()
def lint(
    paths: Annotated[list[Path] | None, typer.Argument(help="Markdown articles or folders.")]
    = None,
    text: Annotated[str | None, typer.Option(help="Lint this text instead.")] = None,
    language: Annotated[str, typer.Option(help="The language of --text.")] = "en",
) -> None:
    """Flag phrases to avoid in replies and articles; exit 1 when there are errors."""
    from responder.kb.markdown import parse_file
    from responder.lint import Finding, lint_article, lint_text

    found: list[tuple[str, Finding]] = []
    if text is not None:
        found += [("--text", f) for f in lint_text(clean_text(text, "text", 100_000),
                                                   normalise_language(language))]
    for path in paths or []:
        parsed = parse_folder(path) if path.is_dir() else [parse_file(path)]
        for article in parsed:
            where = f"{article.content.slug}/{article.content.language}"
            found += [(where, f) for f in lint_article(article.content)]
    table = Table("where", "field", "severity", "phrase", "suggestion")
    for where, f in found:
        colour = "red" if f.severity == "error" else "yellow"
        table.add_row(where, f.field, f"[{colour}]{f.severity}[/{colour}]", f.phrase,
                      f.suggestion)
    errors = sum(f.severity == "error" for _, f in found)
    if found:
        out.print(table)
    out.print(f"{errors} error(s), {len(found) - errors} warning(s)")
    if errors:
        raise typer.Exit(1)


@kb_app.command("import")
def kb_import(folder: Path) -> None:
    """Import (create or update) every article in a folder of Markdown files."""
    articles = parse_folder(folder)  # every file checked before the model loads
    services = _services()
    actor = cli_actor()

    def upsert(content: ArticleContent, questions: tuple[str, ...]) -> bool:
        return services.cases.import_article(actor, content, questions)

    try:
        with services.kb.bulk():  # the article head retrains once, at the end
            changed, unchanged = import_parsed(articles, upsert)
    finally:
        services.close()
    out.print(f"imported {changed} changed article(s); {unchanged} already up to date")


@kb_app.command("export")
def kb_export(folder: Path) -> None:
    """Write every article to <folder>/<slug>/<language>.md."""
    services = _services(open_index=False)
    articles = services.store.list_articles()
    for article in articles:
        export_article(folder, article, services.store.questions(article.id))
    services.close()
    out.print(f"exported {len(articles)} article(s) to {folder}")


@index_app.command("verify")
def index_verify() -> None:
    """Compare the saved index with the database; exit 1 when they disagree."""
    services = _services(open_index=False)
    report = services.index.verify()
    services.close()
    out.print(f"database texts: {report.db_texts}, index vectors: {report.index_vectors}, "
              f"KB revision: index {report.index_revision} / database {report.db_revision}")
    if report.ok:
        out.print("[green]index and database agree[/green]")
        return
    if report.manifest_problem:
        out.print(f"[red]index unusable:[/red] {report.manifest_problem}")
    out.print(f"[red]{len(report.missing)} missing, {len(report.extra)} extra, "
              f"{len(report.changed)} holding another text's vector[/red]; "
              "`kb-responder index rebuild` (or any start) repairs it")
    raise typer.Exit(1)


@index_app.command("rebuild")
def index_rebuild() -> None:
    """Throw the saved index away and rebuild it from the database."""
    services = _services(open_index=False)
    with _progress() as bar:
        task = bar.add_task("embedding", total=None)
        report = services.index.rebuild(lambda d, t: bar.update(task, completed=d, total=t))
    services.close()
    out.print(f"rebuilt: {report.added} vectors, {report.embedded} newly embedded")


@esc_app.command("list")
def escalations_list(
    status: Annotated[EscalationStatus | None, typer.Option()] = EscalationStatus.OPEN,
    queue: Annotated[str | None, typer.Option(help="Only this queue.")] = None,
    by_due: Annotated[bool, typer.Option("--by-due", help="Soonest SLA first.")] = False,
) -> None:
    services = _services(open_index=False)
    table = Table("id", "status", "queue", "tone", "lang", "due (UTC)", "message")
    for e in services.store.list_escalations(status, queue=queue, by_due=by_due):
        due = e.input.due_at.strftime("%Y-%m-%d %H:%M") if e.input.due_at else "-"
        table.add_row(str(e.id), e.status.value, e.input.queue, e.input.tone,
                      e.input.language, due, e.input.message[:70])
    services.close()
    out.print(table)


@esc_app.command("resolve")
def escalations_resolve(
    escalation_id: int,
    resolution: Annotated[str, typer.Option(help="What resolved it.")],
    resolved_by: Annotated[str, typer.Option("--by")],
    article_id: Annotated[int | None, typer.Option(help="Attach the question here.")] = None,
    new_article: Annotated[Path | None, typer.Option(help="YAML/JSON file of a new article.")]
    = None,
) -> None:
    """Resolve an escalation; what it taught goes into the KB at once."""
    services = _services()
    data = yaml.safe_load(new_article.read_text(encoding="utf-8")) if new_article else None
    escalation, article = services.cases.resolve_escalation(
        cli_actor(resolved_by), escalation_id, resolution, article_id=article_id,
        new_article=data)
    services.close()
    out.print(f"escalation {escalation.id} resolved into article {article.id} "
              f"({article.slug}/{article.language})")


def main() -> None:
    logs.configure()
    try:
        app()
    except ResponderError as exc:
        typer.echo(f"error: {exc.message}", err=True)  # unwrapped: paths stay whole
        raise SystemExit(2) from exc
    finally:
        _close_all()


if __name__ == "__main__":
    main()
