#!/usr/bin/env bash
# Rebuild benchmark for `handbook serve`: a 1,000-page handbook, one-page
# edits, and the time from each save to the reload signal.
#
#   bash tests/bench/rebuild.sh [PAGES] [EDITS]
#
# Generates the corpus with tests/bench/corpus.py, starts the release
# binary's `serve` on a free port, subscribes to its event stream like an
# open page does, then edits pages one at a time. For each edit it reports
#   - rebuild: from the rebuild's start to the reload signal (the server's
#     own figure, printed in its terminal),
#   - save->reload: from writing the file to the reload signal arriving
#     (includes the watcher's debounce, measured from outside),
# for body-only edits (one page re-rendered) and for title edits (the whole
# site, because navigation changes). Nothing is asserted: these are numbers.
set -euo pipefail
cd "$(dirname "$0")/../.."
PAGES="${1:-1000}"
EDITS="${2:-20}"

cargo build --release --quiet
BIN="$PWD/target/release/handbook"
WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

python3 tests/bench/corpus.py "$WORK/hb" "$PAGES"
echo "corpus: $PAGES pages in $WORK/hb"

"$BIN" serve --root "$WORK/hb" --port 0 >"$WORK/out.txt" 2>"$WORK/err.txt" &
SERVER_PID=$!
for _ in $(seq 1 300); do
  grep -q '^Watching ' "$WORK/out.txt" 2>/dev/null && break
  sleep 0.1
done
grep -q '^Watching ' "$WORK/out.txt" || { cat "$WORK/out.txt" "$WORK/err.txt"; echo "serve did not start"; exit 1; }
head -1 "$WORK/out.txt"

python3 - "$WORK" "$EDITS" <<'PY'
import json, os, re, socket, statistics, sys, time

work, edits = sys.argv[1], int(sys.argv[2])
root = os.path.join(work, "hb")
out = open(os.path.join(work, "out.txt")).read()
port = int(re.search(r"http://127\.0\.0\.1:(\d+)/", out).group(1))

sock = socket.create_connection(("127.0.0.1", port))
sock.sendall(b"GET /__handbook/events HTTP/1.1\r\nHost: localhost\r\n\r\n")
buf = b""

def next_state(timeout=30):
    global buf
    sock.settimeout(timeout)
    event = None
    while True:
        while b"\n" not in buf:
            chunk = sock.recv(65536)
            if not chunk:
                raise SystemExit("event stream closed")
            buf += chunk
        line, buf = buf.split(b"\n", 1)
        line = line.decode().rstrip("\r")
        if line.startswith("event: "):
            event = line[7:]
        elif line.startswith("data: ") and event == "state":
            return json.loads(line[6:])

version = next_state()["version"]
pages = sorted(
    os.path.join(d, f) for d, _, fs in os.walk(os.path.join(root, "content")) for f in fs if f.startswith("page-")
)

def edit(kind, i):
    global version
    path = pages[(i * 97) % len(pages)]
    text = open(path).read()
    if kind == "body":
        text = text.replace("## Part 1\n\n", f"## Part 1\n\nEdit {i} at {time.time()}. ", 1)
    else:
        text = re.sub(r'title = "([^"]*)"', lambda m: f'title = "{m.group(1)} ({i})"', text, count=1)
    start = time.perf_counter()
    with open(path, "w") as f:
        f.write(text)
    while True:
        state = next_state()
        if state["version"] != version:
            break
    version = state["version"]
    took = (time.perf_counter() - start) * 1000
    time.sleep(0.3)  # let the server finish its follow-up work before the next edit
    return took

results = {"body": [], "title": []}
for i in range(edits):
    results["body"].append(edit("body", i))
for i in range(max(3, edits // 5)):
    results["title"].append(edit("title", edits + i))

time.sleep(0.2)
lines = open(os.path.join(work, "out.txt")).read().splitlines()
server = {"body": [], "title": []}
for line in lines:
    m = re.search(r"rebuilt (1 page|the whole site) in ([\d.]+) ms", line)
    if m:
        server["body" if m.group(1) == "1 page" else "title"].append(float(m.group(2)))

def row(name, xs):
    if not xs:
        return f"{name:42} (none)"
    xs = sorted(xs)
    return f"{name:42} n={len(xs):3}  median {statistics.median(xs):7.1f} ms  max {xs[-1]:7.1f} ms"

print()
print(row("one-page edit: rebuild -> reload", server["body"]))
print(row("one-page edit: save -> reload signal", results["body"]))
print(row("title edit (full): rebuild -> reload", server["title"]))
print(row("title edit (full): save -> reload signal", results["title"]))
PY
