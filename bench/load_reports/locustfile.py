"""Locust scenario: each simulated liaison logs in; once all have logged in, each (at a random moment within
BENCH_WITHIN seconds: all in the same minute by default, 0 for all at once) opens its reports due, saves a draft
with one photo and submits it. Every user does this once, and the run ends when all are done.

Environment: BENCH_USERS (how many users to wait for, default 300), BENCH_RESULT (a JSON file for the
outcome: 5xx count, submissions confirmed, failures), BENCH_BARRIER_TIMEOUT (seconds, default 240).
"""

import itertools
import json
import os
import random
import re
import time

import gevent
from gevent.event import Event
from locust import HttpUser, constant, events, task
from locust.exception import StopUser

PASSWORD = "bench-pw-2026"
TARGET = int(os.environ.get("BENCH_USERS", "300"))
BARRIER_TIMEOUT = float(os.environ.get("BENCH_BARRIER_TIMEOUT", "240"))
WITHIN = float(os.environ.get("BENCH_WITHIN", "60"))  # submissions spread evenly over this many seconds
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
DUE_LINK = re.compile(r'href="(/reports/task/\d+/\d{4}-\d{2}-\d{2}/)"')
DETAIL = re.compile(r"/reports/(\d+)/$")
# the smallest valid JPEG (1×1, grey), as a phone would send a photo
JPEG = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d0c0b0b0c1912130f141d1a"
    "1f1e1d1a1c1c20242e2720222c231c1c2837292c30313434341f27393d38323c2e333432ffc0000b080001000101011100ffc4001f"
    "0000010501010101010100000000000000000102030405060708090a0bffc400b5100002010303020403050504040000017d010203"
    "00041105122131410613516107227114328191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738"
    "393a434445464748494a535455565758595a636465666768696a737475767778797a838485868788898a92939495969798999aa2"
    "a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7"
    "f8f9faffda0008010100003f00fbd3ffd9"
)

numbers = itertools.count(1)
all_in = Event()
state = {
    "logged_in": 0,
    "done": 0,
    "submitted": 0,
    "failed": 0,
    "5xx": 0,
    "first_submit": None,
    "last_submit": None,
}


@events.request.add_listener
def count_5xx(response=None, **_kw):
    if response is not None and getattr(response, "status_code", 0) >= 500:
        state["5xx"] += 1


@events.quitting.add_listener
def write_result(environment, **_kw):
    path = os.environ.get("BENCH_RESULT")
    if path:
        with open(path, "w") as f:
            json.dump(state, f)


def _finish(environment) -> None:
    state["done"] += 1
    if state["done"] >= TARGET:
        gevent.spawn_later(1, environment.runner.quit)


class Liaison(HttpUser):
    wait_time = constant(0)

    def on_start(self) -> None:
        self.username = f"bench{next(numbers):03d}"
        self.ok = self.log_in()
        state["logged_in"] += 1
        if state["logged_in"] >= TARGET:
            state["all_in_at"] = time.time()
            all_in.set()

    def log_in(self) -> bool:
        page = self.client.get("/login/", name="login page")
        token = CSRF.search(page.text)
        if not token:
            return False
        with self.client.post(
            "/login/",
            data={"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)},
            allow_redirects=False,
            name="log in",
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login refused ({response.status_code})")
                return False
        return True

    def form(self, url: str, name: str) -> tuple[str, str] | None:
        with self.client.get(url, name=name, catch_response=True) as response:
            token, version = CSRF.search(response.text), VERSION.search(response.text)
            if response.status_code != 200 or not token:
                response.failure(f"no form ({response.status_code})")
                return None
            return token.group(1), version.group(1) if version else "1"

    @task
    def file_report(self) -> None:
        try:
            if self.ok:
                all_in.wait(BARRIER_TIMEOUT)
                gevent.sleep(random.uniform(0, WITHIN))
                if self.submit():
                    state["submitted"] += 1
                else:
                    state["failed"] += 1
            else:
                state["failed"] += 1
        finally:
            _finish(self.environment)
        raise StopUser()

    def submit(self) -> bool:
        with self.client.get("/reports/mine/", name="my reports due", catch_response=True) as response:
            link = DUE_LINK.search(response.text)
            if response.status_code != 200 or not link:
                response.failure("no report due")
                return False
        got = self.form(link.group(1), "report form")
        if got is None:
            return False
        token, version = got
        fields = {
            "csrfmiddlewaretoken": token,
            "version": version,
            "progress": "45",
            "done": f"{self.username}：完成主体结构施工，累计完成投资1.2亿元",
            "next_steps": "推进设备安装",
            "save": "1",
        }
        with self.client.post(
            link.group(1),
            data=fields,
            files={"photos": ("现场.jpg", JPEG, "image/jpeg")},
            allow_redirects=False,
            name="save draft + photo",
            catch_response=True,
        ) as response:
            edit = response.headers.get("Location", "")
            if response.status_code != 302 or not edit.endswith("/edit/"):
                response.failure(f"draft not saved ({response.status_code})")
                return False
        got = self.form(edit, "edit form")
        if got is None:
            return False
        token, version = got
        fields.update(csrfmiddlewaretoken=token, version=version)
        fields.pop("save")
        fields["submit"] = "1"
        with self.client.post(
            edit, data=fields, allow_redirects=False, name="submit", catch_response=True
        ) as response:
            if response.status_code != 302 or not DETAIL.search(response.headers.get("Location", "")):
                response.failure(f"not submitted ({response.status_code})")
                return False
        now = time.time()
        state["first_submit"] = state["first_submit"] or now
        state["last_submit"] = now
        return True
