"""Benchmark: Redmine itself (Debian's package, SQLite, puma 2 workers × 4 threads) on this machine, with issue
13's workloads on the data shape of bench/redmine_shape.py, so that Tongtui and Redmine can be run back to back.

    .venv/bin/python bench/redmine_app.py                       # build the database, then measure
    .venv/bin/python bench/redmine_app.py --duration 10 --seed 13
    .venv/bin/python bench/redmine_app.py --no-build            # measure again on a copy of the database built
    .venv/bin/python bench/redmine_app.py --no-build --no-notifications   # notes without notification mails

Needs Debian's Redmine (`apt-get install redmine-sqlite redmine puma`: /usr/share/redmine) and wrk. Only the
standard library: Redmine is driven through `rake` and `rails runner`, its database read with sqlite3.

1. builds, from --seed, a fresh SQLite database of its own (bench/out/redmine_app/built.sqlite3; Debian's
   default instance is left alone: Redmine is pointed at the file with DATABASE_URL, which Rails merges over
   the instance's database.yml): `rake db:migrate`, `rake redmine:load_default_data` (REDMINE_LANG=en), then a Ruby
   script under `rails runner` (written to a temporary file) makes one private project, 50 groups standing for
   the units, each with a liaison and a head who are members through the group (role Developer: view, add and
   edit issues, add notes), the office (an administrator) and everyone's API key, and bulk-inserts
   (`insert_all`) 2,000 issues — each assigned to its unit's group, due over the year (the same due dates and
   status mix as bench/redmine_shape.py's tasks for the same seed; a tenth closed) — and ten notes per issue
   (20,000 journals). Settings: REST API on, issues assignable to groups, 100 issues per page allowed;
2. copies the built database to bench/out/redmine_app/production.sqlite3 (each run starts from the same data:
   filing adds journals) and starts puma from /usr/share/redmine (production, 2 workers × 4 threads, 127.0.0.1
   and a free port, its log in bench/out/redmine_app/puma.log; SQLite busy timeout --busy-timeout ms, Rails'
   usual 5000: Debian's database.yml sets none, and without one concurrent notes fail at once with "database
   is locked"). A new note is notified as Redmine does by default: three mails (the office as the author, the
   group's two members) rendered by Active Job's async adapter inside the workers and not delivered (no
   configuration.yml); --no-notifications empties Setting.notified_events instead;
3. checks each workload's answer once (status, row counts), then runs wrk for --duration seconds at 1 and at 8
   connections per workload (after 2 s of warm-up for the reads, and each cell after puma is idle again);
   wrk's Lua scripts count the non-2xx answers and, for filing, play a different open issue per request as
   that issue's group's liaison, cycling. Server CPU per request is puma's master and workers' CPU time (from
   /proc) during the cell ÷ requests; filing's journals are counted before and after each cell;
4. stops puma (also on error), writes bench/out/redmine-app.json (redmine-app-no-mail.json with
   --no-notifications; a hyphen: bench/redmine_shape.py's own results are bench/out/redmine_*.json, and its
   --write-doc sets these beside them) and prints a table beside issue 13's Redmine figures (another machine).

Requests (reads as the office, with its API key or, for the page, a session from logging in at /login):
A  GET /issues.json?project_id=P&assigned_to_id=<group of unit 0>&status_id=open&due_date=><TODAY|TODAY+30
       &sort=due_date&limit=100
B  GET /issues.json?project_id=P&status_id=open&due_date=<=YESTERDAY&sort=due_date&limit=100   (overdue)
C  GET /issues/ID.json?include=journals                   (an issue with its 10 notes)
P  GET /issues?project_id=P&set_filter=1&f[]=status_id&op[status_id]=o&f[]=assigned_to_id…&f[]=due_date
       &op[due_date]=><…&sort=due_date&per_page=100        (A as the HTML page, session cookie)
F  PUT /issues/ID.json {"issue": {"notes": …}}            (a progress note, as the group's liaison)
"""

