#!/usr/bin/env python3
"""Opens WebSockets and TCP echo connections through a Roundhouse balancer, holds them, and checks
with the balancer's /api/nodes that every backend got its fair share (within one), that each
backend reports the same count itself, and that they all drop to zero once closed.

Standard library only. Exit code 0 when every check passes; prints one line per check.
"""

import argparse
import base64
import json
import os
import socket
import sys
import time
import urllib.request


def api_nodes(host, port):
    with urllib.request.urlopen(f"http://{host}:{port}/api/nodes", timeout=5) as r:
        return json.load(r)["nodes"]


def recv_exactly(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise ConnectionError(f"closed after {len(data)} of {n} bytes")
        data += chunk
    return data


def open_websocket(host, port, path="/ws"):
    """The upgrade, then the server's first text frame (ws-service's welcome, naming the node)."""
    sock = socket.create_connection((host, port), timeout=10)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(
        (
            f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
    )
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = sock.recv(1)
        if not chunk:
            raise ConnectionError("closed during the upgrade")
        head += chunk
    status = head.split(b"\r\n", 1)[0].decode()
    if " 101 " not in status + " ":
        raise ConnectionError(f"upgrade refused: {status}")
    b0, b1 = recv_exactly(sock, 2)
    length = b1 & 0x7F
    if length == 126:
        length = int.from_bytes(recv_exactly(sock, 2), "big")
    elif length == 127:
        length = int.from_bytes(recv_exactly(sock, 8), "big")
    payload = recv_exactly(sock, length)
    if b0 & 0x0F != 1:
        raise ConnectionError(f"first frame is not text (opcode {b0 & 0x0F})")
    return sock, json.loads(payload)


def open_echo(host, port, i):
    sock = socket.create_connection((host, port), timeout=10)
    line = f"hello {i}\n".encode()
    sock.sendall(line)
    echoed = recv_exactly(sock, len(line))
    if echoed != line:
        raise ConnectionError(f"echo mismatch: sent {line!r}, got {echoed!r}")
    return sock


def check_spread(nodes, service, expected_nodes, clients):
    ours = [n for n in nodes if n["service"] == service]
    counts = {n["id"]: n["activeConnections"] for n in ours}
    fair = clients / expected_nodes
    ok = len(ours) == expected_nodes and all(abs(c - fair) <= 1 for c in counts.values())
    ok = ok and sum(counts.values()) == clients
    print(f"{'ok  ' if ok else 'FAIL'} {service}: {clients} connections over {len(ours)} nodes "
          f"(fair {fair:g} each, within 1): {counts}")
    return ok


def wait_for(description, timeout, predicate):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        ok, last = predicate()
        if ok:
            print(f"ok   {description}")
            return True
        time.sleep(0.25)
    print(f"FAIL {description}: {last}")
    return False


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--http-port", type=int, required=True)
    p.add_argument("--tcp-port", type=int, required=True)
    p.add_argument("--admin-port", type=int, required=True)
    p.add_argument("--clients", type=int, default=30)
    p.add_argument("--echo-nodes", type=int, default=3)
    p.add_argument("--ws-nodes", type=int, default=3)
    p.add_argument("--timeout", type=float, default=60)
    a = p.parse_args()
    deadline = time.monotonic() + a.timeout
    ok = True

    sockets = []
    welcomed = {}
    try:
        for _ in range(a.clients):
            sock, welcome = open_websocket(a.host, a.http_port)
            sockets.append(sock)
            welcomed[welcome.get("node")] = welcomed.get(welcome.get("node"), 0) + 1
        print(f"ok   {a.clients} WebSocket upgrades through the balancer; welcomed by {welcomed}")
        for i in range(a.clients):
            sockets.append(open_echo(a.host, a.tcp_port, i))
        print(f"ok   {a.clients} TCP connections echoed through the balancer")

        nodes = api_nodes(a.host, a.admin_port)
        ok &= check_spread(nodes, "ws", a.ws_nodes, a.clients)
        ok &= check_spread(nodes, "echo", a.echo_nodes, a.clients)
        ok &= len(welcomed) == a.ws_nodes
        if len(welcomed) != a.ws_nodes:
            print(f"FAIL welcome frames named {len(welcomed)} ws nodes, not {a.ws_nodes}")

        # The nodes publish their own counts every 500 ms: the same connections, seen from the
        # other end.
        def reports_agree():
            ns = api_nodes(a.host, a.admin_port)
            pairs = {n["id"]: (n["activeConnections"], n["reportedActiveConnections"]) for n in ns}
            return all(lb == rep for lb, rep in pairs.values()), pairs

        ok &= wait_for("every node reports the connections the balancer holds to it",
                       min(15, max(1, deadline - time.monotonic())), reports_agree)
    finally:
        for s in sockets:
            s.close()

    def all_closed():
        ns = api_nodes(a.host, a.admin_port)
        active = {n["id"]: n["activeConnections"] for n in ns}
        return all(v == 0 for v in active.values()), active

    ok &= wait_for("every connection closed on the balancer",
                   min(15, max(1, deadline - time.monotonic())), all_closed)
    return 0 if ok else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (OSError, ValueError, KeyError) as e:
        print(f"FAIL {type(e).__name__}: {e}")
        sys.exit(1)
