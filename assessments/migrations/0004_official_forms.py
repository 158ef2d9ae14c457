"""The Commitment's themes, Appendix A's example activities, and both official forms' sections,
questions and signatures, in the portal's own words.

Administrators can change all of this in the admin, or copy a version to make a new one.
"""

from django.db import migrations

THEMES = [
    (
        "visibility",
        "Visibility",
        "Technicians are identifiable, and their contribution is visible within and beyond the "
        "organisation.",
        [
            "Count the technicians employed and know where they work",
            "Write clear, current job descriptions for technical roles",
            "Name technicians as authors on the research outputs and grants they contributed to",
            "Show technicians in prospectuses, websites and other marketing",
            "Give technicians seats on decision-making committees",
            "Make technical staff visible in research grant costings",
            "Create a way to celebrate technicians' achievements",
            "Include technicians in strategy documents",
            "Support a lively technician network",
        ],
    ),
    (
        "recognition",
        "Recognition",
        "Technicians are supported to gain recognition, in particular through professional "
        "registration.",
        [
            "Promote professional registration (Science Council, Engineering Council, BCS)",
            "Work towards the Science Council's Employer Champion award",
            "Support accreditation of teaching practice, for example through Advance HE",
            "Run internal award schemes that include technicians",
            "Nominate technicians for external awards",
        ],
    ),
    (
        "career-development",
        "Career Development",
        "Clear, documented career pathways enable technicians to progress.",
        [
            "Document technician career paths or frameworks that show how to progress",
            "Signpost professional development and align it with the career pathways",
            "Publish a webpage of technicians' career case studies",
            "Expand technician job families to include high-level specialist roles",
        ],
    ),
    (
        "sustainability",
        "Sustainability",
        "Technical skills are sustained across the organisation and technical expertise is "
        "fully used.",
        [
            "Plan succession and analyse the profile of the technical workforce",
            "Offer secondments and placements",
            "Run a trainee or apprenticeship programme",
            "Use the Apprenticeship Levy to develop existing staff",
        ],
    ),
]

CONTACT_SECTION = (
    "Contact details",
    "Filled in from the organisation and its institutional lead; change anything that is out of "
    "date.",
    [
        ("organisation", "short_text", "Organisation", "", True, None, "organisation_name"),
        ("lead_name", "short_text", "Name of the institutional lead", "", True, None, "lead_name"),
        ("lead_email", "email", "E-mail address", "", True, None, "lead_email"),
        ("lead_telephone", "telephone", "Contact number", "", True, None, "lead_telephone"),
    ],
)

PUBLICATION_QUESTION = (
    "publication",
    "confirm_url",
    "Please confirm that your Technician Commitment status and action plan are published on "
    "your organisation's website, and give the address of the page.",
    "The page must be public and easy to find, and name a point of contact.",
    True,
    None,
    "",
)

EARLY_FORM = {
    "slug": "early-form",
    "for_first_assessment": True,
    "guidance": (
        "The first self-assessment is due a year after signing. It sets out the organisation's "
        "context, what it has done since signing, and a 24-month action plan."
    ),
    "sign_offs": [
        ("lead", "Nominated Institutional Lead"),
        ("leader", "Signatory – Leader of Institution"),
    ],
    "sections": [
        CONTACT_SECTION,
        (
            "Your organisation and its technicians",
            "",
            [
                (
                    "profile",
                    "long_text",
                    "To give some context, please give a brief profile of your organisation.",
                    "Size, mission, campuses, and the numbers of students and staff.",
                    True,
                    250,
                    "",
                ),
                (
                    "technician_definition",
                    "long_text",
                    "How does your organisation define its technicians?",
                    "For example the job families, grades or role titles that count as technical.",
                    True,
                    None,
                    "",
                ),
                (
                    "technician_numbers",
                    "long_text",
                    "How many technicians are there in your organisation? Where are they based "
                    "and how are they structured (by subject, discipline or department)?",
                    "",
                    True,
                    None,
                    "",
                ),
                (
                    "technician_figures",
                    "figures",
                    "Figures about your technicians (optional)",
                    "Charts or tables of headcount, for example by faculty or campus. Give each "
                    "a caption and a description for people who cannot see it.",
                    False,
                    None,
                    "",
                ),
            ],
        ),
        (
            "Before and since signing",
            "",
            [
                (
                    "initiatives_before",
                    "long_text",
                    "What initiatives, programmes or activities for technicians were already in "
                    "place before your organisation became a signatory?",
                    "",
                    True,
                    None,
                    "",
                ),
                (
                    "initiatives_since",
                    "per_theme",
                    "What has your organisation put in place to address each theme since "
                    "becoming a signatory?",
                    "Appendix A lists example activities for each theme.",
                    True,
                    None,
                    "",
                ),
            ],
        ),
        (
            "Action plan",
            "",
            [
                (
                    "action_plan",
                    "action_plan",
                    "Give a 24-month action plan: your future plans for each theme and how you "
                    "will evidence their impact.",
                    "The plan is written in the action plan editor and attached as an appendix; "
                    "say here anything that introduces it.",
                    False,
                    None,
                    "",
                ),
                (
                    "technician_voice",
                    "long_text",
                    "How was the technician voice present in developing and forming the action "
                    "plan?",
                    "For example surveys, forums, focus groups or technicians on the working group.",
                    True,
                    None,
                    "",
                ),
            ],
        ),
        ("Publication", "", [PUBLICATION_QUESTION]),
    ],
}

