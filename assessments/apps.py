from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "Self-assessments"

    def ready(self):
        from assessments.dashboard import due_date_panel
        from signatories import dashboard

        dashboard.register("assessments.due_date", due_date_panel, order=10)
