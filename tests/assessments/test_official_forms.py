"""After migrate, both official form versions exist with every question, in order."""

from assessments.models import FormVersion, Theme

EARLY = [
    # (section, key, kind, required, word limit)
    ("Contact details", "organisation", "short_text", True, None),
    ("Contact details", "lead_name", "short_text", True, None),
    ("Contact details", "lead_email", "email", True, None),
    ("Contact details", "lead_telephone", "telephone", True, None),
    ("Your organisation and its technicians", "profile", "long_text", True, 250),
    ("Your organisation and its technicians", "technician_definition", "long_text", True, None),
    ("Your organisation and its technicians", "technician_numbers", "long_text", True, None),
    ("Your organisation and its technicians", "technician_figures", "figures", False, None),
    ("Before and since signing", "initiatives_before", "long_text", True, None),
    ("Before and since signing", "initiatives_since", "per_theme", True, None),
    ("Action plan", "action_plan", "action_plan", False, None),
    ("Action plan", "technician_voice", "long_text", True, None),
    ("Publication", "publication", "confirm_url", True, None),
]

LATER = [
    ("Contact details", "organisation", "short_text", True, None),
    ("Contact details", "lead_name", "short_text", True, None),
    ("Contact details", "lead_email", "email", True, None),
    ("Contact details", "lead_telephone", "telephone", True, None),
    ("Technical staff and your approach", "technical_structures", "long_text", True, None),
    ("Technical staff and your approach", "technician_figures", "figures", False, None),
    ("Technical staff and your approach", "approach", "long_text", True, None),
    ("Evaluating impact", "rag_analysis", "long_text", True, None),
    ("Evaluating impact", "impact_evidence", "long_text", True, None),
    ("Evaluating impact", "additional_initiatives", "long_text", False, None),
    ("Action plan", "action_plan", "action_plan", False, None),
    ("Action plan", "technician_voice", "long_text", True, None),
    ("Publication", "publication", "confirm_url", True, None),
]


def questions_of(slug):
    version = FormVersion.objects.get(slug=slug)
    return [
        (s.title, q.key, q.kind, q.required, q.word_limit)
        for s in version.sections.order_by("position")
        for q in s.questions.order_by("position")
    ]


def test_the_early_form_asks_every_question_of_the_first_self_assessment(db):
    assert questions_of("early-form") == EARLY


def test_the_later_form_asks_every_question_of_a_later_self_assessment(db):
    assert questions_of("later-form") == LATER


def test_each_form_asks_for_its_signatures(db):
    signatures = {
        v.slug: [(s.role, s.title) for s in v.sign_offs.all()] for v in FormVersion.objects.all()
    }
    assert signatures == {
        "early-form": [
            ("lead", "Nominated Institutional Lead"),
            ("leader", "Signatory – Leader of Institution"),
        ],
        "later-form": [
            ("lead", "Nominated Institutional Lead"),
            ("sponsor", "Nominated Sponsor"),
            ("leader", "Signatory – Leader of Institution"),
        ],
    }


def test_plan_horizons_and_first_assessment_use(db):
    versions = {
        v.slug: (v.plan_horizon_months, v.for_first_assessment) for v in FormVersion.objects.all()
    }
    assert versions == {"early-form": (24, True), "later-form": (36, False)}


def test_the_four_themes_are_asked_one_by_one_with_appendix_a_examples(db):
    themes = [(t.name, t.asked_per_theme, t.examples.count()) for t in Theme.objects.all()]
    assert themes == [
        ("Visibility", True, 9),
        ("Recognition", True, 5),
        ("Career Development", True, 4),
        ("Sustainability", True, 4),
        ("Evaluating Impact", False, 0),
    ]


def test_header_questions_are_prefilled_from_the_organisation_and_lead(db):
    version = FormVersion.objects.get(slug="early-form")
    prefills = {q.key: q.prefill for q in version.sections.get(position=1).questions.all()}
    assert prefills == {
        "organisation": "organisation_name",
        "lead_name": "lead_name",
        "lead_email": "lead_email",
        "lead_telephone": "lead_telephone",
    }
