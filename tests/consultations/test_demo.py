from io import StringIO

from django.core.management import call_command

from consultations import queries
from consultations.models import Consultation, SharedQuestion


def test_seed_demo_makes_one_closed_consultation_for_the_demo_lead_once(db):
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    assert sorted(Consultation.objects.values_list("organisation__slug", "status")) == [
        ("fenwick", "closed"),
        ("fenwick", "draft"),
    ]
    consultation = Consultation.objects.get(status="closed")
    shown = queries.results(consultation)
    assert shown.total == 8
    assert [(t.name, t.agree_percent) for t in shown.themes] == [
        ("Visibility", 75),
        ("Recognition", 50),
        ("Career Development", 12),
        ("Sustainability", 62),
    ]
    assert sorted(c.text for c in queries.approved_comments(consultation)) == [
        "Career grades for workshop staff are still unclear.",
        "The technician network has made us far more visible this year.",
    ]
    assert SharedQuestion.objects.count() == 4
    assert [t.name for t in queries.sector_agreement()] == [
        "Visibility",
        "Recognition",
        "Career Development",
        "Sustainability",
    ]
