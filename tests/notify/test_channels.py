"""Group robots against a local HTTP server that records each request and checks its signature as the platform
would; the pure builders and back-off without a server."""

import base64
import datetime
import hashlib
import hmac
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from tongtui.notify import channels
from tongtui.notify.channels import Message, SendError
from tongtui.notify.delivery import backoff

SECRET = "SEC0123456789abcdef"
MSG = Message("报告被退回", "请补充佐证材料", "http://127.0.0.1:8000/reports/1/")


class Recorder:
    def __init__(self, answer: dict | None = None, status: int = 200) -> None:
        self.requests: list[dict] = []
        self.answer = answer or {"errcode": 0, "errmsg": "ok"}
        self.status = status
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                size = int(self.headers["Content-Length"])
                recorder.requests.append(
                    {
                        "path": self.path,
                        "body": json.loads(self.rfile.read(size)),
                        "type": self.headers["Content-Type"],
                    }
                )
                data = json.dumps(recorder.answer).encode()
                self.send_response(recorder.status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def server():
    made: list[Recorder] = []

    def start(**kw: object) -> Recorder:
        made.append(Recorder(**kw))  # type: ignore[arg-type]
        return made[-1]

    yield start
    for r in made:
        r.close()


def dingtalk_accepts(path: str, secret: str) -> bool:
    """What DingTalk checks: timestamp within an hour, sign = base64(HMAC-SHA256(secret, "ts\\nsecret"))."""
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)
    ts, sign = query["timestamp"][0], query["sign"][0]
    expected = base64.b64encode(
        hmac.new(secret.encode(), f"{ts}\n{secret}".encode(), hashlib.sha256).digest()
    )
    return sign == expected.decode() and query["access_token"] == ["tok"]


def feishu_accepts(body: dict, secret: str) -> bool:
    """What Feishu checks: sign = base64(HMAC-SHA256 keyed by "ts\\nsecret" over nothing)."""
    ts = body["timestamp"]
    expected = base64.b64encode(hmac.new(f"{ts}\n{secret}".encode(), b"", hashlib.sha256).digest()).decode()
    return body["sign"] == expected


def test_a_wecom_robot_gets_markdown_with_the_title_body_and_link(server):
    s = server()
    channels.send_robot("wecom", s.url + "/cgi-bin/webhook/send?key=abc", "", MSG)
    [req] = s.requests
    assert req["path"] == "/cgi-bin/webhook/send?key=abc" and req["type"].startswith("application/json")
    assert req["body"]["msgtype"] == "markdown"
    content = req["body"]["markdown"]["content"]
    assert "**报告被退回**" in content and "请补充佐证材料" in content and MSG.link in content


def test_a_dingtalk_robot_gets_a_signature_it_accepts(server):
    s = server()
    channels.send_robot("dingtalk", s.url + "/robot/send?access_token=tok", SECRET, MSG, now=1_700_000_000.5)
    [req] = s.requests
    assert dingtalk_accepts(req["path"], SECRET)
    assert "timestamp=1700000000500" in req["path"]
    assert req["body"]["msgtype"] == "markdown" and req["body"]["markdown"]["title"] == MSG.title


def test_a_dingtalk_signature_made_with_another_secret_is_refused(server):
    s = server()
    channels.send_robot("dingtalk", s.url + "/robot/send?access_token=tok", "SECwrong", MSG)
    assert not dingtalk_accepts(s.requests[0]["path"], SECRET)


def test_a_feishu_robot_gets_timestamp_and_sign_in_the_body(server):
    s = server(answer={"code": 0, "msg": "success"})
    channels.send_robot("feishu", s.url + "/open-apis/bot/v2/hook/x", SECRET, MSG, now=1_700_000_000)
    [req] = s.requests
    body = req["body"]
    assert body["timestamp"] == "1700000000" and feishu_accepts(body, SECRET)
    assert body["msg_type"] == "text" and body["content"]["text"].startswith("报告被退回\n")


def test_a_feishu_robot_without_a_secret_sends_no_signature(server):
    s = server(answer={"code": 0, "msg": "success"})
    channels.send_robot("feishu", s.url + "/hook", "", MSG)
    assert "sign" not in s.requests[0]["body"]


@pytest.mark.parametrize(
    ("platform", "answer"),
    [("dingtalk", {"errcode": 310000, "errmsg": "sign not match"}), ("feishu", {"code": 19021, "msg": "sign match fail"}),
     ("wecom", {"errcode": 93000, "errmsg": "invalid webhook url"})],
)  # fmt: skip
def test_a_refusal_in_the_answer_is_an_error(server, platform, answer):
    s = server(answer=answer)
    with pytest.raises(SendError, match=str(list(answer.values())[0])):
        channels.send_robot(platform, s.url + "/x?access_token=tok", SECRET, MSG)


def test_an_http_error_is_an_error(server):
    s = server(status=500)
    with pytest.raises(SendError):
        channels.send_robot("wecom", s.url + "/x", "", MSG)


def test_an_unreachable_robot_is_an_error():
    with pytest.raises(SendError):
        channels.send_robot("wecom", "http://127.0.0.1:9/x", "", MSG)


def test_wecom_markdown_is_clipped_to_its_limit():
    long = Message("t", "长" * 3000, "")
    content = channels.wecom_payload(long)["markdown"]["content"]
    assert len(content.encode()) <= channels.WECOM_MAX_BYTES and content.endswith("…")


def test_back_off_doubles_and_stops_at_six_hours():
    waits = [backoff(n).total_seconds() for n in (1, 2, 3, 4, 20)]
    assert waits == [60, 120, 240, 480, 6 * 3600]
    assert backoff(0) == datetime.timedelta(minutes=1)
