#!/usr/bin/env bash
# Builds the same generated handbooks (tests/bench/corpus.py: sections of
# 100 pages, each with four `##` sections of text, a list, a table and a
# link to a heading on another page) with handbook, Hugo, mdBook and, when
# a `zola` binary is on PATH, Zola, and for each tool measures:
#   - a full build into an empty folder (median of several runs, hyperfine),
#     its CPU time, peak memory (max RSS) and the site's size per page;
#   - a rebuild with nothing changed, and a rebuild after one page's text
#     changed: the time, and how many files were written (new inode, size
#     or time: what rsync or `aws s3 sync` would then copy).
# Prints a Markdown table (also saved as $BENCH_DIR/results.md).
#
#   bash tests/bench/bench.sh              # 1000 and 10000 pages
#   bash tests/bench/bench.sh 2000 5000    # other sizes
#   RUNS=3 TOOLS="handbook hugo" BENCH_DIR=/tmp/b bash tests/bench/bench.sh
#
# Installs what is missing: hyperfine and Hugo from Debian, mdBook with
# `cargo install mdbook` (several minutes on 2 cores). Zola is in neither
# Debian nor crates.io: put a `zola` binary on PATH to include it.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO=$PWD
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000 10000)
WORK=${BENCH_DIR:-/tmp/handbook-bench}
TOOLS=${TOOLS:-"handbook hugo mdbook zola"}
M="python3 $REPO/tests/bench/measure.py"
mkdir -p "$WORK"

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo -n"; fi
install_debian() {
  # Best effort: only Debian packages, only when missing.
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null 2>&1 ||
    { $SUDO apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null 2>&1; } || true
}
wanted() { [[ " $TOOLS " == *" $1 "* ]]; }
command -v hyperfine >/dev/null || install_debian hyperfine
command -v hyperfine >/dev/null || { echo "hyperfine is needed (apt-get install hyperfine)" >&2; exit 1; }
if wanted hugo && ! command -v hugo >/dev/null; then install_debian hugo; fi
export PATH="$PATH:$HOME/.cargo/bin"
if wanted mdbook && ! command -v mdbook >/dev/null; then
  echo "installing mdBook (cargo install mdbook; takes a few minutes)..." >&2
  nice cargo install mdbook --locked --quiet || true
fi

cargo build --release --quiet
BIN=$REPO/target/release/handbook

have() {
  case $1 in
    handbook) return 0 ;;
    *) command -v "$1" >/dev/null ;;
  esac
}
version() {
  case $1 in
    handbook) echo "handbook $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo dev)" ;;
    hugo) echo "Hugo $(hugo version | grep -o 'v[0-9.]*' | head -1)" ;;
    mdbook) echo "mdBook $(mdbook --version | grep -o 'v[0-9.]*')" ;;
    zola) echo "Zola $(zola --version | grep -o '[0-9][0-9.]*')" ;;
  esac
}
# build_cmd TOOL SRC OUT: the command that builds SRC into OUT
build_cmd() {
  case $1 in
    handbook) echo "$BIN build --root $2 --out $3" ;;
    hugo) echo "hugo --quiet --source $2 --destination $3" ;;
    mdbook) echo "mdbook build $2 --dest-dir $3" ;;
    zola) echo "zola --root $2 build --output-dir $3 --force" ;;
  esac
}
# the page the one-page rebuild edits
edited_page() {
  case $1 in
    mdbook) echo "$2/src/section-000/page-001.md" ;;
    *) echo "$2/content/section-000/page-001.md" ;;
  esac
}

# median wall seconds and mean user+system seconds of hyperfine's JSON
stats() {
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.3f %.3f" % (r["median"], r["user"] + r["system"]))' "$1"
}
fmt_s() { python3 -c "import sys; x=float(sys.argv[1]); print(f'{x*1000:.0f} ms' if x < 1 else f'{x:.2f} s')" "$1"; }

