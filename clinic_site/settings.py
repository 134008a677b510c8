"""The one settings module for every environment, read from environment variables.

Development is what you get with DJANGO_DEBUG=true (`make run` sets it). Anything else is
production: it refuses to start without a secret key and allowed hosts.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

# GENERAL
# ------------------------------------------------------------------------------
# Safe is the default: debug is off unless asked for.
DEBUG = env.bool("DJANGO_DEBUG", default=False)

if DEBUG:
    SECRET_KEY = env("DJANGO_SECRET_KEY", default="django-insecure-development-only-key")
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
else:
    SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
    if not SECRET_KEY:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off (production)."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG is off (production)."
        )

# The public address of the site, used for canonical links, sitemaps and links in staff email
# (emails are sent outside any request, so they cannot ask the request for its host).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # Django's admin, with the staff sign-in's admin site (two steps) as its default site.
    "clinic_site.core.staff.apps.StaffAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",  # dev server serves static like production does
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_forms_gds",
    "simple_history",
    "csp",
    "phonenumber_field",
    # Django's Tasks API (backported until Django 6) and its database queue; see TASKS below.
    "django_tasks",
    "django_tasks_db",
    # Ours. Site-wide pieces are small apps inside the project package.
    "clinic_site.core.clinic",
    "clinic_site.core.pagecache",
    "conditions",
    "contact",
    "clinic_site.sitewide.search",
    # Staff sign-in: second factor (django-otp), lockout and its records (django-axes). After
    # the apps whose admin it adjusts.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "clinic_site.core.staff",
    "clinic_site.core.backups",
]

MIDDLEWARE = [
    # Anonymous readers get stored public pages from here, as every middleware below left them,
    # so a hit costs about what a static file does (clinic_site/core/pagecache/middleware.py).
    "clinic_site.core.pagecache.middleware.PublicPageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Directly after SecurityMiddleware: static files get security headers, skip the rest.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages shrink to about a quarter on the wire. Django 4.2+ pads compressed responses
    # against the BREACH attack; whitenoise above serves static files precompressed.
    "django.middleware.gzip.GZipMiddleware",
    "csp.middleware.CSPMiddleware",
    # Search engines are kept out of the admin by a header on all its answers, not robots.txt.
    "clinic_site.core.staff.middleware.AdminNoIndexMiddleware",
    # The language comes from the address alone (/es/… is Spanish), as the page cache's key.
    "clinic_site.core.language.URLLanguageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Marks whether the signed-in user passed the second factor (user.is_verified()).
    "django_otp.middleware.OTPMiddleware",
    # Signs staff out when idle, at the session's age limit, or without a second factor.
    "clinic_site.core.staff.middleware.StaffSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records which staff user made each change, for the history tables.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a refused sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "clinic_site.urls"
WSGI_APPLICATION = "clinic_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "clinic_site.core.clinic.context_processors.clinic",
                "clinic_site.core.page_meta.page_urls",
            ],
        },
    },
]

# DATABASES
# ------------------------------------------------------------------------------
# SQLite under var/ by default so a newcomer needs no server; PostgreSQL via DATABASE_URL.
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several gunicorn workers write at once: WAL lets readers go on while one writes, the busy
    # timeout makes a writer wait instead of failing, and IMMEDIATE takes the write lock at the
    # start of a transaction so two writers never deadlock upgrading their read locks.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    # A server that stops answering: give up connecting after this many seconds and serve the
    # 503 page (clinic_site/sitewide/pages/errors.py) rather than hold a gunicorn worker until it is
    # killed. `?connect_timeout=` in DATABASE_URL changes it.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
# Keep connections open between requests: opening one (and, for SQLite, setting its pragmas)
# costs more than serving a cached page.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# On PostgreSQL each process hears of content changes (LISTEN/NOTIFY) instead of asking on every
# page hit; while its connection is down it asks again, retrying this often
# (clinic_site/core/pagecache/listener.py).
PAGECACHE_LISTEN = env.bool("DJANGO_PAGECACHE_LISTEN", default=True)
PAGECACHE_LISTEN_RETRY_SECONDS = env.float("DJANGO_PAGECACHE_LISTEN_RETRY_SECONDS", default=1.0)
# With Redis, every rendered public page is also copied there, for readers while the database
# is out of reach (clinic_site/core/pagecache/copies.py); a copy lasts this long after its last
# render.
PAGECACHE_COPY_DAYS = env.int("DJANGO_PAGECACHE_COPY_DAYS", default=7)

# CACHES
# ------------------------------------------------------------------------------
# Redis in production so that every worker shares the contact form's rate limits. Pages are not
# kept here: each worker holds its own (clinic_site/core/pagecache).
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("DJANGO_CACHE_PREFIX", default="clinic"),
            "OPTIONS": {
                # A cache outage must never take the site down: pages render without it.
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "clinic",
        }
    }

# The page parts every page repeats (header, footer), rendered once per language, address and
# clinic details in each process (templates' {% cache ... using="chrome" %}): in memory, since
# a round trip to Redis would cost more than rendering them.
CACHES["chrome"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "chrome",
    "TIMEOUT": None,
    "OPTIONS": {"MAX_ENTRIES": 1000},
}

# PASSWORDS
# ------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# INTERNATIONALIZATION
# ------------------------------------------------------------------------------
# English at the site's addresses, Spanish under /es/ (clinic_site/core/language.py). The catalogue
# is locale/es/LC_MESSAGES/django.po; `make install` compiles it (the .mo is not committed).
LANGUAGE_CODE = "en-us"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
# The clinic's own time zone: editors see and enter times in it.
TIME_ZONE = env("DJANGO_TIME_ZONE", default="America/Indiana/Indianapolis")

# Phone numbers people type without a country code are American.
PHONENUMBER_DEFAULT_REGION = "US"

# STATIC AND MEDIA
# ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names (cached forever) with gzip and brotli copies, in every environment, so that
    # development shows what production serves.
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 31536000

# SECURITY
# ------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    # Behind a proxy that terminates TLS and sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# Content-Security-Policy: nothing from other hosts, no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

ADMIN_URL = env("DJANGO_ADMIN_URL", default="admin/")

# EMAIL
# ------------------------------------------------------------------------------
EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND",
    default=(
        "django.core.mail.backends.console.EmailBackend"
        if DEBUG
        else "django.core.mail.backends.smtp.EmailBackend"
    ),
)
EMAIL_HOST = env("DJANGO_EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("DJANGO_EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("DJANGO_EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("DJANGO_EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("DJANGO_EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("DJANGO_EMAIL_USE_SSL", default=False)
# Bounds each step of a send in the worker. Decimals allowed (tests use fractions of a second).
EMAIL_TIMEOUT = env.float("DJANGO_EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env(
    "DJANGO_DEFAULT_FROM_EMAIL", default="Cutting Edge Pain website <website@cuttingedgepain.com>"
)
SERVER_EMAIL = env("DJANGO_SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
EMAIL_SUBJECT_PREFIX = env("DJANGO_EMAIL_SUBJECT_PREFIX", default="[Cutting Edge Pain] ")
ADMINS = [("Site admins", a) for a in env.list("DJANGO_ADMINS", default=[])]

# CONTACT (the contact app's own settings)
# ------------------------------------------------------------------------------
CONTACT_RECIPIENTS = env.list("CONTACT_RECIPIENTS", default=["info@cuttingedgepain.com"])
CONTACT_EMAIL_INCLUDE_DETAILS = env.bool("CONTACT_EMAIL_INCLUDE_DETAILS", default=False)
CONTACT_RETENTION_DAYS = env.int("CONTACT_RETENTION_DAYS", default=365)
CONTACT_RATE_LIMIT = env("CONTACT_RATE_LIMIT", default="5/10m")
CONTACT_MIN_SECONDS = env.int("CONTACT_MIN_SECONDS", default=3)
CONTACT_MAX_AGE_SECONDS = env.int("CONTACT_MAX_AGE_SECONDS", default=60 * 60 * 24)
# A failed staff email is tried again after this many seconds, then after twice as long each
# time, up to an hour. It is also how long a sender holds an inquiry while it sends, so it must
# stay well above EMAIL_TIMEOUT (a system check makes sure).
CONTACT_EMAIL_RETRY_SECONDS = env.float("CONTACT_EMAIL_RETRY_SECONDS", default=300)
# The admin index warns when a staff email has waited longer than this: a stopped worker, or a
# mail server that keeps failing.
CONTACT_EMAIL_QUEUE_WARN_MINUTES = env.int("CONTACT_EMAIL_QUEUE_WARN_MINUTES", default=15)
# Error reports for requests that handle inquiries show no variables: patients type health
# details into the form (contact/reporting.py).
DEFAULT_EXCEPTION_REPORTER_FILTER = "contact.reporting.PatientDataExceptionReporterFilter"

# CLIENT ADDRESS
# ------------------------------------------------------------------------------
# Behind a reverse proxy, the header that carries the client's address, e.g. HTTP_X_REAL_IP;
# empty means REMOTE_ADDR. One setting for the contact rate limit and the staff sign-in lockout
# (clinic_site/core/client_ip.py).
CLIENT_IP_HEADER = env("CLIENT_IP_HEADER", default="")

# STAFF SIGN-IN (clinic_site/core/staff: second factor, lockout, short sessions, login record)
# ------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    # First: refuses every attempt while the account or the client is locked out.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# The name authenticator apps show beside the account.
OTP_TOTP_ISSUER = "Cutting Edge Pain"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Lockout: after this many failed attempts (password or code) for one account name, or from one
# client, further attempts are refused until this many minutes pass without one. Counted in the
# database, so every worker on every machine sees the same count.
AXES_FAILURE_LIMIT = env.int("STAFF_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("STAFF_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_CLIENT_IP_CALLABLE = "clinic_site.core.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "clinic_site.core.staff.lockout.lockout_response"
# The record of who came in: successful sign-ins (AccessLog) and every failure, lockouts marked
# (AccessFailureLog), kept this many days (`manage.py purge_login_records`, from cron).
AXES_ENABLE_ACCESS_FAILURE_LOG = True
STAFF_LOGIN_RECORD_DAYS = env.int("STAFF_LOGIN_RECORD_DAYS", default=365)
# Never store or log these posted values (the password always is hidden; "code" is the
# second step's one-time code).
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code"]
# Short staff sessions: signed out after this many idle minutes, and this many hours after
# signing in whatever happens. No session lives longer than that, signed in or not.
STAFF_SESSION_IDLE_MINUTES = env.int("STAFF_SESSION_IDLE_MINUTES", default=30)
STAFF_SESSION_MAX_HOURS = env.int("STAFF_SESSION_MAX_HOURS", default=12)
SESSION_COOKIE_AGE = STAFF_SESSION_MAX_HOURS * 60 * 60
# TASKS
# ------------------------------------------------------------------------------
# Work that talks to another server (the staff email) runs in a worker process
# (`manage.py db_worker`, see the Procfile), never inside a patient's request. The queue is a
# table in the site's own database: no other server to run, and as durable as the inquiries.
# The immediate backend (tests only) runs tasks inside the request; `check --deploy` warns.
TASKS = {
    "default": {
        "BACKEND": env("DJANGO_TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}

# CONDITIONS (the articles' own settings)
# ------------------------------------------------------------------------------
REVIEW_INTERVAL_DAYS = env.int("REVIEW_INTERVAL_DAYS", default=365)

# BACKUPS (clinic_site.core.backups: `manage.py backup` and `restore`)
# ------------------------------------------------------------------------------
# Outside every folder the site serves (a system check makes sure): backups hold patients'
# messages. Keep the newest BACKUP_KEEP; 0 keeps every one.
BACKUP_DIR = Path(env("BACKUP_DIR", default=str(VAR_DIR / "backups")))
BACKUP_KEEP = env.int("BACKUP_KEEP", default=14)

# FORMS
# ------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# LOGGING
# ------------------------------------------------------------------------------
# Log to stderr (gunicorn collects it). Request bodies are never logged: patients type health
# details into the contact form.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.security.DisallowedHost": {"handlers": ["console"], "level": "ERROR"},
    },
}
