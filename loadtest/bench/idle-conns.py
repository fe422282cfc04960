#!/usr/bin/env python3
"""Holds COUNT idle HTTP/1.1 keep-alive connections to a server, each after one completed request.

gc-and-memory.sh uses it to measure a server's memory per open connection: every connection
sends one GET, reads the whole response, and then stays open and silent. Standard library only.

    idle-conns.py --host 127.0.0.1 --port 8080 --count 10000 --status-file S --stop-file F

Once every connection has had its answer (or failed), and every second after that, the status
file is rewritten with one JSON object: opened (answered 200 and kept), failed, open_now (still
open: the server has not closed them), and done (true once the opening phase is over). The
connections are held until the stop file exists or --max-hold seconds pass; then they are closed
and the last status is printed.
"""
import argparse
import errno
import json
import os
import resource
import selectors
import socket
import sys
import time


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--path", default="/")
    p.add_argument("--batch", type=int, default=256, help="connections being opened at once")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds for one connection's request")
    p.add_argument("--status-file", required=True)
    p.add_argument("--stop-file", required=True)
    p.add_argument("--max-hold", type=float, default=600.0)
    return p.parse_args()


def raise_fd_limit(needed):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        target = needed if hard == resource.RLIM_INFINITY else min(hard, needed)
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        soft = target
    if soft < needed:
        sys.exit(f"idle-conns: open file limit {soft} < {needed}; raise ulimit -n")


class Conn:
    """One connection's opening: connect, send the request, read its whole response."""

    def __init__(self, sock, request, deadline):
        self.sock = sock
        self.out = request
        self.buf = b""
        self.deadline = deadline

    def response_complete(self):
        head_end = self.buf.find(b"\r\n\r\n")
        if head_end < 0:
            return None
        head = self.buf[:head_end].decode("latin-1").lower().split("\r\n")
        status = head[0].split(" ")
        body = self.buf[head_end + 4:]
        length = None
        chunked = False
        for line in head[1:]:
            name, _, value = line.partition(":")
            if name.strip() == "content-length":
                length = int(value.strip())
            elif name.strip() == "transfer-encoding" and "chunked" in value:
                chunked = True
        if chunked:
            done = body.endswith(b"0\r\n\r\n")
        elif length is not None:
            done = len(body) >= length
        else:
            done = True
        if not done:
            return None
        return len(status) > 1 and status[1] == "200"


def write_status(path, status):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(status, f)
    os.replace(tmp, path)


def main():
    a = parse_args()
    raise_fd_limit(a.count + 64)
    request = (f"GET {a.path} HTTP/1.1\r\nHost: {a.host}:{a.port}\r\n"
               "User-Agent: idle-conns\r\nConnection: keep-alive\r\n\r\n").encode()
    sel = selectors.DefaultSelector()
    idle = []
    failed = 0
    started = 0
    opening = 0
    t0 = time.monotonic()

    def fail(conn):
        nonlocal failed, opening
        sel.unregister(conn.sock)
        conn.sock.close()
        failed += 1
        opening -= 1

    while started < a.count or opening > 0:
        while started < a.count and opening < a.batch:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setblocking(False)
            started += 1
            try:
                s.connect((a.host, a.port))
            except BlockingIOError:
                pass
            except OSError:
                s.close()
                failed += 1
                continue
            conn = Conn(s, request, time.monotonic() + a.timeout)
            sel.register(s, selectors.EVENT_WRITE, conn)
            opening += 1
        for key, _ in sel.select(timeout=0.5):
            conn = key.data
            try:
                if conn.out:
                    err = conn.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                    if err:
                        raise OSError(err, os.strerror(err))
                    sent = conn.sock.send(conn.out)
                    conn.out = conn.out[sent:]
                    if not conn.out:
                        sel.modify(conn.sock, selectors.EVENT_READ, conn)
                    continue
                data = conn.sock.recv(65536)
                if not data:
                    raise OSError(errno.ECONNRESET, "closed before the response")
                conn.buf += data
                ok = conn.response_complete()
                if ok is None:
                    continue
                sel.unregister(conn.sock)
                opening -= 1
                if ok:
                    idle.append(conn.sock)
                else:
                    conn.sock.close()
                    failed += 1
            except OSError:
                fail(conn)
        now = time.monotonic()
        for key in list(sel.get_map().values()):
            if key.data.deadline < now:
                fail(key.data)

    opened = len(idle)
    open_secs = time.monotonic() - t0
    # Held: a readable idle socket is one the server closed (or wrote to, which it should not).
    for s in idle:
        sel.register(s, selectors.EVENT_READ)
    open_now = opened
    status = {"opened": opened, "failed": failed, "open_now": open_now,
              "open_seconds": round(open_secs, 2), "done": True}
    write_status(a.status_file, status)
    hold_until = time.monotonic() + a.max_hold
    while not os.path.exists(a.stop_file) and time.monotonic() < hold_until:
        for key, _ in sel.select(timeout=1.0):
            try:
                data = key.fileobj.recv(4096)
            except OSError:
                data = b""
            if not data:
                sel.unregister(key.fileobj)
                key.fileobj.close()
                open_now -= 1
        status["open_now"] = open_now
        write_status(a.status_file, status)
    for key in list(sel.get_map().values()):
        key.fileobj.close()
    print(json.dumps(status))


if __name__ == "__main__":
    main()
