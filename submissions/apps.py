from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "submissions"
    verbose_name = "Submissions, sign-off and review"

    def ready(self):
        from assessments.queries import register_outside_reader
        from submissions.queries import submissions_assigned_to

        register_outside_reader("submissions.assigned_reviewer", submissions_assigned_to)
