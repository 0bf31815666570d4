"""Admin and error pages name models in plain English: no "deliverys"."""

from __future__ import annotations

import re

from django.apps import apps


def test_every_plural_name_is_spelled_right():
    wrong = []
    for model in apps.get_models():
        singular, plural = str(model._meta.verbose_name), str(model._meta.verbose_name_plural)
        if re.search(r"[^aeiou]y$", singular) and not plural.endswith("ies"):
            wrong.append(f"{model._meta.label}: {plural}")
        if re.search(r"(s|x|ch|sh)$", singular) and plural == singular + "s":
            wrong.append(f"{model._meta.label}: {plural}")
    assert wrong == []


def test_the_admin_index_shows_them(admin_client):
    html = admin_client.get("/admin/").content.decode()
    assert "Callback deliveries" in html and "deliverys" not in html.lower()
