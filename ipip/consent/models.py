"""Consent per purpose: each decision a carer makes, given or withdrawn, kept for good.

The current state is never stored: it is worked out from the records (see `rules.py`), so a
withdrawal is recorded rather than deleting anything, and the history stays as it happened.
"""

from typing import Any

from django.conf import settings
from django.db import models

from ipip.cases.models import Carer, Case
from ipip.core.errors import InvalidTransition
from ipip.core.models import BaseModel


class Purpose(models.TextChoices):
    SERVICE = "service", "Receiving the service"
    FILMING = "filming", "Being filmed"
    CLIP_RETENTION = "clip_retention", "Keeping clips and using them in supervision"
    RESEARCH = "research", "Research use of data"
    INFORMATION_SHARING = "information_sharing", "Sharing information with other agencies"


class ConsentDecision(models.TextChoices):
    GIVEN = "given", "Given"
    WITHDRAWN = "withdrawn", "Withdrawn"


class ConsentRecord(BaseModel):
    """One consent decision by a carer of the case's family. Never edited or deleted."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="consent_records")
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    decision = models.CharField(max_length=10, choices=ConsentDecision.choices)
    decided_on = models.DateField()
    given_by = models.ForeignKey(Carer, on_delete=models.PROTECT, related_name="consent_records")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["decided_on", "id"]
        indexes = [
            models.Index(fields=["case", "purpose", "decided_on"], name="consent_case_purpose_idx")
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise InvalidTransition("A consent record is never edited; record a new decision.")
        super().save(*args, **kwargs)
