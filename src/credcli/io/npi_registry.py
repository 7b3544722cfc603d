"""The NPI Registry API v2.1 (npiregistry.cms.hhs.gov), asked about one NPI at a time.

The answer is reduced to the shape of an NPPES record so online and offline
checks compare the same way. ``number`` has been seen as an integer and as text.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from credcli.errors import EnvironmentProblem

API = "https://npiregistry.cms.hhs.gov/api/?version=2.1&number={npi}"
TIMEOUT_S = 10.0


def fetch_json(url: str, timeout: float) -> Any:
    """GET ``url`` and decode its JSON; network failures become EnvironmentProblem."""
    request = urllib.request.Request(url, headers={"User-Agent": "credcli"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read().decode("utf-8"))
    except TimeoutError:
        raise EnvironmentProblem(
            f"the NPI Registry did not answer within {timeout:g} s; try again later or "
            "check without --online against a loaded NPPES file"
        ) from None
    except urllib.error.HTTPError as exc:
        raise EnvironmentProblem(f"the NPI Registry answered HTTP {exc.code}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise EnvironmentProblem(
            f"cannot reach the NPI Registry ({reason}); no network? check without --online "
            "against a loaded NPPES file"
        ) from None
    except ValueError:
        raise EnvironmentProblem(
            "the NPI Registry answered with something that is not JSON"
        ) from None


def lookup(npi: str, timeout: float = TIMEOUT_S) -> dict[str, Any] | None:
    """The registry's record for ``npi`` as an NPPES-shaped dict, or None when unknown."""
    answer = fetch_json(API.format(npi=npi), timeout)
    if not isinstance(answer, dict):
        raise EnvironmentProblem("the NPI Registry answered in an unexpected shape")
    if answer.get("Errors"):
        messages = "; ".join(
            str(e.get("description", e)) if isinstance(e, dict) else str(e)
            for e in answer["Errors"]
        )
        raise EnvironmentProblem(f"the NPI Registry refused the query for {npi}: {messages}")
    for result in answer.get("results") or []:
        if str(result.get("number", "")).strip() == npi:
            return _as_record(npi, result)
    return None


def _as_record(npi: str, result: dict[str, Any]) -> dict[str, Any]:
    basic = result.get("basic") or {}
    status = str(basic.get("status") or "A").upper()
    return {
        "npi": npi,
        "entity_type": "2" if result.get("enumeration_type") == "NPI-2" else "1",
        "last_name": basic.get("last_name"),
        "first_name": basic.get("first_name"),
        "middle_name": basic.get("middle_name"),
        "organization": basic.get("organization_name"),
        "credential": basic.get("credential"),
        "active": status == "A",
        "deactivated_on": basic.get("deactivation_date"),
        "taxonomies": [
            {
                "code": t.get("code"),
                "license": t.get("license") or None,
                "state": t.get("state") or None,
                "primary": bool(t.get("primary")),
            }
            for t in result.get("taxonomies") or []
        ],
    }
