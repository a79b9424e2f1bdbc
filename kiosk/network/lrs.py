"""Talking to a Learning Record Store over the xAPI 1.0.3 statements resource.

Every failure becomes an `LrsError` with a text staff can act on, in Dutch,
and a kind that tells the sender whether to wait and try again.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urljoin

import requests

from kiosk.network.credentials import Credentials
from kiosk.network.statements import XAPI_VERSION

TIMEOUT = (5, 30)
"""Seconds to connect, and to wait for an answer."""

RETRY_LATER = "retry"  # offline, slow, a server fault: the same batch is sent again later
REFUSED = "refused"  # the LRS will not take this batch as it is: send its statements one by one
BAD_LOGIN = "login"


class LrsError(Exception):
    def __init__(self, kind: str, text: str) -> None:
        super().__init__(text)
        self.kind = kind
        self.text = text


@dataclass(frozen=True)
class Lrs:
    url: str
    """The LRS's xAPI endpoint, e.g. http://lrs.example.org/xAPI/"""
    credentials: Credentials
    timeout: tuple[float, float] = TIMEOUT
    session: requests.Session = field(default_factory=requests.Session, repr=False, compare=False)
    """One connection for a round's batches: no new connection and session set-up for each."""

    @property
    def statements_url(self) -> str:
        return urljoin(self.url.rstrip("/") + "/", "statements")

    def _request(self, method: str, **kwargs) -> requests.Response:
        headers = {"X-Experience-API-Version": XAPI_VERSION, "Content-Type": "application/json"}
        try:
            response = self.session.request(
                method,
                self.statements_url,
                headers=headers,
                auth=(self.credentials.username, self.credentials.password),
                timeout=self.timeout,
                **kwargs,
            )
        except requests.Timeout:
            raise LrsError(
                RETRY_LATER,
                "Het LRS antwoordt niet op tijd. De kiosk probeert het later opnieuw; "
                "er gaat niets verloren.",
            ) from None
        except requests.RequestException:
            raise LrsError(
                RETRY_LATER, f"Het LRS is niet bereikbaar ({self.url}): geen verbinding."
            ) from None
        _check(response)
        return response

    def post(self, statements: list[str]) -> None:
        """Store a batch of statements (JSON texts). 200 (stored) and 204 (had them) are fine."""
        self._request("POST", data="[" + ",".join(statements) + "]")

    def put(self, statement_id: str, statement: str) -> None:
        """Store one statement under its id (204); one the LRS already has is fine too."""
        try:
            self._request("PUT", params={"statementId": statement_id}, data=statement)
        except LrsError as error:
            if "409" not in error.text:
                raise

    def read(self, **params: str) -> Iterator[dict]:
        """Every statement matching the query, following the LRS's `more` links."""
        url: str | None = self.statements_url
        query: dict | None = {"limit": "500", **params}
        while url:
            try:
                response = self.session.get(
                    url,
                    params=query,
                    headers={"X-Experience-API-Version": XAPI_VERSION},
                    auth=(self.credentials.username, self.credentials.password),
                    timeout=self.timeout,
                )
            except requests.RequestException:
                raise LrsError(
                    RETRY_LATER, f"Het LRS is niet bereikbaar ({self.url}): geen verbinding."
                ) from None
            _check(response)
            try:
                page = response.json()
            except json.JSONDecodeError:
                raise LrsError(REFUSED, "Het LRS gaf een antwoord dat geen xAPI is.") from None
            yield from page.get("statements", [])
            more = page.get("more")
            url = urljoin(self.url, more) if more else None
            query = None


def _check(response: requests.Response) -> None:
    code = response.status_code
    if code < 300:
        return
    if code in (401, 403):
        raise LrsError(
            BAD_LOGIN,
            f"Het LRS weigert de inloggegevens (foutcode {code}). Controleer de gebruikersnaam "
            "en het wachtwoord: oefenkiosk xapi credentials",
        )
    if code == 429 or code >= 500:
        raise LrsError(
            RETRY_LATER,
            f"Het LRS heeft een storing (foutcode {code}). De kiosk probeert het later opnieuw; "
            "er gaat niets verloren.",
        )
    raise LrsError(REFUSED, f"Het LRS weigert de gegevens (foutcode {code}): {_detail(response)}")


def _detail(response: requests.Response) -> str:
    try:
        detail = response.json().get("detail", "")
    except (ValueError, AttributeError):
        detail = response.text
    return str(detail)[:200]
