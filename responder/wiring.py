"""The one place that picks concrete backends from settings and wires them together."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from email.utils import parseaddr
from pathlib import Path

from responder.agents import AgentSearch
from responder.auth.accounts import Accounts
from responder.auth.keys import secret_key
from responder.auth.limits import Limits
from responder.channels.inbox import Inbox
from responder.channels.mail_desk import MailDesk, MailDeskWorker
from responder.channels.mail_in import LOCK_FILE, MailReceiver, receivers
from responder.channels.mail_out import OutboxWorker, Relay
from responder.channels.outbox import Outbox
from responder.config import Settings
from responder.events import EventLog
from responder.index.calibration import Calibration
from responder.index.embedder import Embedder, load_embedder
from responder.index.follower import Follower
from responder.index.retriever import Retriever
from responder.index.search_index import Progress, SearchIndex, SyncReport
from responder.index.vectors import set_threads, single_threaded_blas
from responder.kb.markdown import import_folder
from responder.kb.sql import SqlStore
from responder.knowledge import KnowledgeBase
from responder.models import ArticleContent, Contact
from responder.pipeline import Responder
from responder.render import Renderer
from responder.routing import Router
from responder.usecases import UseCases

log = logging.getLogger(__name__)


@dataclass
class Services:
    settings: Settings
    store: SqlStore
    index: SearchIndex
    kb: KnowledgeBase
    retriever: Retriever
    sync: SyncReport
    responder: Responder
    agents: AgentSearch
    accounts: Accounts
    limits: Limits
    events: EventLog
    cases: UseCases
    inbox: Inbox
    outbox: Outbox | None = None  # None: mail out is not configured
    follower: Follower | None = None
    mail_worker: OutboxWorker | None = None
    mail_desk: MailDeskWorker | None = None
    mail_receiver: MailReceiver | None = None
    closed: bool = False

    def prepare_to_serve(self) -> None:
        """Before a server's first request: a broken operator template fails now, the lazy
        first-use work is done (Responder.warm_up), and other processes' writes are followed."""
        self.responder.renderer.check()
        self.responder.warm_up()
        self.follow()
        self.send_mail()
        self.receive_mail()

    def send_mail(self) -> None:
        """Send the outbox through the relay in the background (when one is configured)."""
        if self.outbox is not None and self.mail_worker is None:
            self.mail_worker = OutboxWorker(self.outbox, Relay(self.settings),
                                            mail_sender(self.settings))
            self.mail_worker.start()

    def desk(self) -> MailDesk:
        s = self.settings
        own = {parseaddr(a)[1] for a in [*s.mail_addresses, mail_sender(s), s.contact.email]}
        return MailDesk(self.inbox, self.cases, own_addresses={a for a in own if a},
                        replies_per_day=s.mail_replies_per_day, domain=mail_domain(s),
                        max_text_chars=s.max_text_chars)

    def receive_mail(self) -> None:
        """Customers' mail in (SMTP server, IMAP poller), when configured: one process of
        the machine receives, every process answers what was kept."""
        s = self.settings
        if not (s.mail_listen or s.imap_host) or self.mail_desk is not None:
            return
        self.mail_desk = MailDeskWorker(
            self.desk(), self.mail_worker.wake if self.mail_worker else None,
            threads=s.concurrent_answers or s.threads or os.cpu_count() or 1)
        self.mail_desk.start()
        desk = self.mail_desk
        self.mail_receiver = MailReceiver(s.kb_dir / LOCK_FILE, lambda: receivers(
            s, self.inbox, desk.wake))
        self.mail_receiver.start()

    def follow(self) -> None:
        """See other processes' writes (a server does; one-shot commands need not)."""
        if self.follower is None:
            self.follower = Follower(self.index, self.store,
                                     self.settings.resolved_database_url)
            self.follower.start()

    def close(self) -> None:
        """Stop background work (following, the article head's training), save the index.
        Closing twice is harmless."""
        if self.closed:
            return
        self.closed = True
        if self.mail_receiver is not None:
            self.mail_receiver.stop()
        if self.mail_desk is not None:
            self.mail_desk.stop()
        if self.mail_worker is not None:
            self.mail_worker.stop()
        if self.follower is not None:
            self.follower.stop()
        self.index.close()
        self.store.close()


def mail_sender(settings: Settings) -> str:
    return settings.mail_from or f"{settings.contact.company} <{settings.contact.email}>"


def mail_domain(settings: Settings) -> str:
    """For Message-IDs: the domain of the address replies come from."""
    address = mail_sender(settings)
    return address.rsplit("@", 1)[-1].strip("> ") or "localhost"


def demo_folder(settings: Settings) -> Path:
    return settings.kb_dir / "demo"


def build_services(
    settings: Settings, *, embedder: Embedder | None = None, progress: Progress | None = None,
    open_index: bool = True, seed: bool = False,
) -> Services:
    """`seed`: import the demo KB into an empty KB (`serve` only, when the settings allow it;
    an explicit `kb import` must never be pre-empted by it)."""
    single_threaded_blas()
    if settings.threads:
        set_threads(settings.threads)
    store = SqlStore.from_url(settings.resolved_database_url)
    model = embedder or load_embedder(settings)
    index = SearchIndex(store, model, settings)
    sync = index.open(progress) if open_index else SyncReport(False, None, 0, 0, 0)
    kb = KnowledgeBase(store, index, settings.max_text_chars)
    retriever = Retriever(index, Calibration.load(model.model_id), settings,
                          head_calibration=Calibration.load(model.model_id, "head"))
    renderer = Renderer(settings.templates_dir, settings.templates_override_dir)
    contact = Contact(**settings.contact.model_dump())
    responder = Responder(
        retriever, kb, Router.from_file(settings.escalation_matrix), renderer,
        contact=contact, default_language=settings.default_language,
        max_text_chars=settings.max_text_chars, timezone=settings.timezone,
        concurrency=settings.concurrent_answers or settings.threads or os.cpu_count(),
    )
    agents = AgentSearch(retriever, store, renderer, contact)
    accounts = Accounts(store.engine, secret_key(settings))
    events = EventLog(store.engine)
    outbox = Outbox(store.engine, mail_domain(settings)) if settings.smtp_host else None
    inbox = Inbox(store.engine)
    services = Services(settings, store, index, kb, retriever, sync, responder, agents,
                        accounts, Limits.from_settings(settings), events,
                        UseCases(kb, responder, agents, accounts, events,
                                 default_language=settings.default_language,
                                 max_text_chars=settings.max_text_chars, outbox=outbox,
                                 inbox=inbox),
                        inbox, outbox=outbox)
    if open_index and seed and settings.seed_demo and not store.list_articles():
        seed_demo(services)
    return services


def seed_demo(services: Services) -> int:
    folder = demo_folder(services.settings)
    if not folder.is_dir():
        log.warning("no demo KB at %s; starting with an empty knowledge base", folder)
        return 0

    def upsert(content: ArticleContent, questions: tuple[str, ...]) -> bool:
        return services.kb.upsert_article(content, questions, edited_by="demo-import")[1]

    with services.kb.bulk():
        changed, _ = import_folder(folder, upsert)
    services.index.save()
    log.info("imported %d demo articles from %s", changed, folder)
    return changed
