#!/usr/bin/env python3
"""A local stand-in for AppMetrica's Logs API (and a Slack-style webhook recorder) for tests. Stdlib only.

usage: appmetrica_api.py [--port 0] [--state-dir DIR] [--token test-token] [--prepare-polls 2] [--rows N] [--empty REPORT]...

Prints its port on the first stdout line (--port 0 picks a free one), then serves on 127.0.0.1 until SIGTERM.

GET /logs/v1/export/{report}.csv?application_id=A&date_since=S&date_until=U&date_dimension=default&fields=f1,f2
    S and U are 'YYYY-MM-DD HH:MM:SS', S < U. Needs `Authorization: OAuth <token>` (else 403); a missing or bad
    parameter is 400. The first --prepare-polls requests of each distinct query (same report and parameters) get
    202 "report is being prepared"; later ones 200, Content-Type text/csv, `Rows-Number: N`, and the CSV: a header
    line of the requested fields, then N rows. N is --rows if given, else a deterministic 0..200 per (report, hour of
    date_since), and always 0 for the hour starting 03:00 (an empty hour in every day) and for every --empty report. Values are deterministic in
    (report, date_since, row, field): application_id = A; *_datetime a time in [S, U) (*_receive_datetime up to a
    minute later, still < U), *_date its date, *_timestamp its unix time; *_device_id, session_id and *_id numbers;
    is_* 0/1; anything else a string, some with commas, quotes, newlines or non-ASCII text (CSV quoting exercised).
    use_utf8_bom=true puts a BOM before the header, as the real API does.
POST /webhook, POST /hooks/...   recorded (path, headers, body, json if it parses); answers 200 "ok" like Slack.
POST /_control/fail   JSON {"status": 503, "count": 2} fails the next `count` export requests with that status
    (429 carries Retry-After: 1, or "retry_after"); {"hang_seconds": 5, "count": 1} delays the next request that
    long before it is answered (normally, or with "status" if given too). "path" (default "/logs/") is the path
    prefix the rule applies to, e.g. "/webhook". Rules queue up in order.
POST /_control/reset   forgets requests, webhooks, preparation counts and pending failures.
GET /_control/requests  JSON list of the requests seen (method, path, query, headers, time, status: null while
    one is still being answered), in arrival order.
GET /_control/webhooks  JSON list of the webhook bodies received.
--state-dir keeps requests.jsonl, webhooks.jsonl, polls.json (so a restarted server goes on where it was) and port.
"""
import argparse, csv, datetime as dt, hashlib, io, json, os, re, signal, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

EXPORT = re.compile(r"^/logs/v1/export/([A-Za-z_]+)\.csv$")
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
WORDS = ["app_open", "purchase", "level_up", "Москва", "tap, then swipe", 'say "hi"', "line one\nline two",
         "", "a,b,\"c\"\nd", "plain"]


def h(*parts):   # a deterministic 63-bit number from the parts
    return int.from_bytes(hashlib.sha256("\x1f".join(map(str, parts)).encode()).digest()[:8], "big") >> 1


def row_count(report, since):
    hour = since.replace(minute=0, second=0)
    return 0 if hour.hour == 3 else h(report, hour.strftime(TIME_FORMAT)) % 201


def value(report, since, until, app, i, field):
    key = (report, since.strftime(TIME_FORMAT), i)
    span = int((until - since).total_seconds())
    base = since + dt.timedelta(seconds=h(*key, "__time") % span)
    if field.endswith("receive_datetime") or field.endswith("receive_timestamp"):
        base = min(base + dt.timedelta(seconds=h(*key, field) % 61), until - dt.timedelta(seconds=1))
    if field == "application_id":
        return app
    if field.endswith("_datetime"):
        return base.strftime(TIME_FORMAT)
    if field.endswith("_date"):
        return base.strftime("%Y-%m-%d")
    if field.endswith("_timestamp"):
        return str(int(base.replace(tzinfo=dt.timezone.utc).timestamp()))
    if field.startswith("is_"):
        return str(h(*key, field) % 2)
    if field.endswith("_id"):
        return str(h(*key, field) % 10**18 + (1 if field == "session_id" else 0))
    if field.endswith("_json"):
        return json.dumps({"n": h(*key, field) % 100, "label": WORDS[h(*key, field, 1) % len(WORDS)]}, ensure_ascii=False)
    r = h(*key, field)
    return WORDS[r % len(WORDS)] if r % 3 == 0 else f"{field}-{r % 1000}"


