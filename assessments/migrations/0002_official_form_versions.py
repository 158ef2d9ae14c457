"""The two official self-assessment forms described in the sector's guidance.

Administrators can change their dates and cycles in the admin; later work adds their sections
and questions.
"""

import datetime

from django.db import migrations

OFFICIAL_VERSIONS = [
    {
        "slug": "early-form",
        "name": "Early form: first self-assessment and 24-month action plan",
        "in_use_from": datetime.date(2017, 3, 1),
        "cycle_months": 24,
        "plan_horizon_months": 24,
    },
    {
        "slug": "later-form",
        "name": "Later form: evaluating impact and 36-month action plan",
        "in_use_from": datetime.date(2021, 1, 1),
        "cycle_months": 36,
        "plan_horizon_months": 36,
    },
]


def add_versions(apps, schema_editor):
    FormVersion = apps.get_model("assessments", "FormVersion")
    for version in OFFICIAL_VERSIONS:
        FormVersion.objects.update_or_create(slug=version["slug"], defaults=version)


def remove_versions(apps, schema_editor):
    FormVersion = apps.get_model("assessments", "FormVersion")
    FormVersion.objects.filter(slug__in=[v["slug"] for v in OFFICIAL_VERSIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]
    operations = [migrations.RunPython(add_versions, remove_versions)]
