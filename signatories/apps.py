from django.apps import AppConfig


class SignatoriesConfig(AppConfig):
    name = "signatories"
    verbose_name = "Signatories and people"