ROWS=()
for n in "${SIZES[@]}"; do
  runs=${RUNS:-$([ "$n" -le 2000 ] && echo 10 || echo 3)}
  reruns=${RUNS:-$([ "$n" -le 2000 ] && echo 10 || echo 3)}
  for tool in $TOOLS; do
    if ! have "$tool"; then
      echo "$tool is not installed: left out" >&2
      continue
    fi
    src=$WORK/$tool-$n
    out=$WORK/$tool-$n-site
    flag=$([ "$tool" = handbook ] && echo "" || echo "--$tool")
    python3 tests/bench/corpus.py "$src" "$n" $flag >/dev/null
    rm -rf "$out"
    cmd=$(build_cmd "$tool" "$src" "$out")
    if ! $cmd >/dev/null 2>"$WORK/$tool-$n.err"; then  # a first build, to see that it works
      echo "$tool failed on $n pages (see $WORK/$tool-$n.err): left out" >&2
      continue
    fi
    echo "$tool, $n pages: full builds ($runs runs)..." >&2
    hyperfine --style none --runs "$runs" --prepare "rm -rf $out" --export-json "$WORK/$tool-$n-full.json" "$cmd" >/dev/null
    read -r full cpu < <(stats "$WORK/$tool-$n-full.json")
    rm -rf "$out"
    rss=$($M rss $cmd 2>/dev/null)
    read -r bytes count < <($M size "$out")

    echo "$tool, $n pages: rebuilds with no change ($reruns runs)..." >&2
    sleep 0.2 # let file times settle, as they do between a user's builds
    $cmd >/dev/null 2>&1
    hyperfine --style none --warmup 1 --runs "$reruns" --export-json "$WORK/$tool-$n-same.json" "$cmd" >/dev/null
    read -r same _ < <(stats "$WORK/$tool-$n-same.json")
    $M snap "$out" "$WORK/snap.json"
    $cmd >/dev/null 2>&1
    read -r same_written _ < <($M written "$out" "$WORK/snap.json")

    echo "$tool, $n pages: rebuilds after a one-page edit ($reruns runs)..." >&2
    page=$(edited_page "$tool" "$src")
    hyperfine --style none --runs "$reruns" --prepare "$M edit $page" --export-json "$WORK/$tool-$n-edit.json" "$cmd" >/dev/null
    read -r edit _ < <(stats "$WORK/$tool-$n-edit.json")
    $M snap "$out" "$WORK/snap.json"
    $M edit "$page"
    $cmd >/dev/null 2>&1
    read -r edit_written _ < <($M written "$out" "$WORK/snap.json")

    ROWS+=("$(python3 - "$(version "$tool")" "$n" "$(fmt_s "$full")" "$(fmt_s "$cpu")" "$rss" "$bytes" "$count" \
      "$(fmt_s "$same")" "$same_written" "$(fmt_s "$edit")" "$edit_written" <<'EOF'
import sys
tool, n, full, cpu, rss, size, count, same, same_w, edit, edit_w = sys.argv[1:]
n, size = int(n), int(size)
print(f"| {tool} | {n:,} | {full} | {cpu} | {rss} MB | {size/1e6:.1f} MB | {size/n/1024:.1f} KB | {int(count):,} | {same} | {int(same_w):,} | {edit} | {int(edit_w):,} |")
EOF
)")
  done
done

{
  echo "$(date -u +%Y-%m-%d), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(uname -sr)"
  echo
  echo "| tool | pages | full build | CPU time | peak memory | site | per page | files | no-change rebuild | files written | one-page rebuild | files written |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  printf '%s\n' "${ROWS[@]}"
  if ! have zola; then
    echo
    echo "Zola was not on PATH. The figures to beat, quoted in issue #13 for this machine: 1,000 pages in 0.31 s (a 13 MB site);"
    echo "10,000 pages in 4.9 s with 217 MB peak memory. A no-change rebuild should take at most a tenth of that: 31 ms and 490 ms."
  fi
} | tee "$WORK/results.md"
