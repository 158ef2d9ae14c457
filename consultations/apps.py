from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = "Technician voice consultations"

    def ready(self):
        from assessments import documents
        from consultations.queries import appendix_content

        # The self-assessment's live document (check page, print preview, draft PDF) shows the
        # consultation summaries the lead attached; assessments may not import this app.
        documents.register_appendix_source("consultations.summaries", appendix_content)