LATER_FORM = {
    "slug": "later-form",
    "for_first_assessment": False,
    "guidance": (
        "Later self-assessments evaluate the impact of the previous action plan and set out a "
        "36-month plan."
    ),
    "sign_offs": [
        ("lead", "Nominated Institutional Lead"),
        ("sponsor", "Nominated Sponsor"),
        ("leader", "Signatory – Leader of Institution"),
    ],
    "sections": [
        CONTACT_SECTION,
        (
            "Technical staff and your approach",
            "",
            [
                (
                    "technical_structures",
                    "long_text",
                    "Give an overview of the structures of your technical staff.",
                    "",
                    True,
                    None,
                    "",
                ),
                (
                    "technician_figures",
                    "figures",
                    "Figures about your technicians (optional)",
                    "Give each figure a caption and a description for people who cannot see it.",
                    False,
                    None,
                    "",
                ),
                (
                    "approach",
                    "long_text",
                    "Describe your approach since becoming a signatory: governance, reporting "
                    "lines, resources and how you engage the technical community.",
                    "",
                    True,
                    None,
                    "",
                ),
            ],
        ),
        (
            "Evaluating impact",
            "",
            [
                (
                    "rag_analysis",
                    "long_text",
                    "Give a RAG analysis of your previous action plan: which actions are "
                    "completed (green), in progress (amber) and still to be carried out (red).",
                    "Explain every red action: why it has not started and what happens next.",
                    True,
                    None,
                    "",
                ),
                (
                    "impact_evidence",
                    "long_text",
                    "How does your organisation evidence that its action plan has had impact?",
                    "Qualitative and quantitative evidence both count.",
                    True,
                    None,
                    "",
                ),
                (
                    "additional_initiatives",
                    "long_text",
                    "Describe any additional initiatives that the original action plan did not "
                    "cover.",
                    "",
                    False,
                    None,
                    "",
                ),
            ],
        ),
        (
            "Action plan",
            "",
            [
                (
                    "action_plan",
                    "action_plan",
                    "Give a 36-month action plan: your future plans for each theme and how you "
                    "will evidence their impact.",
                    "The plan is written in the action plan editor and attached as an appendix; "
                    "say here anything that introduces it.",
                    False,
                    None,
                    "",
                ),
                (
                    "technician_voice",
                    "long_text",
                    "How did the technician voice shape the action plan?",
                    "",
                    True,
                    None,
                    "",
                ),
            ],
        ),
        ("Publication", "", [PUBLICATION_QUESTION]),
    ],
}


def add_official_forms(apps, schema_editor):
    Theme = apps.get_model("assessments", "Theme")
    ExampleActivity = apps.get_model("assessments", "ExampleActivity")
    FormVersion = apps.get_model("assessments", "FormVersion")
    SignOffRequirement = apps.get_model("assessments", "SignOffRequirement")
    Section = apps.get_model("assessments", "Section")
    Question = apps.get_model("assessments", "Question")

    for position, (slug, name, description, examples) in enumerate(THEMES, start=1):
        theme = Theme.objects.create(
            slug=slug, name=name, description=description, position=position
        )
        ExampleActivity.objects.bulk_create(
            ExampleActivity(theme=theme, text=text, position=n)
            for n, text in enumerate(examples, start=1)
        )
    Theme.objects.create(
        slug="evaluating-impact",
        name="Evaluating Impact",
        description="The self-assessment itself: how the organisation evaluates its progress.",
        position=len(THEMES) + 1,
        asked_per_theme=False,
    )

    for form in (EARLY_FORM, LATER_FORM):
        version = FormVersion.objects.get(slug=form["slug"])
        version.for_first_assessment = form["for_first_assessment"]
        version.guidance = form["guidance"]
        version.save()
        for position, (role, title) in enumerate(form["sign_offs"], start=1):
            SignOffRequirement.objects.create(
                form_version=version, role=role, title=title, position=position
            )
        for s_pos, (title, guidance, questions) in enumerate(form["sections"], start=1):
            section = Section.objects.create(
                form_version=version, position=s_pos, title=title, guidance=guidance
            )
            for q_pos, (key, kind, text, q_guidance, required, limit, prefill) in enumerate(
                questions, start=1
            ):
                Question.objects.create(
                    section=section,
                    position=q_pos,
                    key=key,
                    kind=kind,
                    text=text,
                    guidance=q_guidance,
                    required=required,
                    word_limit=limit,
                    prefill=prefill,
                )


def remove_official_forms(apps, schema_editor):
    apps.get_model("assessments", "Section").objects.all().delete()
    apps.get_model("assessments", "SignOffRequirement").objects.all().delete()
    apps.get_model("assessments", "Theme").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0003_forms_as_data")]
    operations = [migrations.RunPython(add_official_forms, remove_official_forms)]
