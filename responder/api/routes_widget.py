"""What the widget on another site calls: a form token, the contact form, and deflections.

Spam protection needs no third-party service: the form carries a token the server signed
when the form was opened (it must be at least MIN_FILL_SECONDS and at most a day old) and a
honeypot field people never see or fill. Cross-origin calls work only from the origins the
operator lists in RESPONDER_WIDGET_ORIGINS (responder/api/app.py sets up CORS).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Request, status
from pydantic import BaseModel, ConfigDict, Field

from responder.api.auth import Public, hand_off_limit
from responder.api.deps import ServicesDep
from responder.api.responses import errors
from responder.api.schemas import MAX_MESSAGE, MESSAGE_LIMIT
from responder.api.schemas_answer import AnswerOut
from responder.auth.keys import secret_key
from responder.errors import InvalidInput
from responder.kb.validation import MAX_EMAIL, MAX_ID, MAX_NAME
from responder.language import preferred_language
from responder.pipeline import Message

router = APIRouter(tags=["widget"])
MIN_FILL_SECONDS = 3.0
MAX_FORM_AGE_SECONDS = 24 * 3600.0


def sign_form_token(key: bytes, issued: int) -> str:
    mac = hmac.new(key, f"contact-form:{issued}".encode(), hashlib.sha256).hexdigest()[:32]
    return f"{issued}.{mac}"


def check_form_token(key: bytes, token: str, now: float) -> None:
    issued_text = token.partition(".")[0]
    # Only ASCII digits: str.isdigit() takes "²", which int() then refuses (a 500).
    well_formed = re.fullmatch(r"[0-9]{1,12}", issued_text) is not None
    if not well_formed or not hmac.compare_digest(sign_form_token(key, int(issued_text)),
                                                  token):
        raise InvalidInput("The form token is not valid; reload the form.", field="form_token")
    age = now - int(issued_text)
    if age < MIN_FILL_SECONDS:
        raise InvalidInput("The form was sent too fast to have been filled in by a person; "
                           "wait a moment and send it again.", field="form_token")
    if age > MAX_FORM_AGE_SECONDS:
        raise InvalidInput("The form is more than a day old; reload it.", field="form_token")


class FormTokenOut(BaseModel):
    form_token: str = Field(description="Send it back with the contact form.")
    min_fill_seconds: float = MIN_FILL_SECONDS


class ContactIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    message: str = Field(min_length=1, max_length=MAX_MESSAGE, description=MESSAGE_LIMIT)
    language: str | None = Field(None, max_length=8)
    customer_name: str = Field("", max_length=MAX_NAME)
    customer_email: str = Field("", max_length=MAX_EMAIL)
    form_token: str = Field(min_length=3, max_length=80)
    website: str = Field("", max_length=200, description="Leave empty (a honeypot: people "
                                                         "never see this field).")


class DeflectionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question: str = Field(min_length=1, max_length=MAX_MESSAGE)
    article_id: int = Field(ge=1, le=MAX_ID)
    source: Literal["widget", "helppage"] = "widget"


class DeflectionOut(BaseModel):
    recorded: bool = True


@router.get("/contact/form", response_model=FormTokenOut, responses=errors(401, 429))
def contact_form(services: ServicesDep, _actor: Public) -> FormTokenOut:
    """A signed token for one contact form; the form may be sent from MIN_FILL_SECONDS on."""
    return FormTokenOut(form_token=sign_form_token(secret_key(services.settings), int(time.time())))


@router.post("/contact", response_model=AnswerOut, responses=errors(401, 422, 429, 503))
def contact(services: ServicesDep, actor: Public, request: Request, body: ContactIn,
            accept_language: Annotated[str | None, Header(max_length=1000)] = None
            ) -> AnswerOut:
    """A contact form sent from the widget: answered exactly as POST /answer answers a chat
    message (an answer on the spot, or an honest hand-off with its SLA and a reference)."""
    if body.website:
        raise InvalidInput("This form looks automated and was not sent.", field="website")
    check_form_token(secret_key(services.settings), body.form_token, time.time())
    answered = services.cases.contact(actor, Message(
        text=body.message, channel="chat",
        language=body.language or preferred_language(accept_language),
        customer_name=body.customer_name, customer_email=body.customer_email,
    ), before_hand_off=hand_off_limit(request, services, actor))
    return AnswerOut.of(answered.outcome, answered.event.public_id)


@router.post("/deflections", response_model=DeflectionOut,
             status_code=status.HTTP_201_CREATED, responses=errors(401, 404, 422, 429))
def deflection(services: ServicesDep, actor: Public, body: DeflectionIn) -> DeflectionOut:
    """The customer found their answer while writing and did not send the form."""
    services.cases.deflection(actor, body.question, body.article_id, body.source)
    return DeflectionOut()
