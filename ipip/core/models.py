"""The base model every domain model inherits."""

from uuid import uuid4

from django.conf import settings
from django.db import models


class BaseModel(models.Model):
    """Who and when for every row; a random public id for URLs.

    Sequential primary keys never appear in links: pages and the API use `public_id`.
    """

    public_id = models.UUIDField(default=uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def short_id(self) -> str:
        return str(self.public_id)[:8]

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.short_id}"
