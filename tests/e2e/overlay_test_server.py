#!/usr/bin/env python3
"""A static file server for the overlay/mirror tests, on 127.0.0.1 only.

Beyond `python3 -m http.server` it logs every request ("GET <path> <Range or ->") to a file so a
test can count what a run fetched, honours `Range: bytes=N-` (206 + Content-Range) so resumed
downloads can be tested, and with --drop-once NAME closes the connection half-way through the
body of the first request for each named file, as a flaky network would.
"""
import argparse
import http.server
import os
import socket
import threading


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--drop-once", action="append", default=[])
    args = parser.parse_args()
    root = os.path.realpath(args.root)
    lock = threading.Lock()
    dropped = set()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *unused):
            pass

        def do_GET(self):
            path = self.path.split("?", 1)[0]
            wanted = self.headers.get("Range", "-")
            with lock, open(args.log, "a") as log:
                log.write(f"GET {path} {wanted}\n")
            file = os.path.realpath(os.path.join(root, path.lstrip("/")))
            if not file.startswith(root + os.sep) or not os.path.isfile(file):
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            with open(file, "rb") as f:
                data = f.read()
            start = 0
            if wanted.startswith("bytes="):
                start = int(wanted[6:].split("-", 1)[0])
                if start >= len(data):
                    self.send_response(416)
                    self.send_header("Content-Range", f"bytes */{len(data)}")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
            body = data[start:]
            self.send_response(206 if start else 200)
            self.send_header("Content-Length", str(len(body)))
            if start:
                self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
            self.end_headers()
            name = os.path.basename(file)
            with lock:
                drop = name in args.drop_once and name not in dropped and len(body) > 1
                if drop:
                    dropped.add(name)
            if drop:
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.serve_forever()


if __name__ == "__main__":
    main()
