#!/usr/bin/env bash
# Connections benchmark for `handbook serve`: many keep-alive connections
# and live-reload event streams at once, as several browsers with many tabs
# make them.
#
#   bash tests/bench/connections.sh [CONNECTIONS] [STREAMS] [REQUESTS]
#
# Starts the release binary's `serve` on the default handbook, opens
# STREAMS event streams (default 16) and CONNECTIONS keep-alive connections
# (default 48), then every connection sends REQUESTS requests (default 20)
# one after another, all connections at once. Reports the time each request
# took (median, 95th percentile, slowest), the time until every stream
# heard of an edit, and the server's thread count idle and with everything
# open (from /proc). Nothing is asserted: these are numbers.
set -euo pipefail
cd "$(dirname "$0")/../.."
CONNECTIONS="${1:-48}"
STREAMS="${2:-16}"
REQUESTS="${3:-20}"

cargo build --release --quiet
BIN="$PWD/target/release/handbook"
WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

"$BIN" new "$WORK/hb" >/dev/null
"$BIN" serve --root "$WORK/hb" --port 0 >"$WORK/out.txt" 2>"$WORK/err.txt" &
SERVER_PID=$!
for _ in $(seq 1 300); do
  grep -q '^Watching ' "$WORK/out.txt" 2>/dev/null && break
  sleep 0.1
done
grep -q '^Watching ' "$WORK/out.txt" || { cat "$WORK/out.txt" "$WORK/err.txt"; echo "serve did not start"; exit 1; }

python3 - "$WORK" "$SERVER_PID" "$CONNECTIONS" "$STREAMS" "$REQUESTS" <<'PY'
import os, re, socket, statistics, sys, threading, time

work, pid, connections, streams, requests = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:])
port = int(re.search(r"http://127\.0\.0\.1:(\d+)/", open(os.path.join(work, "out.txt")).read()).group(1))
paths = ["/", "/lead-professional/what-it-is.html", "/assets/style.css", "/search.html", "/assets/nav.js"]

def threads():
    return len(os.listdir(f"/proc/{pid}/task")) if os.path.isdir(f"/proc/{pid}/task") else -1

def read_response(f):
    length = None
    status = f.readline()
    while True:
        line = f.readline()
        if line in (b"\r\n", b""):
            break
        name, _, value = line.decode().partition(":")
        if name.lower() == "content-length":
            length = int(value)
    f.read(length or 0)
    return int(status.split()[1])

idle = threads()
event_socks = []
for _ in range(streams):
    s = socket.create_connection(("127.0.0.1", port), timeout=60)
    s.sendall(b"GET /__handbook/events HTTP/1.1\r\nHost: localhost\r\n\r\n")
    event_socks.append(s)
socks = [socket.create_connection(("127.0.0.1", port), timeout=60) for _ in range(connections)]
times, failures = [], []
lock = threading.Lock()
start = threading.Barrier(connections + 1)

def client(i, s):
    f = s.makefile("rb")
    start.wait()
    for r in range(requests):
        path = paths[(i + r) % len(paths)]
        t = time.perf_counter()
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode())
        status = read_response(f)
        took = (time.perf_counter() - t) * 1000
        with lock:
            times.append(took)
            if status != 200:
                failures.append((path, status))

workers = [threading.Thread(target=client, args=(i, s)) for i, s in enumerate(socks)]
for w in workers:
    w.start()
start.wait()
began = time.perf_counter()
for w in workers:
    w.join()
wall = time.perf_counter() - began
busy = threads()

# Every stream hears of an edit.
page = os.path.join(work, "hb/content/lead-professional/what-it-is.md")
text = open(page).read()
for s in event_socks:
    s.recv(65536)  # the state on connecting
t = time.perf_counter()
open(page, "w").write(text.replace("The role matters when", "Edited. The role matters when", 1))
for s in event_socks:
    buf = b""
    while b"event: state" not in buf:
        buf += s.recv(65536)
heard = (time.perf_counter() - t) * 1000

times.sort()
print(f"{connections} keep-alive connections x {requests} requests, {streams} event streams open")
print(f"  requests: {len(times)} in {wall:.2f} s, {len(failures)} not 200")
print(f"  per request: median {statistics.median(times):.1f} ms, 95% {times[int(len(times) * 0.95) - 1]:.1f} ms, slowest {times[-1]:.1f} ms")
print(f"  every stream heard the edit {heard:.0f} ms after the save")
print(f"  server threads: {idle} idle, {busy} with {connections + streams} connections open")
PY
