#!/usr/bin/env python3
"""A tiny HTTP server for tests: records every request (method, path, headers, body) as one JSON line in a file
and answers 200 with {"ok": true}, or with the status given by ?status=N. With ?echo=1 the answer's body is the
request as recorded (headers first), the way an API that quotes a bad request back does. Prints its port on stdout
once listening.

usage: recording_http.py RECORD_FILE
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


class Recorder(BaseHTTPRequestHandler):
    def _handle(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        query = parse_qs(urlparse(self.path).query)
        line = json.dumps({"headers": dict(self.headers), "method": self.command, "path": self.path, "body": body})
        with open(self.server.record_file, "a", encoding="utf-8") as f:
            f.write(line + "\n")
        status = int(query.get("status", ["200"])[0])
        payload = line.encode("utf-8") if query.get("echo") else b'{"ok": true}'
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = _handle

    def log_message(self, *args):
        pass


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    server.record_file = sys.argv[1]
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
