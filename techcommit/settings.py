"""Settings for the Technician Commitment portal: one module, read from the environment.

Development defaults are used only when DEBUG is on (``make run`` turns it on). With DEBUG off
the portal refuses to start without SECRET_KEY and ALLOWED_HOSTS, and ``check --deploy`` is
clean. See the configuration table in README.md.
"""

import os
import tempfile
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from techcommit.env import env_bool, env_choice, env_int, env_list, env_rate, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "development-only-key-never-used-in-production-0123456789abcdef"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
if not ALLOWED_HOSTS and not DEBUG:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

SITE_NAME = env_str("SITE_NAME", "Technician Commitment portal")
# Where e-mails sent without a request (notifications, reminders) point their links. In
# production, unless set, the first allowed host over HTTPS: never a development address.
SITE_URL = env_str(
    "SITE_URL",
    "http://127.0.0.1:8000" if DEBUG else f"https://{ALLOWED_HOSTS[0].lstrip('.')}",
).rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "template_partials.apps.SimpleAppConfig",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    # Before django_tasks_db, so that its db_worker (which also writes the worker's heartbeat)
    # is the one manage.py runs.
    "techcommit",
    "django_tasks",
    "django_tasks_db",
    "signatories",
    "assessments",
    "actionplans",
    "consultations",
    "submissions",
    "publications",
    "api",
]

MIDDLEWARE = [
    "techcommit.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses what it is given last, so after everything that sets cookies or headers.
    "techcommit.middleware.PublicGZipMiddleware",
    "api.middleware.PublicApiMiddleware",
    "techcommit.middleware.StripNulMiddleware",
    # Before the kept public pages, so that these headers are on every answer.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Kept public pages for visitors without cookies, before the session is even looked at.
    "techcommit.middleware.PublicPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "techcommit.middleware.HtmxSignedOutMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "techcommit.middleware.RequireTwoFactorMiddleware",
]

ROOT_URLCONF = "techcommit.urls"
WSGI_APPLICATION = "techcommit.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            # The partials loader serves "page.html#fragment" for the pieces htmx swaps; it
            # wraps Django's usual cached filesystem and app loaders.
            "loaders": [
                (
                    "template_partials.loader.Loader",
                    [
                        (
                            "django.template.loaders.cached.Loader",
                            [
                                "django.template.loaders.filesystem.Loader",
                                "django.template.loaders.app_directories.Loader",
                            ],
                        )
                    ],
                )
            ],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "techcommit.context_processors.portal",
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]


def database(url: str) -> dict:
    """The database ``url`` names, as Django wants it.

    On SQLite, two requests writing at once (a double-click) must both succeed rather than one
    failing with "database is locked": write-ahead logging lets readers and the writer work
    side by side, every transaction takes the write lock when it begins (IMMEDIATE), so that no
    two transactions that have both read can deadlock when each wants to write, and a writer
    waits up to 20 seconds for the lock instead of failing at once.

    In production a connection is kept for ten minutes (DATABASE_CONN_MAX_AGE) rather than
    opened for every request, which costs more than most pages take to render; Django checks a
    kept connection before each request reuses it, so a database restart costs no request.
    """
    config = dj_database_url.parse(
        url,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0 if DEBUG else 600),
        conn_health_checks=True,
    )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
        # Tests use a file too (beside the real one), not SQLite's shared in-memory database,
        # whose table locks fail at once instead of waiting: the suite then sees the same
        # locking as the running portal.
        # One file per test run, so that two runs at once (two terminals, two worktrees) never
        # share one.
        config["TEST"] = {
            "NAME": str(Path(tempfile.gettempdir()) / f"techcommit-test-{os.getpid()}.sqlite3")
        }
    return config


# Database: SQLite in the project folder unless DATABASE_URL names another (PostgreSQL in
# production and CI, through psycopg 3).
DATABASES = {"default": database(env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A shared cache: sign-in throttling (allauth's rate limits) and anything cached must count across
# every gunicorn worker and every app server. With REDIS_URL (e.g. redis://cache.internal:6379/0)
# it is Django's own Redis backend; without it, a table in the database (created by a migration of
# the techcommit app), so that `make run` needs no Redis. Sessions stay in the database either way.
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "techcommit",
            # A Redis that stops answering fails a request (and /readyz) in seconds, never hangs.
            "OPTIONS": {"socket_connect_timeout": 3, "socket_timeout": 3},
        }
    }
    CACHES["pages"] = {**CACHES["default"], "KEY_PREFIX": "techcommit-pages"}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "techcommit_cache",
        },
        # Rendered public pages (techcommit.public_cache): in each worker's memory, keyed by the
        # last public change, which is in the shared cache, so no worker shows an outdated page.
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "public-pages",
            "OPTIONS": {"MAX_ENTRIES": 200},
        },
    }

