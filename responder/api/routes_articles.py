"""Articles for content editors: create, read, update, publish, archive, revisions, restore."""

from __future__ import annotations

from fastapi import APIRouter, status

from responder.api.auth import Agent, Editor
from responder.api.deps import ServicesDep
from responder.api.params import (
    ArticleId,
    CategoryQuery,
    LanguageQuery,
    QuestionId,
    RevisionNumber,
)
from responder.api.responses import errors
from responder.api.schemas import (
    ArticleCreate,
    ArticleOut,
    ArticleUpdate,
    QuestionIn,
    QuestionOut,
    RevisionOut,
)
from responder.models import Status

router = APIRouter(prefix="/articles", tags=["articles"])
_FIELDS = {"examples"}
READ = errors(401, 403, 404, 422)


@router.get("", response_model=list[ArticleOut], responses=errors(401, 403, 422))
def list_articles(
    services: ServicesDep, actor: Agent, language: LanguageQuery = None,
    status: Status | None = None, category: CategoryQuery = None,
) -> list[ArticleOut]:
    found = services.cases.list_articles(actor, language=language, status=status,
                                         category=category)
    return [ArticleOut.of(a) for a in found]


@router.post("", response_model=ArticleOut, status_code=status.HTTP_201_CREATED,
             responses=errors(401, 403, 409, 422, 503))
def create_article(services: ServicesDep, actor: Editor, body: ArticleCreate) -> ArticleOut:
    article = services.cases.create_article(actor, body.model_dump(exclude=_FIELDS),
                                            body.examples)
    return ArticleOut.of(article)


@router.get("/{article_id}", response_model=ArticleOut, responses=READ)
def get_article(services: ServicesDep, actor: Agent, article_id: ArticleId) -> ArticleOut:
    return ArticleOut.of(services.cases.article(actor, article_id))


@router.put("/{article_id}", response_model=ArticleOut,
            responses=errors(401, 403, 404, 409, 422, 503))
def update_article(
    services: ServicesDep, actor: Editor, article_id: ArticleId, body: ArticleUpdate
) -> ArticleOut:
    article = services.cases.update_article(actor, article_id,
                                            body.model_dump(exclude=_FIELDS))
    return ArticleOut.of(article)


@router.post("/{article_id}/publish", response_model=ArticleOut,
             responses=errors(401, 403, 404, 422, 503))
def publish(services: ServicesDep, actor: Editor, article_id: ArticleId) -> ArticleOut:
    return ArticleOut.of(services.cases.set_status(actor, article_id, Status.PUBLISHED))


@router.post("/{article_id}/archive", response_model=ArticleOut,
             responses=errors(401, 403, 404, 422, 503))
def archive(services: ServicesDep, actor: Editor, article_id: ArticleId) -> ArticleOut:
    return ArticleOut.of(services.cases.set_status(actor, article_id, Status.ARCHIVED))


@router.get("/{article_id}/revisions", response_model=list[RevisionOut],
            responses=READ)
def revisions(services: ServicesDep, actor: Agent, article_id: ArticleId) -> list[RevisionOut]:
    return [RevisionOut.of(r) for r in services.cases.revisions(actor, article_id)]


@router.post("/{article_id}/revisions/{revision}/restore", response_model=ArticleOut,
             responses=errors(401, 403, 404, 409, 422, 503))
def restore(
    services: ServicesDep, actor: Editor, article_id: ArticleId, revision: RevisionNumber,
) -> ArticleOut:
    return ArticleOut.of(services.cases.restore_revision(actor, article_id, revision))


@router.get("/{article_id}/translations", response_model=list[ArticleOut],
            responses=READ)
def translations(services: ServicesDep, actor: Agent, article_id: ArticleId) -> list[ArticleOut]:
    return [ArticleOut.of(a) for a in services.cases.translations(actor, article_id)]


@router.get("/{article_id}/questions", response_model=list[QuestionOut],
            responses=READ)
def questions(services: ServicesDep, actor: Agent, article_id: ArticleId) -> list[QuestionOut]:
    return [QuestionOut.of(q) for q in services.cases.questions(actor, article_id)]


@router.post("/{article_id}/questions", response_model=QuestionOut,
             status_code=status.HTTP_201_CREATED, responses=errors(401, 403, 404, 422, 503))
def add_question(services: ServicesDep, actor: Editor, article_id: ArticleId,
                 body: QuestionIn) -> QuestionOut:
    return QuestionOut.of(services.cases.add_question(actor, article_id, body.text,
                                                      body.language))


@router.delete("/{article_id}/questions/{question_id}",
               status_code=status.HTTP_204_NO_CONTENT, responses=errors(401, 403, 404, 422, 503))
def delete_question(services: ServicesDep, actor: Editor, article_id: ArticleId,
                    question_id: QuestionId) -> None:
    """Removes an example question: the article is no longer matched by it."""
    services.cases.delete_question(actor, article_id, question_id)