import argparse
import datetime
import http.cookiejar
import json
import os
import platform
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import closing
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _serve import cpu_model, free_port, server_cpu  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
WORK = OUT / "redmine_app"
BUILT = WORK / "built.sqlite3"
DB = WORK / "production.sqlite3"
LOG = WORK / "puma.log"
# not redmine_*.json (bench/redmine_shape.py's own results); its --write-doc puts these beside them
RESULT = OUT / "redmine-app.json"
RESULT_NO_MAIL = OUT / "redmine-app-no-mail.json"  # with --no-notifications
REDMINE = Path("/usr/share/redmine")
PUMA = "/usr/bin/puma"
WRK = "/usr/bin/wrk"
UNITS, ISSUES, NOTES_PER_ISSUE = 50, 2000, 10
PASSWORD = "bench-pw-2026"
PROJECT = "keywork"
# bench/redmine_shape.py's status mix (7 in progress, 1 acknowledged, 1 assigned, 1 closed in 10) in Redmine's
# default statuses
STATUSES = ["In Progress"] * 7 + ["Feedback", "New", "Closed"]
NOTE = "本月完成主体结构施工，累计完成投资1.2亿元。"
# Redmine 5.0.4 at 1 client as issue 13 measured it, on another, faster machine (bench/redmine_shape.py)
ISSUE_13 = {"A": "78 ms", "B": "263 ms", "C": "25 ms", "P": "81 ms", "F": "29.4 notes/s"}
NAMES = {
    "A": "A: one unit's open issues due within 30 days, sorted, page 100",
    "B": "B: overdue issues across all units, page 100",
    "C": "C: one issue with its 10 notes (?include=journals)",
    "P": "P: A as the HTML page",
    "F": "F: adding a progress note (PUT)",
}

LOAD_RB = r"""
require 'json'
data = JSON.parse(File.read(ENV.fetch('BENCH_DATA')))
at = ->(s) { Time.local(*s.split(/[-T:]/).map(&:to_i)) }
counts = nil
ActiveRecord::Base.transaction do
  Setting.rest_api_enabled = '1'
  Setting.issue_group_assignment = '1'
  Setting.per_page_options = '25,50,100'
  role = Role.find_by!(name: 'Developer')
  tracker = Tracker.find_by!(name: 'Feature')
  priority = IssuePriority.find_by!(name: 'Normal')
  statuses = IssueStatus.all.index_by(&:name)
  project = Project.new(name: data['project_name'], identifier: data['project'], is_public: false)
  project.enabled_module_names = %w[issue_tracking]
  project.trackers = Tracker.all.to_a
  project.save!
  person = lambda do |login, firstname, lastname, admin|
    user = User.new(firstname: firstname, lastname: lastname, mail: "#{login}@bench.example", language: 'en')
    user.login = login
    user.admin = admin
    user.password = user.password_confirmation = data['password']
    user.save!
    user.api_key # creates the user's API token
    user
  end
  office = person.call('office', data['office'][0], data['office'][1], true)
  groups = []
  liaisons = []
  data['units'].each_with_index do |unit, i|
    group = Group.create!(lastname: unit['name'])
    Member.create!(principal: group, project: project, role_ids: [role.id])
    people = unit['people'].map { |p| person.call(p[0], p[1], p[2], false) }
    group.users << people # members of the project through the group (inherited roles)
    groups << group
    liaisons << people[0]
  end
  base = Issue.maximum(:id).to_i
  issues = data['issues'].each_with_index.map do |x, k|
    id = base + k + 1
    status = statuses.fetch(x['status'])
    {id: id, tracker_id: tracker.id, project_id: project.id, subject: x['subject'], description: x['description'],
     due_date: Date.parse(x['due']), status_id: status.id, assigned_to_id: groups[x['unit']].id,
     priority_id: priority.id, author_id: office.id, lock_version: 0, created_on: at.(x['created']),
     updated_on: at.(x['updated']), start_date: Date.parse(x['start']), done_ratio: x['done_ratio'],
     parent_id: nil, root_id: id, lft: 1, rgt: 2, is_private: false,
     closed_on: status.is_closed ? at.(x['updated']) : nil}
  end
  issues.each_slice(1000) { |rows| Issue.insert_all(rows) }
  journals = data['notes'].map do |n|
    {journalized_id: base + n[0] + 1, journalized_type: 'Issue', user_id: liaisons[data['issues'][n[0]]['unit']].id,
     notes: n[2], created_on: at.(n[1]), private_notes: false}
  end
  journals.each_slice(2000) { |rows| Journal.insert_all(rows) }
  counts = {projects: Project.count, groups: Group.givable.count, users: User.where(type: 'User').count,
            members: Member.count, issues: Issue.count, journals: Journal.count,
            api_keys: Token.where(action: 'api').count}
end
puts "COUNTS #{counts.to_json}"
"""

