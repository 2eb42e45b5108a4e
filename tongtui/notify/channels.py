"""The ways out beyond the in-app list: e-mail through Django's backends, and the group robots of 企业微信,
钉钉 and 飞书 in their documented webhook formats.

The builders (`*_payload`, `*_sign`) are pure; `post` sends one JSON request with the standard library. Each
platform answers HTTP 200 with an error code in the body, so success means code 0 there too.
"""

import base64
import hashlib
import hmac
import json
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage

TIMEOUT = 10  # seconds; a robot that does not answer is retried later
WECOM_MAX_BYTES = 4096  # markdown content limit of a WeCom group robot


class SendError(Exception):
    """The channel refused or could not be reached; the delivery is retried with back-off."""


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    link: str  # absolute address, or ""


def absolute(url: str) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    return getattr(settings, "SITE_URL", "").rstrip("/") + url


def _clip(text: str, limit: int) -> str:
    data = text.encode()
    if len(data) <= limit:
        return text
    return data[: limit - 3].decode(errors="ignore") + "…"


def markdown(message: Message) -> str:
    parts = [f"**{message.title}**"]
    if message.body:
        parts.append(message.body)
    if message.link:
        parts.append(f"[{message.link}]({message.link})")
    return "\n\n".join(parts)


def plain(message: Message) -> str:
    return "\n".join(p for p in (message.title, message.body, message.link) if p)


def wecom_payload(message: Message) -> dict:
    """企业微信 group robot: markdown, at most 4096 bytes; no signature (the key in the address is the secret)."""
    return {"msgtype": "markdown", "markdown": {"content": _clip(markdown(message), WECOM_MAX_BYTES)}}


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """钉钉 加签: HMAC-SHA256 keyed by the secret over "timestamp\\nsecret", base64, then url-encoded."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest).decode())


def dingtalk_url(webhook: str, secret: str, timestamp_ms: int) -> str:
    if not secret:
        return webhook
    joiner = "&" if "?" in webhook else "?"
    return f"{webhook}{joiner}timestamp={timestamp_ms}&sign={dingtalk_sign(secret, timestamp_ms)}"


def dingtalk_payload(message: Message) -> dict:
    return {"msgtype": "markdown", "markdown": {"title": message.title, "text": markdown(message)}}


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """飞书 签名校验: HMAC-SHA256 keyed by "timestamp\\nsecret" over an empty message, base64."""
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def feishu_payload(message: Message, secret: str, timestamp_s: int) -> dict:
    payload: dict = {"msg_type": "text", "content": {"text": plain(message)}}
    if secret:
        payload = {"timestamp": str(timestamp_s), "sign": feishu_sign(secret, timestamp_s), **payload}
    return payload


def post(url: str, payload: dict) -> dict:
    request = urllib.request.Request(
        url,
        data=json.dumps(payload, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 (the office's address)
            raw = response.read()
    except OSError as exc:  # URLError, HTTPError, timeouts
        raise SendError(str(exc)) from exc
    try:
        answer = json.loads(raw or b"{}")
    except ValueError as exc:
        raise SendError(f"not JSON: {raw[:200]!r}") from exc
    return answer if isinstance(answer, dict) else {}


def _check(answer: dict, *codes: str) -> None:
    for name in codes:
        if name in answer and answer[name] not in (0, "0"):
            message = answer.get("errmsg") or answer.get("msg") or answer.get("StatusMessage") or ""
            raise SendError(f"{name} {answer[name]}: {message}")


def send_robot(platform: str, webhook: str, secret: str, message: Message, now: float | None = None) -> None:
    now = time.time() if now is None else now
    if platform == "wecom":
        _check(post(webhook, wecom_payload(message)), "errcode")
    elif platform == "dingtalk":
        _check(post(dingtalk_url(webhook, secret, int(now * 1000)), dingtalk_payload(message)), "errcode")
    elif platform == "feishu":
        _check(post(webhook, feishu_payload(message, secret, int(now))), "code", "StatusCode")
    else:
        raise SendError(f"unknown platform {platform!r}")


def send_email(address: str, message: Message) -> None:
    text = "\n\n".join(p for p in (message.body, message.link) if p) or message.title
    EmailMessage(message.title[:200], text, None, [address]).send(fail_silently=False)
