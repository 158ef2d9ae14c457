from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "submissions"
    verbose_name = "Submissions, sign-off and review"

    def ready(self):
        from assessments.queries import register_outside_reader
        from signatories import dashboard
        from submissions.next_steps import dashboard_panel
        from submissions.queries import submissions_assigned_to

        register_outside_reader("submissions.assigned_reviewer", submissions_assigned_to)
        # The next step comes first on the dashboard, before the due date (order 10).
        dashboard.register("submissions.next_step", dashboard_panel, order=0)