LUA_HEAD = """
local threads = {}
local n = 0
setup = function(thread)
  n = n + 1
  thread:set("tid", n)
  table.insert(threads, thread)
end
response = function(status, headers, body)
  if status >= 200 and status < 300 then ok = ok + 1 else bad = bad + 1 end
end
done = function(summary, latency, requests)
  local good, wrong = 0, 0
  for _, t in ipairs(threads) do good = good + t:get("ok"); wrong = wrong + t:get("bad") end
  io.write(string.format('RESULT {"requests": %d, "seconds": %.3f, "errors": %d, "non2xx": %d, "ok": %d, '
    .. '"p50_ms": %.2f, "p95_ms": %.2f}\\n', summary.requests, summary.duration / 1e6,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    wrong, good, latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
"""

# the parts below are filled in with %; LUA_HEAD is put before them as it is
LUA_GET = """
wrk.headers[%(header)s] = %(value)s
init = function(args) ok, bad = 0, 0 end
"""

LUA_NOTE = """
local jobs_all = dofile(%(jobs)s)
local body = %(body)s
init = function(args)
  ok, bad, at = 0, 0, 0
  jobs = {}
  for i, job in ipairs(jobs_all) do
    if (i - 1) %% %(threads)d == tid - 1 then jobs[#jobs + 1] = job end
  end
end
request = function()
  at = at %% #jobs + 1
  local job = jobs[at]
  return wrk.format("PUT", "/issues/" .. job[1] .. ".json",
    {["X-Redmine-API-Key"] = job[2], ["Content-Type"] = "application/json"}, body)
end
"""


def lua_string(text: str) -> str:
    """A Lua string literal (JSON's escapes are Lua's for what we write)."""
    return json.dumps(text, ensure_ascii=False)


def redmine_env(busy_timeout: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("X_DEBIAN_SITEID", "REDMINE_INSTANCE")}
    query = f"?timeout={busy_timeout}" if busy_timeout else ""
    env.update(
        RAILS_ENV="production",
        DATABASE_URL=f"sqlite3:{DB}{query}",  # merged over Debian's default instance's database.yml
        RAILS_LOG_TO_STDOUT="1",  # the log in bench/out/redmine_app/, not /var/log/redmine/default/
        REDMINE_LANG="en",
    )
    return env


def shape(rng: random.Random, today: datetime.date) -> dict[str, Any]:
    """The data set, drawn as bench/redmine_shape.py draws its tasks (the same due dates and statuses)."""
    year = today.year
    jan1, dec31 = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    units = [
        {"name": f"基准单位{i:02d}",
         "people": [[f"u{i:02d}-liaison", "联络员", f"单位{i:02d}"], [f"u{i:02d}-head", "负责人", f"单位{i:02d}"]]}
        for i in range(UNITS)
    ]  # fmt: skip
    issues, notes = [], []
    for i in range(ISSUES):
        due = min(jan1 + datetime.timedelta(days=rng.randrange(60, 365)), dec31)
        status = STATUSES[rng.randrange(10)]
        done_ratio = rng.randrange(0, 100) // 10 * 10
        issues.append(
            {"unit": i % UNITS, "subject": f"重点任务第{i + 1}项：项目建设",
             "description": "年底前完成主体工程建设，累计完成投资2亿元。倒排工期，挂图作战。",
             "start": f"{jan1}", "due": f"{due}", "status": status, "done_ratio": done_ratio,
             "created": f"{year}-01-05T09:00:00", "updated": f"{year}-{NOTES_PER_ISSUE:02d}-25T10:00:00"}
        )  # fmt: skip
        for month in range(1, NOTES_PER_ISSUE + 1):
            notes.append(
                [i, f"{year}-{month:02d}-25T10:00:00", f"第{month}月：完成主体结构施工{month * 8}%，累计完成投资{month}亿元。"]
            )
    return {
        "project": PROJECT,
        "project_name": f"{year}年重点工作",
        "password": PASSWORD,
        "office": ["督查室", "督查员"],
        "units": units,
        "issues": issues,
        "notes": notes,
    }


