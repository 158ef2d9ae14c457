"""Panels that the apps above this one show with a question of the self-assessment form.

The later form's RAG-analysis question shows the previous plan's latest progress review, and
the plan question says which action plan goes with it as an appendix: both are the action
plans' business, and assessments may not import actionplans. So actionplans registers a
provider here from its ``AppConfig.ready()``; the section page asks each provider about each
of its questions and draws what they return.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from assessments.models import Question, SelfAssessment


@dataclass(frozen=True)
class QuestionPanel:
    """Drawn by ``template`` (which reads ``data``), beside the answer boxes or under them.

    ``forms``: a template (reading ``data`` too) of the forms the panel's buttons point at with
    ``form="…"``, drawn after the section's own form, since forms cannot nest."""

    template: str
    data: dict = field(default_factory=dict)
    beside: bool = False
    forms: str = ""


Provider = Callable[[object, SelfAssessment, Question], QuestionPanel | None]

# name -> provider; keyed by name so that registering twice changes nothing.
_providers: dict[str, Provider] = {}


def register(name: str, provider: Provider) -> None:
    """Ask ``provider`` (``(user, assessment, question) -> QuestionPanel | None``) about every
    question a section page shows. A provider answers None quickly for questions it does not
    know, and queries only for those it does."""
    _providers[name] = provider


def panels_for(
    user, assessment: SelfAssessment, questions: Iterable[Question]
) -> dict[str, list[QuestionPanel]]:
    """{question key: its panels} for the questions that have any."""
    found: dict[str, list[QuestionPanel]] = {}
    for question in questions:
        for provider in _providers.values():
            panel = provider(user, assessment, question)
            if panel is not None:
                found.setdefault(question.key, []).append(panel)
    return found
