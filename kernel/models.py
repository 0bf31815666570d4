"""Abstract building blocks shared by the apps' models."""

from __future__ import annotations

from django.db import models

from kernel import crypto
from kernel.errors import InvalidInput
from kernel.tokens import access_token_problem


class TimestampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class EncryptedAccessTokenModel(models.Model):
    """Keeps an access token only as ciphertext.

    The plaintext is never an attribute of the model, so forms, admin pages, serializers and
    `repr()` cannot show it by accident; it exists only for the duration of `get_access_token()`.
    """

    access_token_encrypted = models.TextField(blank=True, default="", editable=False)

    class Meta:
        abstract = True

    def set_access_token(self, token: str) -> None:
        problem = access_token_problem(token)
        if problem:  # every path that saves a token comes here, whatever checked it before
            raise InvalidInput(problem, errors={"access_token": [problem]})
        self.access_token_encrypted = crypto.encrypt(token) if token else ""

    def get_access_token(self) -> str:
        return crypto.decrypt(self.access_token_encrypted) if self.access_token_encrypted else ""

    @property
    def has_access_token(self) -> bool:
        return bool(self.access_token_encrypted)