def run(cmd: list[str], env: dict[str, str], what: str, timeout: int = 600) -> str:
    out = subprocess.run(cmd, cwd=REDMINE, env=env, capture_output=True, text=True, timeout=timeout)
    if out.returncode:
        sys.stderr.write(out.stdout[-4000:] + out.stderr[-4000:])
        raise SystemExit(f"{what} failed ({out.returncode})")
    return out.stdout


def remove_db(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def build(seed: int, today: datetime.date, busy_timeout: int) -> dict[str, Any]:
    WORK.mkdir(parents=True, exist_ok=True)
    remove_db(DB)
    remove_db(BUILT)
    env = redmine_env(busy_timeout)
    started = time.perf_counter()
    run(["rake", "db:migrate"], env, "rake db:migrate")
    # its own process: after the migrations in the same one, the models' columns are stale
    out = run(["rake", "redmine:load_default_data"], env, "rake redmine:load_default_data")
    if "not loaded" in out:
        raise SystemExit(f"rake redmine:load_default_data: {out[-2000:]}")
    migrated = time.perf_counter() - started
    with tempfile.TemporaryDirectory(prefix="redmine-app-") as tmp:
        data, script = Path(tmp) / "data.json", Path(tmp) / "load.rb"
        data.write_text(json.dumps(shape(random.Random(seed), today), ensure_ascii=False), encoding="utf-8")
        script.write_text(LOAD_RB, encoding="utf-8")
        out = run(["rails", "runner", str(script)], {**env, "BENCH_DATA": str(data)}, "rails runner (load)")
    line = next(x for x in out.splitlines() if x.startswith("COUNTS "))
    counts = json.loads(line[len("COUNTS ") :])
    seconds = time.perf_counter() - started
    shutil.copyfile(DB, BUILT)
    remove_db(DB)
    return {
        "seed": seed,
        "built_on": f"{today}",
        "seconds": round(seconds, 1),
        "migrate_seconds": round(migrated, 1),
        "counts": counts,
    }


def read_db(sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(f"file:{DB}?mode=ro", uri=True, timeout=30)) as con:
        return con.execute(sql, params).fetchall()


def journals() -> int:
    return int(read_db("SELECT count(*) FROM journals")[0][0])


def facts(seed: int) -> dict[str, Any]:
    """What the requests need, read from the database: ids, API keys, the filing jobs."""
    project = read_db("SELECT id FROM projects WHERE identifier = ?", PROJECT)[0][0]
    group0 = read_db("SELECT id FROM users WHERE type = 'Group' AND lastname = ?", "基准单位00")[0][0]
    office_key = read_db(
        "SELECT t.value FROM tokens t JOIN users u ON u.id = t.user_id WHERE u.login = 'office' AND t.action = 'api'"
    )[0][0]
    issue = read_db("SELECT min(id) FROM issues WHERE assigned_to_id = ?", group0)[0][0]
    jobs = read_db(
        "SELECT i.id, t.value FROM issues i JOIN issue_statuses s ON s.id = i.status_id AND NOT s.is_closed "
        "JOIN groups_users g ON g.group_id = i.assigned_to_id "
        "JOIN users u ON u.id = g.user_id AND u.login LIKE '%-liaison' "
        "JOIN tokens t ON t.user_id = u.id AND t.action = 'api' ORDER BY i.id"
    )
    random.Random(seed).shuffle(jobs)
    counts = {
        table: read_db(f"SELECT count(*) FROM {table}")[0][0]  # noqa: S608 (fixed names)
        for table in ("projects", "issues", "journals", "members", "groups_users", "tokens")
    }
    counts["groups"] = read_db("SELECT count(*) FROM users WHERE type = 'Group'")[0][0]
    counts["users"] = read_db("SELECT count(*) FROM users WHERE type = 'User'")[0][0]
    counts["open_issues"] = len(jobs)
    counts["statuses"] = dict(
        read_db(
            "SELECT s.name, count(*) FROM issues i JOIN issue_statuses s ON s.id = i.status_id "
            "GROUP BY s.name ORDER BY s.position"
        )
    )
    return {"project": project, "group0": group0, "office_key": office_key, "issue": issue, "jobs": jobs,
            "counts": counts}  # fmt: skip


def urls(f: dict[str, Any], today: datetime.date) -> dict[str, str]:
    until = today + datetime.timedelta(days=30)
    yesterday = today - datetime.timedelta(days=1)
    q = urllib.parse.urlencode
    a = q({"project_id": PROJECT, "assigned_to_id": f["group0"], "status_id": "open",
           "due_date": f"><{today}|{until}", "sort": "due_date", "limit": 100})  # fmt: skip
    b = q({"project_id": PROJECT, "status_id": "open", "due_date": f"<={yesterday}", "sort": "due_date",
           "limit": 100})  # fmt: skip
    p = q([("project_id", PROJECT), ("set_filter", "1"),
           ("f[]", "status_id"), ("op[status_id]", "o"),
           ("f[]", "assigned_to_id"), ("op[assigned_to_id]", "="), ("v[assigned_to_id][]", f["group0"]),
           ("f[]", "due_date"), ("op[due_date]", "><"), ("v[due_date][]", f"{today}"), ("v[due_date][]", f"{until}"),
           ("sort", "due_date"), ("per_page", 100)])  # fmt: skip
    return {
        "A": f"/issues.json?{a}",
        "B": f"/issues.json?{b}",
        "C": f"/issues/{f['issue']}.json?include=journals",
        "P": f"/issues?{p}",
    }




def serve(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    log = LOG.open("wb")
    server = subprocess.Popen(
        [PUMA, "-e", "production", "-w", "2", "-t", "4:4", "-b", f"tcp://127.0.0.1:{port}"],
        cwd=REDMINE, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    log.close()
    host = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
    while time.time() < deadline:
        if server.poll() is not None:
            sys.stderr.write(LOG.read_text(errors="replace")[-4000:])
            raise SystemExit("puma exited before serving")
        booted = LOG.read_text(errors="replace").count("booted")
        if booted >= 2:
            try:
                with urllib.request.urlopen(host + "/login", timeout=10):
                    return server, host
            except OSError:
                pass
        time.sleep(0.3)
    stop(server)
    raise SystemExit("puma did not answer in time")


def children(master: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master:
                pids.append(int(entry.name))
    return pids


def stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is not None:
        return
    workers = children(server.pid)
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(5)
    for pid in workers:  # puma's workers, had the master died without them
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass




def wrk(host: str, path: str, script: Path, clients: int, seconds: int) -> dict[str, Any]:
    out = subprocess.run(
        [WRK, f"-t{clients}", f"-c{clients}", f"-d{seconds}s", "--timeout", "30s", "-s", str(script), host + path],
        capture_output=True, text=True, timeout=seconds + 120, check=True,
    )  # fmt: skip
    line = next(x for x in out.stdout.splitlines() if x.startswith("RESULT "))
    return dict(json.loads(line[len("RESULT ") :]))


def settle(master: int, limit: float = 15.0) -> None:
    """Wait until puma is idle (under 20 ms of CPU in half a second): the requests wrk left in flight at the end
    of the cell before, and the notification mails of notes (rendered after the answers by Active Job's async
    adapter in the workers), would otherwise count towards the next cell."""
    deadline = time.time() + limit
    cpu = server_cpu(master)
    while time.time() < deadline:
        time.sleep(0.5)
        now = server_cpu(master)
        if now - cpu < 0.02:
            return
        cpu = now


def measured(server: subprocess.Popen[bytes], host: str, path: str, script: Path, clients: int, seconds: int
             ) -> dict[str, Any]:  # fmt: skip
    settle(server.pid)
    load = os.getloadavg()[0]
    cpu = server_cpu(server.pid)
    r = wrk(host, path, script, clients, seconds)
    used = server_cpu(server.pid) - cpu
    return {
        "p50_ms": r["p50_ms"],
        "p95_ms": r["p95_ms"],
        "requests": r["requests"],
        "seconds": r["seconds"],
        "req_per_s": round(r["requests"] / r["seconds"], 1),
        "cpu_ms_per_request": round(used * 1000 / max(1, r["requests"]), 1),
        "load_1min": round(load, 2),
        "errors": r["errors"],
        "non2xx": r["non2xx"],
        "ok": r["ok"],
    }


def session_cookie(host: str) -> str:
    """Log in as the office once through /login (with the form's authenticity token); P is read with it."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(host + "/login").read().decode()
    token = re.search(r'name="authenticity_token" value="([^"]+)"', page)
    if not token:
        raise SystemExit("no authenticity token on /login")
    data = urllib.parse.urlencode(
        {"username": "office", "password": PASSWORD, "authenticity_token": token.group(1), "login": "Login"}
    ).encode()
    with opener.open(urllib.request.Request(host + "/login", data=data)) as answer:
        if "/login" in answer.geturl():
            raise SystemExit("logging in as the office failed")
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def get(host: str, path: str, headers: dict[str, str]) -> tuple[int, str]:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(urllib.request.Request(host + path, headers=headers), timeout=60) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, ""


def check(host: str, paths: dict[str, str], f: dict[str, Any], cookie: str) -> dict[str, Any]:
    """Each workload answered once: 2xx, and rows where rows are expected (else the figures mean nothing)."""
    api = {"X-Redmine-API-Key": f["office_key"]}
    seen: dict[str, Any] = {}
    for key in ("A", "B", "C"):
        status, body = get(host, paths[key], api)
        if status != 200:
            raise SystemExit(f"{key}: HTTP {status}")
        doc = json.loads(body)
        if key == "C":
            seen["C_journals"] = len(doc["issue"].get("journals", []))
        else:
            seen[f"{key}_rows"], seen[f"{key}_total"] = len(doc["issues"]), doc["total_count"]
    status, body = get(host, paths["P"], {"Cookie": cookie})
    if status != 200:
        raise SystemExit(f"P: HTTP {status} (not logged in?)")
    seen["P_rows"] = len(re.findall(r'<tr id="issue-\d+"', body))
    if not (seen["A_rows"] and seen["B_rows"] and seen["C_journals"] >= NOTES_PER_ISSUE):
        raise SystemExit(f"a workload returns no rows: {seen}")
    if seen["P_rows"] != seen["A_rows"]:
        raise SystemExit(f"the HTML page shows {seen['P_rows']} issues, the API {seen['A_rows']}")
    issue, key = f["jobs"][-1]
    before = journals()
    request = urllib.request.Request(
        f"{host}/issues/{issue}.json", method="PUT", data=json.dumps({"issue": {"notes": NOTE}}).encode(),
        headers={"X-Redmine-API-Key": key, "Content-Type": "application/json"},
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=60) as answer:
        status = answer.status
    if status // 100 != 2 or journals() != before + 1:
        raise SystemExit(f"F: HTTP {status}, journals {before} -> {journals()}")
    seen["F_status"] = status
    return seen


def under_load(f: dict[str, Any], paths: dict[str, str], args: argparse.Namespace) -> dict[str, Any]:
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="redmine-app-") as tmp:
        work = Path(tmp)
        server, host = serve(redmine_env(args.busy_timeout))
        try:
            out["server_cpu_boot_s"] = round(server_cpu(server.pid), 1)
            cookie = session_cookie(host)
            out["checks"] = checks = check(host, paths, f, cookie)
            print("rows:", json.dumps(checks), flush=True)
            cells = out["cells"] = {}
            for key in ("A", "B", "C", "P"):
                script = work / f"{key}.lua"
                header, value = ("Cookie", cookie) if key == "P" else ("X-Redmine-API-Key", f["office_key"])
                script.write_text(LUA_HEAD + LUA_GET % {"header": lua_string(header), "value": lua_string(value)})
                for clients in (1, 8):
                    wrk(host, paths[key], script, clients, 2)  # warm both workers
                    cells[f"{key}@{clients}"] = cell = measured(
                        server, host, paths[key], script, clients, args.duration
                    )
                    print(f"{key}@{clients}", json.dumps(cell), flush=True)
            jobs, used = f["jobs"], 0
            for clients in (1, 8):
                part = jobs[used:] + jobs[:used]  # each run starts on issues the one before did not reach
                data = work / f"jobs{clients}.lua"
                data.write_text("return {" + ",".join(f'{{{i},"{k}"}}' for i, k in part) + "}")
                script = work / f"F{clients}.lua"
                script.write_text(
                    LUA_HEAD + LUA_NOTE % {"jobs": lua_string(str(data)), "body": lua_string(
                        json.dumps({"issue": {"notes": NOTE}}, ensure_ascii=False)), "threads": clients}
                )  # fmt: skip
                before = journals()
                cell = measured(server, host, "/", script, clients, args.duration)
                cell["notes_per_s"] = round(cell["ok"] / cell["seconds"], 1)
                cell["journals_added"] = journals() - before
                cells[f"F@{clients}"] = cell
                used = (used + cell["requests"] + clients) % len(jobs)
                print(f"F@{clients}", json.dumps(cell), flush=True)
                # every answered PUT added a note; those still in flight when wrk stopped may add up to one each
                if not cell["ok"] <= cell["journals_added"] <= cell["ok"] + clients:
                    raise SystemExit(f"F@{clients}: {cell['ok']} notes answered but {cell['journals_added']} added")
        finally:
            stop(server)
    return out


def machine() -> dict[str, Any]:
    cpu = cpu_model()
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(mem, 1),
            "system": f"{platform.system()} {platform.release()}"}  # fmt: skip


def versions() -> dict[str, str]:
    text = (REDMINE / "lib" / "redmine" / "version.rb").read_text()
    parts = [re.search(rf"{k}\s*=\s*(\d+)", text) for k in ("MAJOR", "MINOR", "TINY")]
    packages = subprocess.run(
        ["dpkg-query", "-W", "-f", "${Package} ${Version}\\n", "redmine", "puma", "ruby-rails", "wrk"],
        capture_output=True, text=True,
    ).stdout.split("\n")  # fmt: skip
    return {
        "redmine": ".".join(m.group(1) for m in parts if m),
        "ruby": subprocess.run(["ruby", "-v"], capture_output=True, text=True).stdout.strip(),
        "puma": subprocess.run([PUMA, "--version"], capture_output=True, text=True).stdout.strip(),
        "debian_packages": ", ".join(p for p in packages if p),
    }


def table(cells: dict[str, Any]) -> str:
    lines = [
        f"{'workload':<62} {'clients':>7} {'p50':>9} {'p95':>9} {'req/s':>7} {'notes/s':>8} {'CPU/req':>9} "
        f"{'load':>5} {'non2xx':>6}  issue 13"
    ]
    for name, cell in cells.items():
        key, clients = name.split("@")
        notes = f"{cell['notes_per_s']:.1f}" if "notes_per_s" in cell else ""
        lines.append(
            f"{NAMES[key] if clients == '1' else '':<62} {clients:>7} {cell['p50_ms']:>6.1f} ms {cell['p95_ms']:>6.1f} ms"
            f" {cell['req_per_s']:>7.1f} {notes:>8} {cell['cpu_ms_per_request']:>6.1f} ms {cell['load_1min']:>5.2f}"
            f" {cell['non2xx'] + cell['errors']:>6}  {ISSUE_13[key] if clients == '1' else ''}"
        )  # fmt: skip
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per cell")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--no-build", action="store_true", help="reuse the database built before")
    parser.add_argument(
        "--no-notifications",
        action="store_true",
        help="no notification mails for new notes (Setting.notified_events empty); Redmine's default renders them",
    )
    parser.add_argument(
        "--busy-timeout", type=int, default=5000, help="SQLite busy timeout of Redmine's connections, ms (0: none)"
    )
    args = parser.parse_args()
    for tool in (PUMA, WRK, str(REDMINE / "config.ru")):
        if not Path(tool).exists():
            raise SystemExit(f"{tool} is missing: apt-get install redmine-sqlite redmine puma wrk")
    # a SIGTERM stops puma too (the finally in under_load)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    today = datetime.date.today()
    started = time.perf_counter()
    built_path = WORK / "built.json"
    if args.no_build:
        if not BUILT.exists() or not built_path.exists():
            raise SystemExit(f"{BUILT} is missing: run without --no-build first")
        built = json.loads(built_path.read_text())
    else:
        built = build(args.seed, today, args.busy_timeout)
        built_path.write_text(json.dumps(built, indent=1))
        print(f"built in {built['seconds']} s (migrations and default data {built['migrate_seconds']} s): "
              f"{json.dumps(built['counts'])}", flush=True)  # fmt: skip
    remove_db(DB)
    shutil.copyfile(BUILT, DB)
    if args.no_notifications:
        with closing(sqlite3.connect(DB)) as con, con:
            con.execute(
                "INSERT INTO settings (name, value, updated_on) VALUES ('notified_events', ?, ?)",
                ("--- []\n", f"{datetime.datetime.now()}"),
            )
    f = facts(built["seed"])
    # the dates of the filters: those of the build day, whose data they were drawn for
    paths = urls(f, datetime.date.fromisoformat(built["built_on"]))
    print("data:", json.dumps(f["counts"], ensure_ascii=False), flush=True)
    measuring = time.perf_counter()
    load = under_load(f, paths, args)
    after = journals()
    result = {
        "when": f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC",
        "machine": machine(),
        "versions": versions(),
        "server": "puma, 2 workers x 4 threads, production, 127.0.0.1; SQLite (rollback journal)"
        + (f", busy timeout {args.busy_timeout} ms" if args.busy_timeout else ", no busy timeout"),
        "database": str(DB.relative_to(ROOT)),
        "notifications": "none (Setting.notified_events empty)" if args.no_notifications else (
            "Redmine's default (issue_added, issue_updated): the mails rendered by Active Job's async adapter in "
            "the workers, not delivered (no configuration.yml)"),
        "issue_13_redmine_1_client": ISSUE_13,
        "duration": args.duration,
        "build": built,
        "data": f["counts"],
        "journals_after_run": after,
        "urls": paths,
        "checks": load["checks"],
        "server_cpu_boot_s": load["server_cpu_boot_s"],
        "measure_seconds": round(time.perf_counter() - measuring, 1),
        "total_seconds": round(time.perf_counter() - started, 1),
        "cells": load["cells"],
    }
    OUT.mkdir(parents=True, exist_ok=True)
    result_path = RESULT_NO_MAIL if args.no_notifications else RESULT
    result_path.write_text(json.dumps(result, indent=1, ensure_ascii=False))
    m, v = result["machine"], result["versions"]
    print(f"\nRedmine {v['redmine']} ({v['puma']}; {v['ruby']}) on {m['cores']} CPUs ({m['cpu']}), "
          f"wrk {args.duration} s per cell, {result['when']}")  # fmt: skip
    print(table(load["cells"]))
    print(f"wrote {result_path.relative_to(ROOT)} (run {result['total_seconds']} s)")


if __name__ == "__main__":
    main()
