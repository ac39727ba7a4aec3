#!/usr/bin/env python3
"""A ClickHouse HTTP interface over chdb (embedded ClickHouse 26.9), so tests can run modern ClickHouse SQL without a
server package. Started by scripts/services/chdb.sh; prints its port on the first stdout line.

usage: chdb_http.py --path DB_DIR [--port N] [--password P]     (--port 0 picks a free port)

Speaks the HTTP interface as the real server does: GET /ping and GET / -> "Ok.\n"; the query is the `query` URL
parameter followed by the request body (GET is readonly=2); chunked, gzip and deflate request bodies; `database`,
`default_format` (default TabSeparated; a FORMAT clause wins), `query_id`, `session_id` (SET and temporary tables
persist per session), `param_x` query parameters, and any other URL parameter as a setting (`max_execution_time`,
`readonly`, `date_time_input_format`, ...; an unknown one is Code 115). `wait_end_of_query` and `user`/`password`
(URL, X-ClickHouse-User/-Key headers or basic auth) are accepted; a password is only checked when --password is
given. Errors: body `Code: N. DB::Exception: ...`, HTTP status mapped from the code as upstream does
(exceptionCodeToHTTPStatus.cpp), header X-ClickHouse-Exception-Code. Multi-statements -> Code 62.
`INSERT ... FORMAT F` streams the data that follows (inline or in the body) into chdb's streaming inserter.
Results are buffered whole, so an error always comes with its HTTP status (like wait_end_of_query=1).
`KILL QUERY WHERE query_id = 'X'` kills the query sent with query_id=X: chdb cannot set a query's id, so each query
carries log_comment = 'pipec-query-id:X' and the KILL is rewritten to match on that (chdb's KILL QUERY works).
"""
import argparse, base64, gzip, itertools, json, os, re, signal, sys, threading, time, uuid, zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

os.environ.setdefault("TZ", "UTC")   # like the Debian server (Etc/UTC): DateTime text must not depend on the machine
import chdb  # noqa: E402

# exceptionCodeToHTTPStatus.cpp (upstream), by error name; codes are looked up in the engine at startup.
STATUS_BY_NAME = {
    401: "REQUIRED_PASSWORD",
    403: "UNKNOWN_USER WRONG_PASSWORD AUTHENTICATION_FAILED SET_NON_GRANTED_ROLE ACCESS_DENIED",
    400: "BAD_ARGUMENTS CANNOT_COMPILE_REGEXP CANNOT_PARSE_TEXT CANNOT_PARSE_ESCAPE_SEQUENCE CANNOT_PARSE_QUOTED_STRING "
         "CANNOT_PARSE_DATE CANNOT_PARSE_DATETIME CANNOT_PARSE_NUMBER CANNOT_PARSE_DOMAIN_VALUE_FROM_STRING CANNOT_PARSE_IPV4 "
         "CANNOT_PARSE_IPV6 CANNOT_PARSE_INPUT_ASSERTION_FAILED CANNOT_PARSE_UUID DUPLICATE_COLUMN ILLEGAL_COLUMN "
         "UNKNOWN_ELEMENT_IN_AST UNKNOWN_TYPE_OF_AST_NODE THERE_IS_NO_COLUMN TOO_DEEP_AST TOO_BIG_AST UNEXPECTED_AST_STRUCTURE "
         "SYNTAX_ERROR INCORRECT_DATA TYPE_MISMATCH VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE",
    404: "UNKNOWN_TABLE UNKNOWN_FUNCTION UNKNOWN_IDENTIFIER UNKNOWN_TYPE UNKNOWN_STORAGE UNKNOWN_DATABASE UNKNOWN_SETTING "
         "UNKNOWN_DIRECTION_OF_SORTING UNKNOWN_AGGREGATE_FUNCTION UNKNOWN_FORMAT UNKNOWN_DATABASE_ENGINE UNKNOWN_TYPE_OF_QUERY UNKNOWN_ROLE",
    413: "QUERY_IS_TOO_LARGE", 501: "NOT_IMPLEMENTED", 503: "SOCKET_TIMEOUT CANNOT_OPEN_FILE CANNOT_SCHEDULE_TASK",
    411: "HTTP_LENGTH_REQUIRED", 408: "TIMEOUT_EXCEEDED", 415: "UNSUPPORTED_MEDIA_TYPE",
}
NOT_SETTINGS = {"query", "database", "default_format", "query_id", "user", "password", "session_id", "session_timeout",
                "session_check", "wait_end_of_query", "compress", "decompress", "buffer_size", "quota_key"}
