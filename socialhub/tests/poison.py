"""Rows as old, unvalidated input left them: a datetime the database holds but Python cannot read."""

from __future__ import annotations

from django.db import connection


def store_unreadable_datetime(model, pk: int, column: str) -> None:
    """PostgreSQL stores year 10000 (psycopg cannot load it); SQLite stores text Django cannot parse."""
    value = "10000-01-01 11:59:59+00" if connection.vendor == "postgresql" else "2027-02-30 10:00:00"
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {model._meta.db_table} SET {column} = %s WHERE id = %s", [value, pk])  # noqa: S608


def unreadable_error_class() -> str:
    """The exception class reading such a value raises: psycopg's DataError or Django's ValueError."""
    return "DataError" if connection.vendor == "postgresql" else "ValueError"
