from django.apps import AppConfig


class TechcommitConfig(AppConfig):
    """The project package doubles as a small app for shared templates tags and the cache table."""

    name = "techcommit"
    verbose_name = "Portal"
