"""Settings for ipip, read from the environment (see .env.example).

Secure by default: DEBUG is off unless set, and a missing SECRET_KEY is an error
except under the test runner or the demo, which set their own.
"""

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value in (None, "") else int(value)


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def envsecret(name: str) -> str | None:
    """A secret from NAME, or from the file named by NAME_FILE."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return os.environ.get(name)


TESTING = "pytest" in sys.modules or os.environ.get("IPIP_TESTING") == "1"

DEBUG = envbool("DEBUG")
# The demo (make demo) lets its fake staff sign in without enrolling a second factor.
# Never set this in production: check --deploy fails when it is on (ipip.core.checks).
IPIP_DEMO = envbool("IPIP_DEMO")

_secret = envsecret("SECRET_KEY")
if not _secret:
    if TESTING or IPIP_DEMO:
        _secret = "insecure-key-for-tests-and-the-demo-only-0123456789abcdefghijklmnop"  # noqa: S105
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set (or SECRET_KEY_FILE).")
SECRET_KEY = _secret

ALLOWED_HOSTS = envlist(
    "ALLOWED_HOSTS", "127.0.0.1,localhost" if (DEBUG or TESTING or IPIP_DEMO) else ""
)
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "ninja",  # serves Swagger UI's own files for /api/v1/docs (no CDN)
    "ipip.core",
    "ipip.accounts",
    "ipip.audit",
    "ipip.cases",
    "ipip.eligibility",
    "ipip.referrals",
    "ipip.consent",
    "ipip.visits",
    "ipip.allocation",
    "ipip.vig",
    "ipip.ptp",
    "ipip.goals",
    "ipip.safeguarding",
    "ipip.questionnaires",
    "ipip.dashboard",
    "ipip.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "ipip.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "ipip.accounts.middleware.RequireMfaMiddleware",
    "ipip.audit.context.ClientIpMiddleware",
    "ipip.cases.middleware.CasePageAuditMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "ipip.core.context_processors.ipip",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'ipip.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the demo server and a command share the file safely.
    # IMMEDIATE transactions take the write lock at BEGIN: SQLite ignores SELECT ... FOR
    # UPDATE, so this is what serialises two allocations taking the next trial position.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A shared cache: allauth's failed-login lockout counts attempts here, so it must be
# shared by every app process. The database cache needs `createcachetable` (make targets run it).
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
        if os.environ.get("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
        if TESTING
        else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "ipip_cache"}
    )
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
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
PASSWORD_HASHERS = (
    ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast hashing in tests only
    if TESTING
    else ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
)
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "account_login"

# allauth: staff sign in with an email address and password, then a TOTP code (or a
# recovery code). There is no self sign-up: administrators create accounts.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "ipip.accounts.adapters.AccountAdapter"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
# Lockout: after 5 failed attempts for one account within 15 minutes, that account is
# refused for the rest of the window (allauth's per-key rate limit); plus an IP limit.
ACCOUNT_RATE_LIMITS = {"login_failed": "20/15m/ip,5/15m/key", "login": "60/m/ip"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "ipip"
MFA_RECOVERY_CODE_COUNT = 10

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING or DEBUG or IPIP_DEMO
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = IPIP_DEMO or DEBUG

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
_https = envbool("HTTPS", not (DEBUG or TESTING or IPIP_DEMO))
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
SECURE_SSL_REDIRECT = _https and envbool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000 if _https else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _https
SECURE_HSTS_PRELOAD = _https
if envbool("BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Client IP for the audit trail: only trust X-Forwarded-For behind a known proxy.
IPIP_TRUST_X_FORWARDED_FOR = envbool("BEHIND_PROXY")
IPIP_PAGE_SIZE = envint("IPIP_PAGE_SIZE", 25)

# Trial randomisation: the secret key (hex, at least 32 bytes) from which each area's
# concealed allocation sequence is derived; or IPIP_RANDOMISATION_KEY_FILE. It is kept out of
# the database so that no one who can read the tables can foresee the next arm. Tests use a
# fixed fake key; the demo generates one into IPIP_RANDOMISATION_DEMO_KEY_PATH (mode 0600).
# Unset elsewhere: allocation in trial mode is refused, and check --deploy warns.
IPIP_RANDOMISATION_KEY = (
    "0123456789abcdef" * 4 if TESTING else envsecret("IPIP_RANDOMISATION_KEY") or ""
)
IPIP_RANDOMISATION_DEMO_KEY_PATH = BASE_DIR / "var" / "randomisation.key"

# Email (password resets). SMTP from the environment; the demo and DEBUG print mail to the console.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if (DEBUG or IPIP_DEMO)
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envsecret("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ipip <no-reply@localhost>")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