WORD = re.compile(r"[A-Za-z_][A-Za-z_0-9]*")
KILL = re.compile(r"\s*KILL\s+QUERY\s+WHERE\s+query_id\s*=\s*'((?:[^'\\]|\\.)*)'(.*)", re.I | re.S)


class CHError(Exception):
    def __init__(self, code, text):
        super().__init__(text)
        self.code, self.text = code, text


def ch_error(e):   # a chdb exception -> CHError, its message starting at the first "Code: N."
    m = re.search(r"Code: (\d+)\.", str(e))
    return CHError(int(m.group(1)), str(e)[m.start():]) if m else CHError(1001, "Code: 1001. DB::Exception: " + str(e))


def quote(s):
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'"


def split_query(text):
    """text (bytes decoded as latin-1, so offsets are byte offsets) -> (sql end, data start, format): for
    `INSERT ... FORMAT F <data>` the statement ends before FORMAT and the data starts after F, one space-run and
    one line end; otherwise (len without a trailing ';', None, None). Two statements -> Code 62, as the server."""
    i, n, words = 0, len(text), []
    while i < n:
        c = text[i]
        if c in "'\"`":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            i = j + 1
        elif text.startswith("--", i) or text.startswith("# ", i) or text.startswith("#!", i):
            j = text.find("\n", i)
            i = n if j < 0 else j + 1
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            i = n if j < 0 else j + 2
        elif c.isalpha() or c == "_":
            m = WORD.match(text, i)
            w, i = m.group().upper(), m.end()
            if words[:1] == ["INSERT"] and "SELECT" not in words and "WITH" not in words:
                if w == "VALUES":
                    return n, None, None   # inline VALUES data: chdb parses it in the statement
                f = re.compile(r"\s+([A-Za-z_][A-Za-z_0-9]*)").match(text, i) if w == "FORMAT" else None
                if f:
                    d = f.end()
                    while d < n and text[d] in " \t\f":
                        d += 1
                    d += text.startswith("\r", d)
                    d += text.startswith("\n", d)
                    return m.start(), d, f.group(1)
            words.append(w)
        elif c == ";":
            rest = re.sub(r"--[^\n]*|/\*.*?\*/", "", text[i + 1:], flags=re.S)
            if rest.strip(" \t\r\n;"):
                raise CHError(62, "Code: 62. DB::Exception: Syntax error (Multi-statements are not allowed): failed at "
                                  f"position {i + 1} (end of query): {text[i:i + 40]!s}. (SYNTAX_ERROR)")
            return i, None, None
        else:
            i += 1
    return n, None, None


