from django.apps import AppConfig


class ActionPlansConfig(AppConfig):
    name = "actionplans"
    verbose_name = "Action plans"

    def ready(self):
        from actionplans.panels import cycle_plan_panel, previous_review_panel
        from actionplans.queries import appendix_content
        from assessments import documents, panels

        panels.register("actionplans.previous_review", previous_review_panel)
        panels.register("actionplans.cycle_plan", cycle_plan_panel)
        documents.register_appendix_source("actionplans.appendices", appendix_content)
