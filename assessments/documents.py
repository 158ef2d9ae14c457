"""One document model: a self-assessment as every view of it reads it.

The check page and print preview (a live draft), a revision (a snapshot's frozen content), the
reviewer's pages, the public page and the PDF (a publication's stored content) all draw a
``Document`` through ``templates/documents/_document.html``. What differs between them (figure
addresses, which signatures, what a publication leaves out) is decided here, by what the
callers put in, never by a second template.

The frozen format (``content``) is the dict ``submissions.services.snapshot_content`` writes and
hashes; this module only reads it, so the hash an existing signature covers never changes. A
content dict without a ``document_version`` is version 1; a later format adds its own reader
below instead of migrating old snapshots.

Assessments may not import the action plans, so the live plan and the progress reviews appended
to it come from a provider the actionplans app registers (``register_appendix_source``), as
``assessments.panels`` does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from assessments.enums import QuestionKind

VERSION = 1
HEADER_POSITION = 1  # the form's first section: organisation, lead, e-mail, telephone


class AppendixKind:
    ACTION_PLAN = "action_plan"
    RAG_ANALYSIS = "rag_analysis"  # the progress review of an earlier plan
    CONSULTATION = "consultation"  # a technician voice consultation's summary


@dataclass
class Box:
    text: str = ""
    flag: str | None = None
    theme: str | None = None
    theme_name: str = ""


@dataclass
class Figure:
    src: str  # "" when the reader serves no image (a diff reads captions only)
    caption: str
    alt_text: str
    width: int | None = None
    height: int | None = None
    position: int | None = None


@dataclass
class Appendix:
    letter: str
    title: str
    kind: str
    data: dict

    @property
    def label(self) -> str:
        return f"Appendix {self.letter}: {self.title}"

    @property
    def anchor(self) -> str:
        return f"appendix-{self.letter.lower()}"


@dataclass
class Question:
    key: str
    text: str
    kind: str
    boxes: list[Box] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    appendices: list[Appendix] = field(default_factory=list)  # those its answer refers to

    @property
    def appendix(self) -> Appendix | None:
        """The (first) appendix the answer refers to."""
        return self.appendices[0] if self.appendices else None

    @property
    def is_answered(self) -> bool:
        return any(box.text for box in self.boxes)


@dataclass
class Section:
    position: int
    title: str
    questions: list[Question] = field(default_factory=list)

    @property
    def is_header(self) -> bool:
        return self.position == HEADER_POSITION


@dataclass
class Signed:
    name: str
    job_title: str
    signed_on: date | None = None
    revision: int | None = None
    coverage: str = ""
    covers: bool = True
    hash: str = ""


@dataclass
class Signature:
    title: str
    role: str = ""
    signed: Signed | None = None


@dataclass
class Document:
    organisation: str
    form_version: str
    due_on: str
    sections: list[Section]
    appendices: list[Appendix]
    signatures: list[Signature]
    sign_off_note: str = ""
    version: int = VERSION

    @property
    def header(self) -> Section | None:
        return self.sections[0] if self.sections and self.sections[0].is_header else None

    @property
    def body(self) -> list[Section]:
        return self.sections[1:] if self.header else self.sections

    @property
    def plan(self) -> Appendix | None:
        return next((a for a in self.appendices if a.kind == AppendixKind.ACTION_PLAN), None)


# --- Reading the frozen format ----------------------------------------------------------------

FigureMap = dict[str, list[Figure]]


def figure_of(row, src: str) -> Figure:
    """A stored figure (a draft's Figure or a revision's SnapshotFigure) served at ``src``."""
    return Figure(
        src=src,
        caption=row.caption,
        alt_text=row.alt_text,
        width=row.width,
        height=row.height,
        position=row.position,
    )


def figures_by_key(rows, src: Callable[[object], str]) -> FigureMap:
    """A revision's SnapshotFigure rows by question key, each served at ``src(row)``."""
    found: FigureMap = {}
    for row in sorted(rows, key=lambda r: (r.question_key, r.position)):
        found.setdefault(row.question_key, []).append(figure_of(row, src(row)))
    return found


def appendix_letter(n: int) -> str:
    """The letter of the ``n``th appendix (from 0): A, B, ..."""
    return chr(ord("A") + n)


def appendices_of(content: dict) -> list[Appendix]:
    """The appendices in the order they follow the signatures, lettered A, B, ..."""
    found: list[tuple[str, str, dict]] = []
    # An earlier plan's progress review (actionplans.queries.review_as_data, with the key of
    # the question that refers to it) comes first, as the later form asks for the RAG analysis
    # before the new plan. ``reviews`` is optional: content without one never had the key.
    for review in content.get("reviews") or []:
        title = f"RAG analysis of {review.get('plan_title') or 'the previous action plan'}"
        found.append((AppendixKind.RAG_ANALYSIS, title, review))
    if content.get("plan"):
        plan = content["plan"]
        found.append((AppendixKind.ACTION_PLAN, plan.get("title", ""), plan))
    # Consultation summaries (consultations.queries.summary) follow the plan; the key is there
    # only when one is attached, so older contents read as they always did.
    for summary in content.get("consultations") or []:
        title = f"Technician voice consultation: {summary.get('title', '')}"
        found.append((AppendixKind.CONSULTATION, title, summary))
    return [
        Appendix(letter=appendix_letter(n), title=title, kind=kind, data=data)
        for n, (kind, title, data) in enumerate(found)
    ]


