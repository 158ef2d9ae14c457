from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = "Technician voice consultations"

    def ready(self):
        from assessments import documents
        from consultations.queries import attached_summaries

        # The self-assessment's live document (check page, print preview, draft PDF) shows the
        # consultation summaries the lead attached; assessments may not import this app.
        documents.register_consultation_source("consultations.summaries", attached_summaries)
