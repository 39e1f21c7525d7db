"""A small JSON client for the CRMs' REST APIs, on the standard library."""

import json
import logging
import urllib.error
import urllib.request
from decimal import Decimal

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10


class CrmApiError(Exception):
    """A CRM API call that failed: unreachable, refused or not JSON."""


class JsonClient:
    """Send JSON requests to ``base_url`` with fixed headers, such as a token."""

    def __init__(self, base_url: str, headers: dict[str, str]) -> None:
        if not base_url.startswith(("https://", "http://")):
            raise CrmApiError(
                f"Invalid CRM API URL {base_url!r}: set an http or https URL in "
                "the settings."
            )
        self.base_url = base_url.rstrip("/")
        self.headers = headers

    def get(self, path: str) -> dict:
        # The base URL is checked to be http or https in __init__.
        return self._send(urllib.request.Request(self.base_url + path))  # noqa: S310

    def post(self, path: str, data: dict) -> dict:
        request = urllib.request.Request(  # noqa: S310
            self.base_url + path,
            data=json.dumps(data).encode("utf-8"),
            method="POST",
            headers={"Content-Type": "application/json"},
        )
        return self._send(request)

    def _send(self, request: urllib.request.Request) -> dict:
        for name, value in self.headers.items():
            request.add_header(name, value)
        request.add_header("Accept", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
                return json.loads(response.read(), parse_float=Decimal)
        except urllib.error.HTTPError as error:
            raise CrmApiError(
                f"{request.get_method()} {request.full_url} failed with HTTP "
                f"{error.code}."
            ) from error
        except (urllib.error.URLError, TimeoutError, ValueError) as error:
            raise CrmApiError(
                f"{request.get_method()} {request.full_url} failed: {error}"
            ) from error
