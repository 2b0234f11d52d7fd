"""PeaceHub settings: one module for every environment, read from environment variables.

SQLite by default, PostgreSQL when DATABASE_URL is set. Secrets have development
defaults only while PEACEHUB_DEBUG is true; a production start without them fails.
"""

import sys
from datetime import timedelta
from pathlib import Path

from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from peacehub.env import (
    ConfigurationError,
    database_from_url,
    env_bool,
    env_int,
    env_list,
    env_str,
    sqlite_database,
    use_current_sqlite,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("PEACEHUB_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("PEACEHUB_DEBUG", False)
# Under pytest the development secrets and plain cookies are acceptable, as in DEBUG.
TESTING = env_bool("PEACEHUB_TESTING", "pytest" in sys.modules)
_DEV_SECRET = "insecure-development-secret-do-not-use-in-production"  # noqa: S105
SECRET_KEY = env_str("PEACEHUB_SECRET_KEY", _DEV_SECRET if (DEBUG or TESTING) else None)
# The audit chain is keyed separately so that rotating the session secret does not
# break verification of years of audit history.
AUDIT_HMAC_KEY = env_str("PEACEHUB_AUDIT_KEY", SECRET_KEY)
if not (DEBUG or TESTING) and SECRET_KEY == _DEV_SECRET:
    raise ConfigurationError("PEACEHUB_SECRET_KEY must be set outside development.")

# Keys of the field-level encryption of notes (peacehub.encryption): newest first.
_DEV_FIELD_KEY = "ZGV2ZWxvcG1lbnQta2V5LW5ldmVyLWZvci1yZWFsISE="
_field_key_file = env_str("PEACEHUB_FIELD_KEY_FILE", "")
if _field_key_file:
    FIELD_ENCRYPTION_KEYS = [
        line.strip() for line in Path(_field_key_file).read_text().splitlines() if line.strip()
    ]
else:
    FIELD_ENCRYPTION_KEYS = env_list(
        "PEACEHUB_FIELD_KEYS", [_DEV_FIELD_KEY] if (DEBUG or TESTING) else []
    )
if not FIELD_ENCRYPTION_KEYS:
    raise ConfigurationError("PEACEHUB_FIELD_KEYS or PEACEHUB_FIELD_KEY_FILE must be set.")

ALLOWED_HOSTS = env_list("PEACEHUB_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("PEACEHUB_CSRF_TRUSTED_ORIGINS", [])
# Only behind a reverse proxy that sets it: otherwise a client could forge its address
# in the audit log.
USE_X_FORWARDED_FOR = env_bool("PEACEHUB_USE_X_FORWARDED_FOR", False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "template_partials",
    "ninja",
    "peacehub.accounts",
    "peacehub.geo",
    "peacehub.audit",
    "peacehub.people",
    "peacehub.notifications",
    "peacehub.outreach",
    "peacehub.cases",
    "peacehub.services",
    "peacehub.referrals",
    "peacehub.programs",
    "peacehub.events",
    "peacehub.academy",
    "peacehub.site",
    "peacehub.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "peacehub.accounts.middleware.SessionLimitsMiddleware",
    "peacehub.accounts.middleware.SignInRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "peacehub.accounts.middleware.NoStoreForSignedInMiddleware",
]

ROOT_URLCONF = "peacehub.urls"
WSGI_APPLICATION = "peacehub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "peacehub" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "peacehub.accounts.context_processors.navigation",
            ],
            "string_if_invalid": "",
        },
    }
]

_database_url = env_str("DATABASE_URL", "")
if _database_url:
    DATABASES = {"default": database_from_url(_database_url)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {"default": sqlite_database(str(VAR_DIR / "peacehub.sqlite3"))}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    use_current_sqlite()

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "site:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sign-in lock-out: this many failures inside the window locks the account name, and
# the larger number locks the address, until the window has passed.
LOGIN_FAILURE_WINDOW = timedelta(minutes=env_int("PEACEHUB_LOGIN_FAILURE_WINDOW_MINUTES", 15))
LOGIN_FAILURES_PER_USER = env_int("PEACEHUB_LOGIN_FAILURES_PER_USER", 5)
LOGIN_FAILURES_PER_ADDRESS = env_int("PEACEHUB_LOGIN_FAILURES_PER_ADDRESS", 20)

# Sessions end after 15 idle minutes and after 12 hours in all, whatever the activity.
SESSION_IDLE_TIMEOUT = timedelta(minutes=env_int("PEACEHUB_SESSION_IDLE_MINUTES", 15))
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=12)
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_COOKIES = env_bool("PEACEHUB_SECURE_COOKIES", not (DEBUG or TESTING))
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

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
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "peacehub" / "locale"]
USE_I18N = True
TIME_ZONE = env_str("PEACEHUB_TIME_ZONE", "America/Chicago")
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "peacehub" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if (DEBUG or TESTING)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

EMAIL_HOST = env_str("PEACEHUB_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("PEACEHUB_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("PEACEHUB_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("PEACEHUB_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("PEACEHUB_EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env_str("PEACEHUB_FROM_EMAIL", "PeaceHub <no-reply@peacehub.localhost>")

# The coalition's public phone line, shown on the public site only when set.
PUBLIC_CONTACT_PHONE = env_str("PEACEHUB_PUBLIC_CONTACT_PHONE", "")

# How often open pages ask for new alerts (htmx polling).
NOTIFICATION_POLL_SECONDS = env_int("PEACEHUB_NOTIFICATION_POLL_SECONDS", 15)
# Retention (DESIGN rule 7): an alert is for the moment it is sent, and the incident,
# its responses or the referral keep the record; older alerts go (manage.py
# purge_expired, daily).
NOTIFICATION_RETENTION = timedelta(days=env_int("PEACEHUB_NOTIFICATION_RETENTION_DAYS", 90))

# Where the coalition's community-area boundaries come from (GeoJSON, one feature per
# area). Another city points this at its own file.
COMMUNITY_AREAS_GEOJSON = Path(
    env_str(
        "PEACEHUB_COMMUNITY_AREAS_GEOJSON",
        str(BASE_DIR / "data" / "chicago_community_areas" / "community_areas.simplified.geojson"),
    )
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("PEACEHUB_LOG_LEVEL", "WARNING")},
}
