"""Areas, staff and referrer accounts, and API tokens."""

import hashlib
import secrets
from typing import ClassVar
from uuid import uuid4

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower

from ipip.core.models import BaseModel


class Nation(models.TextChoices):
    ENGLAND = "england", "England"
    WALES = "wales", "Wales"
    SCOTLAND = "scotland", "Scotland"
    NORTHERN_IRELAND = "northern_ireland", "Northern Ireland"


class Area(BaseModel):
    """One of the areas the service runs in (the eight of the seed)."""

    name = models.CharField(max_length=80, unique=True)
    nation = models.CharField(max_length=20, choices=Nation.choices)
    is_served = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        # An area's name is not personal data.
        return self.name


# The eight areas of the seed with their nations: the demo and migrations load these.
SERVICE_AREAS: tuple[tuple[str, Nation], ...] = (
    ("Belfast", Nation.NORTHERN_IRELAND),
    ("Cardiff", Nation.WALES),
    ("Glasgow", Nation.SCOTLAND),
    ("Grimsby", Nation.ENGLAND),
    ("Hull", Nation.ENGLAND),
    ("Peterborough", Nation.ENGLAND),
    ("Sheffield", Nation.ENGLAND),
    ("Southampton", Nation.ENGLAND),
)


class Role(models.TextChoices):
    PRACTITIONER = "practitioner", "Practitioner"
    CENTRE_MANAGER = "centre_manager", "Centre manager"
    NATIONAL_LEAD = "national_lead", "National lead"
    EVALUATOR = "evaluator", "Evaluator"
    ADMINISTRATOR = "administrator", "Administrator"
    REFERRER = "referrer", "Referrer"


AREA_ROLES = frozenset({Role.PRACTITIONER, Role.CENTRE_MANAGER})
STAFF_ROLES = frozenset(set(Role) - {Role.REFERRER})


class AgencyType(models.TextChoices):
    HEALTH_VISITOR = "health_visitor", "Health visiting"
    SCHOOL = "school", "School"
    EARLY_HELP = "early_help", "Local authority early help"
    OTHER = "other", "Other agency"


class IpipUserManager(UserManager["User"]):
    def create_user(  # type: ignore[override]  # email is the login, there is no username
        self, email: str, password: str | None = None, **extra: object
    ) -> "User":
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user


class User(AbstractUser):
    """A person who signs in: staff (by role and area) or a referrer at a partner agency."""

    username = None  # type: ignore[assignment]  # sign-in is by email address
    # In URLs instead of the sequential primary key (settings/users/<public_id>/).
    public_id = models.UUIDField(default=uuid4, unique=True, editable=False)
    email = models.EmailField(unique=True)
    role = models.CharField(max_length=20, choices=Role.choices)
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, related_name="staff"
    )
    agency_type = models.CharField(max_length=20, choices=AgencyType.choices, blank=True)
    agency_name = models.CharField(max_length=120, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["role"]
    objects = IpipUserManager()  # type: ignore[misc]  # email-based manager

    class Meta:
        constraints = [
            # One account per address, whatever its case (Ann@ and ann@ are one person).
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            models.CheckConstraint(
                name="user_area_roles_have_area",
                condition=~models.Q(role__in=["practitioner", "centre_manager"])
                | models.Q(area__isnull=False),
            ),
            models.CheckConstraint(
                name="user_referrer_has_agency_type",
                condition=~models.Q(role="referrer") | ~models.Q(agency_type=""),
            ),
        ]

    def __str__(self) -> str:
        # No names or email addresses in logs: the role and a number only.
        return f"User {self.pk} ({self.role})"

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.email

    @property
    def is_referrer(self) -> bool:
        return self.role == Role.REFERRER

    @property
    def is_practitioner(self) -> bool:
        return self.role == Role.PRACTITIONER

    @property
    def is_centre_manager(self) -> bool:
        return self.role == Role.CENTRE_MANAGER

    @property
    def is_national_lead(self) -> bool:
        return self.role == Role.NATIONAL_LEAD

    @property
    def is_evaluator(self) -> bool:
        return self.role == Role.EVALUATOR

    @property
    def is_administrator(self) -> bool:
        return self.role == Role.ADMINISTRATOR

    @property
    def manages_referrals(self) -> bool:
        """Managers screen, override and accept referrals: their area, or all for the lead."""
        return self.role in (Role.CENTRE_MANAGER, Role.NATIONAL_LEAD)

    @property
    def sees_identities(self) -> bool:
        """Whether this person may see names, dates of birth, addresses and contacts."""
        return self.role in (Role.PRACTITIONER, Role.CENTRE_MANAGER, Role.NATIONAL_LEAD)


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(BaseModel):
    """A bearer token for the API. Only its SHA-256 hash is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80)
    prefix = models.CharField(max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    @staticmethod
    def new_raw_token() -> str:
        return "ipip_" + secrets.token_urlsafe(32)

    @classmethod
    def find(cls, raw: str) -> "ApiToken | None":
        return (
            cls.objects.active()
            .select_related("user", "user__area")
            .filter(key_hash=_hash_token(raw))
            .first()
        )

    @staticmethod
    def hash(raw: str) -> str:
        return _hash_token(raw)
