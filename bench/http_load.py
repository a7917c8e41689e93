"""A closed-loop HTTP load generator: a few threads, one keep-alive connection each.

Each thread replays pre-built request bytes (see ``sdk_shape``) and reads the
response with a minimal HTTP/1.1 parser (status line + Content-Length), so the
client spends microseconds per request and the server is the bottleneck.
"""
from __future__ import annotations

import selectors
import socket
import threading
import time


def _head(buf: bytes, end: int) -> tuple[int, int]:
    """A response head ending at ``end``: its status, and where its body ends."""
    head = buf[:end].decode("latin-1")
    length = 0
    for line in head.split("\r\n")[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
            break
    return int(head[9:12]), end + 4 + length


class Connection:
    def __init__(self, host: str, port: int):
        self.sock = socket.create_connection((host, port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def roundtrip(self, raw: bytes) -> tuple[int, bytes]:
        self.sock.sendall(raw)
        buf = self.buf
        while True:
            end = buf.find(b"\r\n\r\n")
            if end >= 0:
                break
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("server closed the connection")
            buf += chunk
        status, body_end = _head(buf, end)
        while len(buf) < body_end:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("server closed the connection")
            buf += chunk
        self.buf = buf[body_end:]
        return status, buf[end + 4:body_end]

    def close(self):
        self.sock.close()


def get(host: str, port: int, raw: bytes) -> tuple[int, bytes]:
    c = Connection(host, port)
    try:
        return c.roundtrip(raw)
    finally:
        c.close()


def run_load(host: str, port: int, raw: bytes, expect: int, threads: int,
             seconds: float) -> dict:
    """Hammer one request for ``seconds`` from ``threads`` connections.

    Returns {"n", "elapsed", "rps", "lat_ns": [...], "errors"}.
    """
    conns = [Connection(host, port) for _ in range(threads)]
    lats: list[list[int]] = [[] for _ in range(threads)]
    errors = [0] * threads
    start = threading.Barrier(threads + 1)
    stop_at = [0.0]

    def worker(i):
        conn, out, clock = conns[i], lats[i], time.perf_counter_ns
        start.wait()
        deadline = stop_at[0]
        while True:
            t0 = clock()
            status, _ = conn.roundtrip(raw)
            t1 = clock()
            out.append(t1 - t0)
            if status != expect:
                errors[i] += 1
            if t1 >= deadline:
                break

    ts = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(threads)]
    for t in ts:
        t.start()
    begin = time.perf_counter_ns()
    stop_at[0] = begin + int(seconds * 1e9)
    start.wait()
    for t in ts:
        t.join()
    elapsed = (time.perf_counter_ns() - begin) / 1e9
    for c in conns:
        c.close()
    all_lats = [x for l in lats for x in l]
    return {"n": len(all_lats), "elapsed": elapsed, "rps": len(all_lats) / elapsed,
            "lat_ns": all_lats, "errors": sum(errors)}


def run_load_select(host: str, port: int, raw: bytes, expect: int, conns: int,
                    seconds: float) -> dict:
    """Like ``run_load``, from one thread multiplexing ``conns`` keep-alive connections with a
    selector: with many connections, client threads would queue on this process's GIL and
    their waits would show in the latencies. Same result shape."""
    sel = selectors.DefaultSelector()
    socks = []
    for i in range(conns):
        s = socket.create_connection((host, port))
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        socks.append(s)
    lats: list[int] = []
    errors = 0
    clock = time.perf_counter_ns
    state = {}   # sock -> [buffer, header end, body end, status, started]
    begin = clock()
    deadline = begin + int(seconds * 1e9)
    for s in socks:
        s.sendall(raw)
        state[s] = [b"", -1, -1, 0, clock()]
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ)
    open_ = len(socks)
    while open_:
        for key, _ in sel.select():
            s = key.fileobj
            st = state[s]
            chunk = s.recv(65536)
            if not chunk:
                raise ConnectionError("server closed the connection")
            st[0] += chunk
            buf = st[0]
            if st[1] < 0:
                end = buf.find(b"\r\n\r\n")
                if end < 0:
                    continue
                st[3], st[2] = _head(buf, end)
                st[1] = end
            if len(buf) < st[2]:
                continue
            now = clock()
            lats.append(now - st[4])
            if st[3] != expect:
                errors += 1
            rest = buf[st[2]:]
            if now >= deadline:
                sel.unregister(s)
                open_ -= 1
                continue
            state[s] = [rest, -1, -1, 0, now]
            s.setblocking(True)
            s.sendall(raw)
            s.setblocking(False)
    elapsed = (clock() - begin) / 1e9
    for s in socks:
        s.close()
    sel.close()
    return {"n": len(lats), "elapsed": elapsed, "rps": len(lats) / elapsed, "lat_ns": lats,
            "errors": errors}
