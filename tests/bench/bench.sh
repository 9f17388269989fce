#!/usr/bin/env bash
# Times `handbook build` on generated handbooks of 1,000 and 10,000 pages
# (tests/bench/corpus.py: four sections of text, a list, a table and a
# cross-link per page), and Hugo on the same pages when Debian's hugo is
# installed or can be. Prints the median of several runs, pages per second,
# CPU time, and the size of the site per page (which should not grow with
# the number of pages).
#
#   bash tests/bench/bench.sh              # 1000 and 10000 pages
#   bash tests/bench/bench.sh 2000 5000    # other sizes
#   RUNS=3 HUGO=0 BENCH_DIR=/tmp/b bash tests/bench/bench.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO=$PWD
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000 10000)
WORK=${BENCH_DIR:-/tmp/handbook-bench}
HUGO=${HUGO:-1}
mkdir -p "$WORK"

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo -n"; fi
install_debian() {
  # Best effort: only Debian packages, only when missing.
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null 2>&1 ||
    { $SUDO apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null 2>&1; } || true
}
command -v hyperfine >/dev/null || install_debian hyperfine
if [ "$HUGO" = 1 ] && ! command -v hugo >/dev/null; then install_debian hugo; fi

cargo build --release --quiet
BIN=$REPO/target/release/handbook

# median wall seconds, mean user+system seconds of COMMAND over RUNS runs
time_it() {
  local name=$1 runs=$2 cmd=$3 json=$WORK/$1.json
  if command -v hyperfine >/dev/null; then
    hyperfine --style none --warmup 1 --runs "$runs" --export-json "$json" --command-name "$name" "$cmd" >/dev/null
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.3f %.3f" % (r["median"], r["user"] + r["system"]))' "$json"
  else
    python3 - "$runs" "$cmd" <<'EOF'
import os, resource, statistics, subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2]
subprocess.run(cmd, shell=True, check=True, stdout=subprocess.DEVNULL)  # warm-up
walls = []
before = resource.getrusage(resource.RUSAGE_CHILDREN)
for _ in range(runs):
    t = time.perf_counter()
    subprocess.run(cmd, shell=True, check=True, stdout=subprocess.DEVNULL)
    walls.append(time.perf_counter() - t)
after = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) / runs
print(f"{statistics.median(walls):.3f} {cpu:.3f}")
EOF
  fi
}

size_of() { du -sb "$1" | cut -f1; }

ROWS=()
row() { # tool pages median cpu bytes
  local pps per
  pps=$(python3 -c "print(f'{$2/$3:,.0f}')")
  per=$(python3 -c "print(f'{$5/$2/1024:.1f}')")
  ROWS+=("| $1 | $(python3 -c "print(f'{$2:,}')") | $3 s | $pps | $4 s | $(python3 -c "print(f'{$5/1e6:.1f}')") MB | $per KB |")
}

for n in "${SIZES[@]}"; do
  runs=${RUNS:-$([ "$n" -le 2000 ] && echo 10 || echo 5)}
  python3 tests/bench/corpus.py "$WORK/handbook-$n" "$n" >/dev/null
  rm -rf "$WORK/site-$n"
  echo "handbook, $n pages, $runs runs..." >&2
  read -r median cpu < <(time_it "handbook-$n" "$runs" "$BIN build --root $WORK/handbook-$n --out $WORK/site-$n")
  row handbook "$n" "$median" "$cpu" "$(size_of "$WORK/site-$n")"

  if [ "$HUGO" = 1 ] && command -v hugo >/dev/null; then
    python3 tests/bench/corpus.py "$WORK/hugo-$n" "$n" --hugo >/dev/null
    hruns=$([ "$n" -le 2000 ] && echo "$runs" || echo 3)
    echo "hugo, $n pages, $hruns runs..." >&2
    rm -rf "$WORK/hugo-site-$n"
    read -r median cpu < <(time_it "hugo-$n" "$hruns" "hugo --quiet --source $WORK/hugo-$n --destination $WORK/hugo-site-$n")
    row "Hugo $(hugo version | grep -o 'v[0-9.]*' | head -1)" "$n" "$median" "$cpu" "$(size_of "$WORK/hugo-site-$n")"
  fi
done

{
  echo "$(date -u +%Y-%m-%d), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(uname -sr)"
  echo
  echo "| tool | pages | median wall time | pages per second | CPU time (user + system) | site size | size per page |"
  echo "| --- | --- | --- | --- | --- | --- | --- |"
  printf '%s\n' "${ROWS[@]}"
} | tee "$WORK/results.md"
