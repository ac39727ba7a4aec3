#!/usr/bin/env python3
"""A minimal SMTP server for tests that keeps every message it is sent. Stdlib only (socketserver).

usage: smtp_sink.py [--port 0] [--out FILE]

Prints its port on the first stdout line (--port 0 picks a free one), then serves on 127.0.0.1 until SIGTERM.
Each message accepted by DATA is appended to FILE as one JSON line:
    {"from": "a@x", "to": ["b@y", ...], "data": "<message, dot-unstuffed, CRLF kept>"}
plus "auth": "<user>" when the client authenticated. Speaks EHLO/HELO, MAIL FROM, RCPT TO, DATA, RSET, NOOP,
VRFY, QUIT; AUTH PLAIN and AUTH LOGIN accept any credentials (235), so clients configured with a password work.
No STARTTLS: clients must be told not to require TLS.
"""
import argparse, base64, json, re, signal, socketserver, sys, threading

ADDRESS = re.compile(r"^(?:MAIL\s+FROM|RCPT\s+TO)\s*:\s*<?([^<>\s]*)>?", re.I)


class Session(socketserver.StreamRequestHandler):
    timeout = 300

    def send(self, line):
        self.wfile.write(line.encode() + b"\r\n")

    def readline(self):
        line = self.rfile.readline(1 << 20)
        if not line:
            raise ConnectionResetError
        return line.decode("utf-8", "replace").rstrip("\r\n")

    def reset(self):
        self.sender, self.recipients = None, []

    def handle(self):
        self.reset()
        self.user = None
        self.send("220 localhost pipec test SMTP sink ready")
        try:
            while True:
                line = self.readline()
                verb = line.split(" ", 1)[0].upper()
                if verb == "EHLO":
                    self.reset()
                    for text in ("localhost greets you", "8BITMIME", "SIZE 104857600", "AUTH PLAIN LOGIN"):
                        self.send(f"250-{text}")
                    self.send("250 SMTPUTF8")
                elif verb == "HELO":
                    self.reset()
                    self.send("250 localhost")
                elif verb == "AUTH":
                    self.auth(line.split()[1:])
                elif verb == "MAIL":
                    m = ADDRESS.match(line)
                    if not m:
                        self.send("501 5.5.4 Syntax: MAIL FROM:<address>")
                    else:
                        self.reset()
                        self.sender = m.group(1)
                        self.send("250 2.1.0 Ok")
                elif verb == "RCPT":
                    m = ADDRESS.match(line)
                    if self.sender is None:
                        self.send("503 5.5.1 Error: need MAIL command")
                    elif not m or not m.group(1):
                        self.send("501 5.5.4 Syntax: RCPT TO:<address>")
                    else:
                        self.recipients.append(m.group(1))
                        self.send("250 2.1.5 Ok")
                elif verb == "DATA":
                    if not self.recipients:
                        self.send("503 5.5.1 Error: need RCPT command")
                        continue
                    self.send("354 End data with <CR><LF>.<CR><LF>")
                    self.data()
                elif verb == "RSET":
                    self.reset()
                    self.send("250 2.0.0 Ok")
                elif verb == "NOOP":
                    self.send("250 2.0.0 Ok")
                elif verb == "VRFY":
                    self.send("252 2.0.0 Cannot VRFY user, but will accept message")
                elif verb == "QUIT":
                    self.send("221 2.0.0 Bye")
                    return
                else:
                    self.send(f"502 5.5.2 Error: command not recognized: {verb[:20]}")
        except (ConnectionResetError, BrokenPipeError, TimeoutError, OSError):
            return

    def auth(self, args):
        mech = args[0].upper() if args else ""
        if mech == "PLAIN":
            token = args[1] if len(args) > 1 else (self.send("334 ") or self.readline())
            parts = base64.b64decode(token + "==").split(b"\0") if token != "=" else [b""]
            self.user = parts[1].decode("utf-8", "replace") if len(parts) > 2 else ""
        elif mech == "LOGIN":
            token = args[1] if len(args) > 1 else (self.send("334 VXNlcm5hbWU6") or self.readline())
            self.user = base64.b64decode(token + "==").decode("utf-8", "replace")
            self.send("334 UGFzc3dvcmQ6")
            self.readline()
        else:
            self.send("504 5.5.4 Unrecognized authentication type")
            return
        self.send("235 2.7.0 Authentication successful")

    def data(self):
        lines = []
        while True:
            raw = self.rfile.readline(1 << 20)
            if not raw:
                raise ConnectionResetError
            if raw in (b".\r\n", b".\n"):
                break
            lines.append(raw[1:] if raw.startswith(b".") else raw)   # dot-unstuffing
        record = {"from": self.sender, "to": self.recipients, "data": b"".join(lines).decode("utf-8", "replace")}
        if self.user is not None:
            record["auth"] = self.user
        if self.server.out:
            with self.server.lock, open(self.server.out, "a", encoding="utf-8") as f:
                f.write(json.dumps(record, ensure_ascii=False) + "\n")
        self.reset()
        self.send("250 2.0.0 Ok: queued")


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--out", help="append each message here as a JSON line")
    args = ap.parse_args()
    server = Server(("127.0.0.1", args.port), Session)
    server.out, server.lock = args.out, threading.Lock()
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown, daemon=True).start())
    print(server.server_address[1], flush=True)
    try:
        server.serve_forever(poll_interval=0.1)
    except KeyboardInterrupt:
        pass
    server.server_close()


if __name__ == "__main__":
    sys.exit(main())
