"""An API client over real HTTP against pytest-django's `live_server`, as an integrator would call it."""

from __future__ import annotations

import requests
from rest_framework_simplejwt.tokens import RefreshToken


class LiveApi:
    """`requests` against `<live_server>/api/v1`, authenticated as one user with a real JWT."""

    def __init__(self, base_url: str, user=None):
        self.base = f"{base_url}/api/v1"
        self.session = requests.Session()
        if user is not None:
            self.session.headers["Authorization"] = f"Bearer {RefreshToken.for_user(user).access_token}"

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        return self.session.request(method, self.base + path, timeout=15, **kwargs)

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, json=None, **kwargs) -> requests.Response:
        return self.request("POST", path, json=json, **kwargs)

    def put(self, path: str, json=None, **kwargs) -> requests.Response:
        return self.request("PUT", path, json=json, **kwargs)

    def patch(self, path: str, json=None, **kwargs) -> requests.Response:
        return self.request("PATCH", path, json=json, **kwargs)