def referred_to(question: dict, appendices: list[Appendix]) -> list[Appendix]:
    """The appendices a question's answer refers to: the plan question's is the plan; an
    appended review names its question by key."""
    if question.get("kind") == QuestionKind.ACTION_PLAN:
        return [a for a in appendices if a.kind == AppendixKind.ACTION_PLAN]
    return [
        a
        for a in appendices
        if a.kind == AppendixKind.RAG_ANALYSIS and a.data.get("question") == question.get("key")
    ]


def build(
    content: dict,
    *,
    figures: FigureMap | None = None,
    signatures: list[Signature] | None = None,
    sign_off_note: str = "",
) -> Document:
    """The document of a frozen content dict (a snapshot's, or a publication's ``document``).

    ``figures`` are the figures by question key with the addresses this view serves them at
    (without it, the frozen captions, with no address); ``signatures``, when given, replace the
    unsigned list the content requires.
    """
    version = content.get("document_version", 1)
    if version != VERSION:
        raise ValueError(f"No reader for document version {version!r}.")
    if figures is None:
        figures = {
            question.get("key", ""): [
                Figure(
                    src="",
                    caption=f.get("caption", ""),
                    alt_text=f.get("alt_text", ""),
                    position=f.get("position"),
                )
                for f in question.get("figures") or []
            ]
            for section in content.get("sections") or []
            for question in section.get("questions") or []
        }
    appendices = appendices_of(content)
    sections = []
    for section in content.get("sections") or []:
        questions = []
        for question in section.get("questions") or []:
            kind = question.get("kind", "")
            questions.append(
                Question(
                    key=question.get("key", ""),
                    text=question.get("text", ""),
                    kind=kind,
                    boxes=[
                        Box(
                            text=box.get("text") or "",
                            flag=box.get("flag"),
                            theme=box.get("theme"),
                            theme_name=box.get("theme_name", ""),
                        )
                        for box in question.get("boxes") or []
                    ],
                    figures=list(figures.get(question.get("key", ""), [])),
                    appendices=referred_to(question, appendices),
                )
            )
        sections.append(
            Section(
                position=section.get("position", 0),
                title=section.get("title", ""),
                questions=questions,
            )
        )
    if signatures is None:
        signatures = [
            Signature(title=required.get("title", ""), role=required.get("role", ""))
            for required in content.get("sign_offs") or []
        ]
    return Document(
        organisation=content.get("organisation", ""),
        form_version=content.get("form_version", ""),
        due_on=content.get("due_on", ""),
        sections=sections,
        appendices=appendices,
        signatures=signatures,
        sign_off_note=sign_off_note,
        version=version,
    )


def iso_day(value) -> date | None:
    """A date from frozen content's ISO text (None when it is missing or not a date)."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def published_signatures(content: dict) -> list[Signature]:
    """The signatures a publication stored (``publications.services``), in the content's
    order."""
    return [
        Signature(
            title=signed.get("title", ""),
            signed=Signed(
                name=signed.get("name", ""),
                job_title=signed.get("job_title", ""),
                signed_on=iso_day(signed.get("signed_on")),
                revision=signed.get("revision"),
                coverage=signed.get("coverage", ""),
                covers=signed.get("covers", True),
                hash=signed.get("hash", ""),
            ),
        )
        for signed in content.get("sign_offs") or []
    ]


# --- A live draft -----------------------------------------------------------------------------

AppendixSource = Callable[[object], dict]
_appendix_sources: dict[str, AppendixSource] = {}


def register_appendix_source(name: str, source: AppendixSource) -> None:
    """``source(assessment)`` answers the content keys of its appendices as the frozen format
    holds them (``{"plan": ...}``, ``"reviews"`` and ``"consultations"`` only when any are
    appended), for the live document and the snapshot alike."""
    _appendix_sources[name] = source


def live_appendices(assessment) -> dict:
    found: dict = {"plan": None}
    for source in _appendix_sources.values():
        found.update(source(assessment))
    return found


def live_sections(loaded) -> list[dict]:
    """The sections of a loaded assessment in the frozen format (without figures' digests)."""
    return [
        {
            "position": view.section.position,
            "title": view.section.title,
            "questions": [
                {
                    "key": qv.question.key,
                    "text": qv.question.text,
                    "kind": qv.question.kind,
                    "boxes": [
                        {
                            "theme": box.theme.slug if box.theme else None,
                            "theme_name": box.theme.name if box.theme else "",
                            "text": box.answer.text if box.answer else "",
                            "flag": box.answer.flag if box.answer else None,
                        }
                        for box in qv.boxes
                    ],
                }
                for qv in view.questions
            ],
        }
        for view in loaded.sections
    ]


def build_live(loaded, *, figure_src: Callable[[object], str]) -> Document:
    """The draft as it would be frozen now: its answers, figures (served at
    ``figure_src(figure)``), appendices and the signatures it needs, none signed yet."""
    assessment = loaded.assessment
    figures: FigureMap = {}
    for view in loaded.sections:
        for qv in view.questions:
            if qv.question.kind == QuestionKind.FIGURES:
                figures[qv.question.key] = [
                    figure_of(figure, figure_src(figure)) for figure in qv.figures
                ]
    content = {
        "organisation": assessment.organisation.name,
        "form_version": assessment.form_version.name,
        "due_on": assessment.due_on.isoformat(),
        "sections": live_sections(loaded),
        **live_appendices(assessment),
        "sign_offs": [
            {"role": s.role, "title": s.title}
            for s in assessment.form_version.sign_offs.order_by("position")
        ],
    }
    return build(content, figures=figures)
