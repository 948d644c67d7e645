"""An optional second opinion from a language model, held to the rules' floor.

Off unless TRIAGE_MODEL_URL is set and the tenant turned it on (`triage tenants model-opinion`). The model,
behind any OpenAI-compatible `/chat/completions` endpoint, sees the structured intake and the rules' answer —
never the patient id, and the free text (symptoms, notes) only under `on_with_free_text`. Its answer is
schema-checked and can only **raise** urgency: the acuity is the more urgent of the two, and so is the
disposition. A timeout, an error or an invalid answer leaves the rules' outcome as it was, and the reason is
recorded in the assessment (`model_opinion`). Each call is audited by the caller with the model's name and a
SHA-256 of the prompt. An outcome the model raised asks for clinician review.
"""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass, replace
from typing import Any, Literal, get_args

import httpx
import orjson

from runtime.settings import Settings
from tasks.engine_process import EngineResult
from triage.models import Disposition

OpinionStatus = Literal["raised", "agreed", "not_more_urgent", "timeout", "error", "invalid"]
ModelMode = Literal["off", "on", "on_with_free_text"]
# Most urgent first: a lower index is more urgent.
DISPOSITIONS: tuple[Disposition, ...] = get_args(Disposition)
_STRUCTURED = ("age", "age_months", "sex", "urgency", "pregnant", "vitals", "findings", "complaints")
_FREE_TEXT = ("symptoms", "notes")
INSTRUCTIONS = (
    "You are a triage second reader. Given an intake and the answer of published triage rules (ESI v4, NEWS2), "
    "say whether the patient needs a MORE urgent level. Answer only a JSON object: "
    '{"acuity": <ESI 1-5, 1 most urgent>, "disposition": <one of ' + ", ".join(DISPOSITIONS) + ">, "
    '"rationale": <one sentence>}. Never answer less urgent than the rules.'
)


@dataclass(frozen=True, slots=True)
class Opinion:
    status: OpinionStatus
    model: str
    prompt_sha256: str
    acuity: int | None = None
    disposition: str | None = None

    def record(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "model": self.model,
            "prompt_sha256": self.prompt_sha256,
            "acuity": self.acuity,
            "disposition": self.disposition,
        }


def request_body(settings: Settings, payload: dict[str, Any], mode: ModelMode, result: EngineResult) -> bytes:
    allowed = _STRUCTURED + (_FREE_TEXT if mode == "on_with_free_text" else ())
    intake = {key: payload[key] for key in allowed if key in payload}
    rules = {"acuity": result.acuity, "disposition": result.disposition}
    message = orjson.dumps({"intake": intake, "rules": rules}, option=orjson.OPT_SORT_KEYS).decode()
    return orjson.dumps(
        {
            "model": settings.model_name,
            "temperature": 0,
            "response_format": {"type": "json_object"},
            "messages": [{"role": "system", "content": INSTRUCTIONS}, {"role": "user", "content": message}],
        }
    )


async def second_opinion(
    settings: Settings, payload: dict[str, Any], mode: ModelMode, result: EngineResult
) -> tuple[EngineResult, Opinion | None]:
    """The result, raised if the model says so (never lowered), and what happened; (result, None) when off."""
    if mode == "off" or not settings.model_url:
        return result, None
    body = request_body(settings, payload, mode, result)
    digest = hashlib.sha256(body).hexdigest()
    try:
        async with asyncio.timeout(settings.model_timeout_seconds):
            answer = await _ask(settings, body)
    except TimeoutError:
        return result, Opinion("timeout", settings.model_name, digest)
    except (httpx.HTTPError, ValueError):
        return result, Opinion("error", settings.model_name, digest)
    parsed = _parse(answer)
    if parsed is None:
        return result, Opinion("invalid", settings.model_name, digest)
    acuity, disposition = parsed
    final_acuity = min(acuity, result.acuity)
    final_disposition = DISPOSITIONS[min(DISPOSITIONS.index(disposition), DISPOSITIONS.index(result.disposition))]
    raised = (final_acuity, final_disposition) != (result.acuity, result.disposition)
    status: OpinionStatus = (
        "raised"
        if raised
        else "agreed"
        if (acuity, disposition) == (result.acuity, result.disposition)
        else "not_more_urgent"
    )
    opinion = Opinion(status, settings.model_name, digest, acuity, disposition)
    if not raised:
        return result, opinion
    assessment = dict(result.assessment)
    assessment["acuity"], assessment["disposition"] = final_acuity, final_disposition
    assessment["rationale"] = [
        *assessment.get("rationale", []),
        f"[MODEL] {settings.model_name} raised ESI {result.acuity}/{result.disposition} to "
        f"ESI {final_acuity}/{final_disposition}; the rules' answer was the floor",
    ]
    assessment["review_required"] = True
    assessment["review_reasons"] = [
        *assessment.get("review_reasons", []),
        "model_raised: a model raised the rules' answer",
    ]
    return replace(result, acuity=final_acuity, disposition=final_disposition, assessment=assessment), opinion


async def _ask(settings: Settings, body: bytes) -> Any:
    headers = {"Content-Type": "application/json"}
    if settings.model_api_key is not None:
        headers["Authorization"] = f"Bearer {settings.model_api_key.get_secret_value()}"
    assert settings.model_url is not None
    async with httpx.AsyncClient(timeout=settings.model_timeout_seconds) as http:
        response = await http.post(settings.model_url.rstrip("/") + "/chat/completions", content=body, headers=headers)
    response.raise_for_status()
    return response.json()


def _parse(answer: Any) -> tuple[int, Disposition] | None:
    """The model's (acuity, disposition), or None when the answer does not follow the schema."""
    try:
        content = orjson.loads(answer["choices"][0]["message"]["content"])
        acuity, disposition = content["acuity"], content["disposition"]
    except (KeyError, IndexError, TypeError, orjson.JSONDecodeError):
        return None
    if type(acuity) is not int or not 1 <= acuity <= 5 or disposition not in DISPOSITIONS:
        return None
    if not isinstance(content.get("rationale", ""), str):
        return None
    return acuity, disposition