AUTH_USER_MODEL = "signatories.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: e-mail and password, no usernames, no open sign-up (people join by invitation).
ACCOUNT_ADAPTER = "signatories.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_SESSION_REMEMBER = None
# Throttle failed sign-ins: five for one e-mail address per five minutes (an account with a
# second factor still reaches it with the right password: signatories/adapters.py), and a
# hundred a minute from one network address, since a whole university signs in from one. The
# admin's sign-in goes through the same form (techcommit/urls.py).
ACCOUNT_RATE_LIMITS = {
    "login_failed": env_str("LOGIN_FAILED_RATE_LIMIT", "100/m/ip,5/300s/key"),
}
# The public API (api/): requests allowed from one network address, counted in the shared
# cache, as "number/period" with the period in s, m, h or d (for example 120/m).
API_ANONYMOUS_RATE = env_rate("API_ANONYMOUS_RATE", "120/m")
# Answers to a consultation by its shared link from one network address (a whole university's
# staff may answer from one, so generously), and wrong withdrawal codes tried from one, counted
# like the sign-in throttle ("number/period/ip", allauth's format).
_PER_ADDRESS = {"what": "answers per period from one address", "suffix": "/ip"}
CONSULTATION_RESPONSE_RATE_LIMIT = env_rate(
    "CONSULTATION_RESPONSE_RATE_LIMIT", "100/h/ip", **_PER_ADDRESS
)
CONSULTATION_WITHDRAWAL_RATE_LIMIT = env_rate(
    "CONSULTATION_WITHDRAWAL_RATE_LIMIT", "20/h/ip", **_PER_ADDRESS
)
# Whose requests the API's limit and the sign-in throttle count: REMOTE_ADDR, unless the
# portal runs behind this many proxies that each add the address they saw to
# X-Forwarded-For; then the address the outermost one saw (never one a client could forge).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
NINJA_NUM_PROXIES = ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
# A password reset for an address the portal does not know sends nothing (allauth would
# otherwise invite a sign-up, and the portal is closed); the page says the same either way.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME

# Internationalisation: British English, UK time.
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English (UK)")]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# Static files: Bootstrap and htmx are vendored under static/vendor; whitenoise serves hashed,
# compressed copies in production.
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# E-mail: printed to the console in development, SMTP otherwise.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", "Technician Commitment portal <portal@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where the public reports an accessibility problem (the accessibility statement names it).
ACCESSIBILITY_CONTACT_EMAIL = env_str("ACCESSIBILITY_CONTACT_EMAIL", "")

# The most a request to clean or autosave text may carry (techcommit.limits): Word's clipboard
# HTML for a few pages, with room to spare. Cleaning 200 KB takes well under a second.
TEXT_REQUEST_MAX_BYTES = env_int("TEXT_REQUEST_MAX_BYTES", 512 * 1024)

# Background tasks (django-tasks, the backport of django.tasks): slow work such as rendering a
# publication's PDF. In development and tests a task runs at once, in the same process; in
# production set TASKS_BACKEND=database, and run `manage.py db_worker` beside the web server.
TASKS_BACKEND = env_choice("TASKS_BACKEND", {"immediate", "database"}, "immediate")
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[TASKS_BACKEND],
        "QUEUES": ["default"],
    }
}
# /readyz reports the worker stale when its last heartbeat is older than this many seconds (only
# with TASKS_BACKEND=database: the immediate backend has no worker). A worker beats every quarter
# of it.
WORKER_HEARTBEAT_MAX_AGE = env_int("WORKER_HEARTBEAT_MAX_AGE", 120)
# How long each process trusts its copy of the last public change (techcommit/public_cache.py)
# before asking the shared cache again: a change made on another app server or by the worker
# shows on this one's public pages at most this much later (browsers may keep them a minute).
PUBLIC_CHANGE_CHECK_SECONDS = env_int("PUBLIC_CHANGE_CHECK_SECONDS", 0 if DEBUG else 1)
# The worker's CPU priority beside the web workers on the same machine: "idle" (Linux's
# SCHED_IDLE: a PDF render takes only the CPU the web requests leave, and never holds one up),
# "low" (nice 10) or "normal". Normal with DEBUG, so that tests running a worker in their own
# process keep their priority.
WORKER_PRIORITY = env_choice(
    "WORKER_PRIORITY", {"idle", "low", "normal"}, "normal" if DEBUG else "idle"
)
# A task that fails for a reason worth another try (e-mail, a PDF render) runs again after
# TASK_RETRY_BASE_SECONDS, then twice as long each time, up to TASK_MAX_ATTEMPTS attempts in all
# (techcommit/tasks.py); then its record shows it failed, for a manual retry.
TASK_MAX_ATTEMPTS = env_int("TASK_MAX_ATTEMPTS", 5)
TASK_RETRY_BASE_SECONDS = env_int("TASK_RETRY_BASE_SECONDS", 30)
# Test-only: seconds a PDF render waits before it starts, so that the topology test can kill a
# worker in the middle of one (tests/test_topology.py). Never set it in a deployment.
PDF_RENDER_DELAY = env_int("PDF_RENDER_DELAY", 0)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

INVITATION_VALID_DAYS = 7

# Security. Behind a proxy that terminates TLS, set SECURE_PROXY_SSL_HEADER_ENABLED so that
# Django trusts its X-Forwarded-Proto header.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if env_bool("SECURE_PROXY_SSL_HEADER_ENABLED", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    # Load balancers and monitors ask over plain HTTP, behind the proxy that terminates TLS.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)

# A strict Content-Security-Policy: no inline script or style anywhere in the portal.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LOG_LEVEL = env_choice("LOG_LEVEL", {"DEBUG", "INFO", "WARNING", "ERROR"}, "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # WeasyPrint logs each step of every render at INFO; its warnings still come through.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}