class State:
    def __init__(self, directory):
        self.dir, self.lock = directory, threading.Lock()
        self.requests, self.webhooks, self.faults, self.polls = [], [], [], {}
        if directory:
            os.makedirs(directory, exist_ok=True)
            try:
                with open(os.path.join(directory, "polls.json")) as f:
                    self.polls = json.load(f)
            except (OSError, ValueError):
                pass

    def append(self, name, record, memory=True, disk=True):   # under self.lock
        if memory:
            getattr(self, name).append(record)
        if disk and self.dir:
            with open(os.path.join(self.dir, name + ".jsonl"), "a", encoding="utf-8") as f:
                f.write(json.dumps(record, ensure_ascii=False) + "\n")

    def save_polls(self):   # under self.lock
        if self.dir:
            tmp = os.path.join(self.dir, "polls.json.tmp")
            with open(tmp, "w") as f:
                json.dump(self.polls, f)
            os.replace(tmp, os.path.join(self.dir, "polls.json"))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "appmetrica-test"

    def log_message(self, *args):
        pass

    def reply(self, status, body, content_type="text/plain; charset=utf-8", headers=()):
        body = body.encode() if isinstance(body, str) else body
        self.status_sent = status
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            for k, v in headers:
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            parts = []
            while (size := int(self.rfile.readline(1024).split(b";")[0].strip() or b"0", 16)) > 0:
                parts.append(self.rfile.read(size))
                self.rfile.readline(16)
            while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                pass
            return b"".join(parts)
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def do_GET(self):
        self.handle_any()

    def do_POST(self):
        self.handle_any()

    do_PUT = do_DELETE = do_HEAD = do_POST

    def handle_any(self):
        st, url = self.server.state, urlsplit(self.path)
        body = self.read_body() if self.command in ("POST", "PUT") else b""
        if url.path.startswith("/_control/"):
            return self.control(st, url.path, body)
        record = {"method": self.command, "path": url.path, "query": dict(parse_qsl(url.query, keep_blank_values=True)),
                  "headers": dict(self.headers.items()), "time": time.time(), "status": None}
        with st.lock:
            st.append("requests", record, disk=False)   # listed in arrival order; status filled in when answered
            fault = next((f for f in st.faults if url.path.startswith(f.get("path", "/logs/"))), None)
            if fault:
                fault["count"] = fault.get("count", 1) - 1
                if fault["count"] <= 0:
                    st.faults.remove(fault)
        self.status_sent = None
        try:
            if fault and fault.get("hang_seconds"):
                time.sleep(float(fault["hang_seconds"]))
            if fault and fault.get("status"):
                status = int(fault["status"])
                headers = [("Retry-After", str(fault.get("retry_after", 1)))] if status == 429 else []
                self.reply(status, fault.get("body", f"injected failure {status}\n"), headers=headers)
            elif url.path == "/webhook" or url.path.startswith("/hooks/"):
                text = body.decode("utf-8", "replace")
                try:
                    parsed = json.loads(text)
                except ValueError:
                    parsed = None
                with st.lock:
                    st.append("webhooks", {"path": url.path, "headers": dict(self.headers.items()), "body": text, "json": parsed})
                self.reply(200, "ok", "text/html")
            elif m := EXPORT.match(url.path):
                self.export(st, m.group(1), record["query"])
            else:
                self.reply(404, f"no such endpoint: {url.path}\n")
        finally:
            with st.lock:
                record["status"] = self.status_sent
                st.append("requests", record, memory=False)

    def export(self, st, report, q):
        auth = self.headers.get("Authorization", "")
        if auth != f"OAuth {self.server.token}":
            return self.reply(403, "Access denied: a valid `Authorization: OAuth <token>` header is required\n")
        missing = [p for p in ("application_id", "date_since", "date_until", "fields") if not q.get(p)]
        if missing:
            return self.reply(400, f"Missing required parameter(s): {', '.join(missing)}\n")
        try:
            since, until = (dt.datetime.strptime(q[p], TIME_FORMAT) for p in ("date_since", "date_until"))
        except ValueError:
            return self.reply(400, "date_since and date_until must look like 'YYYY-MM-DD HH:MM:SS'\n")
        if since >= until:
            return self.reply(400, "date_since must be before date_until\n")
        if not q["application_id"].isdigit():
            return self.reply(400, "application_id must be a number\n")
        fields = [f.strip() for f in q["fields"].split(",") if f.strip()]
        key = report + "?" + "&".join(f"{k}={v}" for k, v in sorted(q.items()))
        with st.lock:
            seen = st.polls.get(key, 0)
            st.polls[key] = seen + 1
            st.save_polls()
        if seen < self.server.prepare_polls:
            return self.reply(202, "Your query is added to the queue. The report is being prepared, retry later.\n")
        n = 0 if report in self.server.empty else self.server.rows if self.server.rows is not None else row_count(report, since)
        out = io.StringIO()
        if q.get("use_utf8_bom") == "true":
            out.write("\ufeff")
        w = csv.writer(out, lineterminator="\n")
        w.writerow(fields)
        for i in range(n):
            w.writerow([value(report, since, until, q["application_id"], i, f) for f in fields])
        self.reply(200, out.getvalue(), "text/csv; charset=utf-8", [("Rows-Number", str(n))])

    def control(self, st, path, body):
        with st.lock:
            if path == "/_control/requests" and self.command == "GET":
                return self.reply(200, json.dumps(st.requests, ensure_ascii=False), "application/json")
            if path == "/_control/webhooks" and self.command == "GET":
                return self.reply(200, json.dumps(st.webhooks, ensure_ascii=False), "application/json")
            if path == "/_control/reset" and self.command == "POST":
                st.requests.clear(), st.webhooks.clear(), st.faults.clear(), st.polls.clear()
                st.save_polls()
                return self.reply(200, '{"ok": true}', "application/json")
            if path == "/_control/fail" and self.command == "POST":
                try:
                    rule = json.loads(body or b"{}")
                    assert isinstance(rule, dict) and ("status" in rule or "hang_seconds" in rule)
                except (ValueError, AssertionError):
                    return self.reply(400, 'expected JSON like {"status": 503, "count": 2} or {"hang_seconds": 5}\n')
                st.faults.append(rule)
                return self.reply(200, '{"ok": true}', "application/json")
        self.reply(404, f"no such control endpoint: {self.command} {path}\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--state-dir")
    ap.add_argument("--token", default="test-token")
    ap.add_argument("--prepare-polls", type=int, default=2)
    ap.add_argument("--rows", type=int)
    ap.add_argument("--empty", action="append", default=[], help="a report that has no rows in any hour")
    args = ap.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    server.state, server.token = State(args.state_dir), args.token
    server.prepare_polls, server.rows, server.empty = args.prepare_polls, args.rows, set(args.empty)
    port = server.server_address[1]
    if args.state_dir:
        with open(os.path.join(args.state_dir, "port"), "w") as f:
            f.write(f"{port}\n")
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown, daemon=True).start())
    print(port, flush=True)
    try:
        server.serve_forever(poll_interval=0.1)
    except KeyboardInterrupt:
        pass
    server.server_close()


if __name__ == "__main__":
    sys.exit(main())
