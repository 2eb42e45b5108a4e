"""Benchmark: what a request costs the server before it does any work of its own — the floor under issue 13's
workloads — served as `bench/redmine_shape.py` serves them (gunicorn, 2 sync workers, loopback, wrk).

    .venv/bin/python bench/redmine_shape.py --database-url postgres://…/tongtui_redmine_bench --no-load  # data once
    .venv/bin/python bench/floor.py --database-url postgres://postgres@127.0.0.1:5432/tongtui_redmine_bench
    .venv/bin/python bench/floor.py                                  # the SQLite file redmine_shape.py built

On the data `redmine_shape.py` left in the database, for each address at 1 and at 8 clients: requests a second,
the median, and the server's CPU a request (its workers' user and system time over the run, divided by the
requests). The addresses:

- `/i18n/setlang/` without a session or a token: Django's language view answers a GET with a redirect, and
  reads nothing — gunicorn, Django and its middleware;
- `/api/plans/` with a liaison's token: the API's own floor — the token read, the user's roles read, one small
  list read and written as JSON (one plan);
- `/api/notifications/?page_size=1` with a liaison's token: the same with a filtered, paged list.

Issue 13 asks every request within 3× the time of its bare SQL, and filing (three requests) at 100 reports a
second at 8 clients. Set beside the workloads' own figures these say what is left for the work itself.
"""

import argparse
import json
import os
import secrets
import sys
import tempfile
from functools import partial
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _db import setup_django  # noqa: E402

ADDRESSES = [
    ("anonymous", "/i18n/setlang/"),
    ("liaison", "/api/plans/"),
    ("liaison", "/api/notifications/?page_size=1"),
]


def main() -> None:
    import redmine_shape as shape

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=f"sqlite:///{shape.DB}")
    parser.add_argument("--duration", type=int, default=8, help="seconds of wrk per cell")
    args = parser.parse_args()
    setup_django(args.database_url)
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    try:
        liaison = get_user_model().objects.get(username="u00-liaison")
    except get_user_model().DoesNotExist:
        sys.exit("No benchmark data here: run bench/redmine_shape.py on this database first (--no-load will do).")
    token = Token.objects.get(user=liaison).key
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "DEBUG": "False",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DB_CONN_MAX_AGE": "60",
    }
    script = Path(tempfile.mkdtemp(prefix="floor-bench-")) / "get.lua"
    server, host = shape.serve(env)
    out = {}
    try:
        for who, path in ADDRESSES:
            body = shape.LUA_GET % {"token": token, "cookie": ""}
            if who == "anonymous":
                body = body.replace(f'wrk.headers["Authorization"] = "Token {token}"', "")
            script.write_text(body)
            for clients in (1, 8):
                shape.wrk(host, path, script, clients, 2)  # warm both workers
                result = shape.measured(server, partial(shape.wrk, host, path, script, clients, args.duration))
                assert result["non2xx"] == 0 and result["errors"] == 0, (path, result)
                row = {
                    "requests_per_s": round(result["requests"] / result["seconds"], 1),
                    "p50_ms": result["p50_ms"],
                    "cpu_ms_per_request": result["cpu_ms_per_request"],
                }
                out[f"{path} @{clients}"] = row
                print(f"{path:36} {clients} client(s): {json.dumps(row)}", flush=True)
    finally:
        shape.stop(server)
    vendor = "sqlite" if args.database_url.startswith("sqlite") else "postgresql"
    (shape.OUT / f"floor_{vendor}.json").write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