class Engine:
    def __init__(self, path, password):
        self.path, self.password = path, password
        self.base = chdb.connect(path)   # held open: the engine stops when its last connection closes
        names = {name: status for status, ns in STATUS_BY_NAME.items() for name in ns.split()}
        rows = self.base.query("SELECT number, errorCodeToName(number) FROM numbers(2000)", "TSV").bytes().decode()
        self.status = {int(c): names[nm] for c, nm in (r.split("\t") for r in rows.splitlines()) if nm in names}
        self.version = self.base.query("SELECT version()", "TSV").bytes().decode().strip()
        self.lock, self.running, self.sessions = threading.Lock(), set(), {}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "chdb-http"

    def log_message(self, *args):
        pass

    def reply(self, status, body, headers=()):
        if isinstance(body, str):
            body = body.encode()
        ae = self.headers.get("Accept-Encoding", "")
        if dict(headers).get("_gzip") and "gzip" in ae:
            body, headers = gzip.compress(body, 1), list(headers) + [("Content-Encoding", "gzip")]
        self.send_response(status)
        for k, v in headers:
            if not k.startswith("_"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def body_chunks(self):   # the request body, de-chunked and decompressed, in pieces
        def raw():
            if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
                while (size := int(self.rfile.readline(1024).split(b";")[0].strip() or b"0", 16)) > 0:
                    yield self.rfile.read(size)
                    self.rfile.readline(16)
                while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                    pass
            else:
                left = int(self.headers.get("Content-Length") or 0)
                while left > 0 and (piece := self.rfile.read(min(left, 1 << 20))):
                    left -= len(piece)
                    yield piece
            self.body_done = True
        enc = self.headers.get("Content-Encoding", "").lower()
        if enc in ("", "identity"):
            yield from raw()
        elif enc in ("gzip", "x-gzip", "deflate"):
            z = zlib.decompressobj(47)   # gzip or zlib header, detected
            for piece in raw():
                yield z.decompress(piece)
            yield z.flush()
        else:
            raise CHError(89, f"Code: 89. DB::Exception: Unknown Content-Encoding {enc}. (UNKNOWN_COMPRESSION_METHOD)")

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        self.handle_query()

    def do_POST(self):
        self.handle_query()

    def handle_query(self):
        eng, url = self.server.engine, urlsplit(self.path)
        params = dict(parse_qsl(url.query, keep_blank_values=True))
        if url.path in ("/ping", "/replicas_status") or (url.path == "/" and self.command != "POST" and "query" not in params):
            return self.reply(200, "Ok.\n", [("Content-Type", "text/html; charset=UTF-8")])
        if url.path != "/":
            return self.reply(404, f"There is no handle {url.path}\n\nUse / or /ping for health checks.\n")
        self.body_done = not ("chunked" in self.headers.get("Transfer-Encoding", "").lower()
                              or int(self.headers.get("Content-Length") or 0) > 0)
        query_id = params.get("query_id") or str(uuid.uuid4())
        headers = [("X-ClickHouse-Query-Id", query_id), ("X-ClickHouse-Timezone", "UTC"),
                   ("X-ClickHouse-Server-Display-Name", "chdb-http")]
        session = None
        try:
            password = params.get("password", self.headers.get("X-ClickHouse-Key", ""))
            auth = self.headers.get("Authorization", "")
            if auth.startswith("Basic "):
                password = base64.b64decode(auth[6:]).decode().partition(":")[2]
            if eng.password is not None and password != eng.password:
                raise CHError(516, "Code: 516. DB::Exception: default: Authentication failed: password is incorrect, "
                                   "or there is no user with such name. (AUTHENTICATION_FAILED)")
            settings = {k: v for k, v in params.items() if k not in NOT_SETTINGS and not k.startswith("param_")}
            if self.command != "POST" and settings.get("readonly", "0") == "0":
                settings["readonly"] = "2"
            fmt = params.get("default_format") or self.headers.get("X-ClickHouse-Format") or "TabSeparated"
            database = params.get("database") or self.headers.get("X-ClickHouse-Database")
            # The query: `query` + body. An INSERT ... FORMAT in the URL streams the body; else the body is read whole.
            head = params.get("query", "").encode()
            end, start, in_fmt = split_query(head.decode("latin-1"))
            body = self.body_chunks()
            if start is None:
                head += b"".join(body)
                end, start, in_fmt = split_query(head.decode("latin-1"))
                body = iter(())
            sql = head[:end].decode("utf-8", "replace")
            data = ([head[start:]] if start < len(head) else []) if start is not None else None
            if m := KILL.match(sql):
                sql = f"KILL QUERY WHERE Settings['log_comment'] = {quote('pipec-query-id:' + m.group(1))}{m.group(2)}"
            if not sql.strip():
                raise CHError(62, "Code: 62. DB::Exception: Empty query. (SYNTAX_ERROR)")
            with eng.lock:
                if query_id in eng.running:
                    raise CHError(216, f"Code: 216. DB::Exception: Query with id = {query_id} is already running. "
                                       "(QUERY_WITH_SAME_ID_IS_ALREADY_RUNNING)")
                if sid := params.get("session_id"):
                    session = eng.sessions.setdefault(sid, (None, threading.Lock()))
                    if not session[1].acquire(blocking=False):
                        session = None
                        raise CHError(373, f"Code: 373. DB::Exception: Session {sid} is locked by a concurrent client. (SESSION_IS_LOCKED)")
                    if session[0] is None:
                        eng.sessions[sid] = session = (chdb.connect(eng.path), session[1])
                eng.running.add(query_id)
            try:
                conn = session[0] if session else chdb.connect(eng.path)
                try:
                    if database:
                        conn.query(f"USE `{database.replace('`', '')}`")
                    conn.query(f"SET log_comment = {quote('pipec-query-id:' + query_id)}")
                    for k, v in sorted(settings.items(), key=lambda kv: kv[0] == "readonly"):   # readonly last
                        if not WORD.fullmatch(k):
                            raise CHError(115, f"Code: 115. DB::Exception: Unknown setting '{k}'. (UNKNOWN_SETTING)")
                        conn.query(f"SET {k} = {quote(v)}")
                    t0 = time.monotonic()
                    if data is not None:
                        ins = conn.send_insert(sql, in_fmt)
                        try:
                            for piece in itertools.chain(data, body):
                                if piece:
                                    ins.append(piece)
                            res, out = ins.finish(), b""
                        except BaseException:
                            ins.cancel()
                            raise
                        summary = (0, 0, res.rows_written, res.bytes_written)
                    else:
                        qp = {k[6:]: v for k, v in params.items() if k.startswith("param_")}
                        res = conn.query(sql, fmt, params=qp)
                        out = res.bytes()
                        summary = (res.rows_read(), res.bytes_read(), res.rows_written(), res.bytes_written())
                        if m := re.search(r"\bFORMAT\s+(\w+)\s*$", sql, re.I):
                            fmt = m.group(1)
                finally:
                    if not session:
                        conn.close()
            except CHError:
                raise
            except Exception as e:
                raise ch_error(e)
            finally:
                with eng.lock:
                    eng.running.discard(query_id)
            ctype = ("text/tab-separated-values" if fmt.upper().startswith(("TSV", "TABSEPARATED")) else "text/csv"
                     if fmt.upper().startswith("CSV") else "application/json" if fmt.upper().startswith("JSON") else "text/plain")
            keys = ("read_rows", "read_bytes", "written_rows", "written_bytes")
            summary = {**{k: str(v) for k, v in zip(keys, summary)}, "total_rows_to_read": "0",
                       "elapsed_ns": str(int((time.monotonic() - t0) * 1e9))}
            self.reply(200, out, headers + [("Content-Type", ctype + "; charset=UTF-8"), ("X-ClickHouse-Format", fmt),
                                            ("X-ClickHouse-Summary", json.dumps(summary, separators=(",", ":"))),
                                            ("_gzip", settings.get("enable_http_compression") == "1")])
        except CHError as e:
            if not getattr(self, "body_done", True):
                self.close_connection = True   # the rest of the body was not read
            text = e.text if "(version " in e.text else f"{e.text.rstrip()} (version {eng.version})"
            self.reply(eng.status.get(e.code, 500), text.rstrip("\n") + "\n",
                       headers + [("Content-Type", "text/plain; charset=UTF-8"), ("X-ClickHouse-Exception-Code", str(e.code))])
        finally:
            if session:
                session[1].release()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--path", required=True, help="database dir (created; kept across queries)")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--password", help="require this password (default: accept any)")
    args = ap.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    server.engine = Engine(args.path, args.password)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown, daemon=True).start())
    print(server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    server.server_close()
    sys.stdout.flush()
    os._exit(0)   # queries still running in daemon threads hold engine threads: do not wait for them


if __name__ == "__main__":
    main()
