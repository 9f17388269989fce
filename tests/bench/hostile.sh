#!/usr/bin/env bash
# Times `handbook check` (and `build`) on the hostile inputs of issue #9,
# the same ones tests/hardening.rs runs: a page of 30,000 `## a` headings,
# a glossary of 20,000 terms, a decision tree of 30,000 questions in one
# chain, and a page of 2,000 Word-pasted table rows. Prints wall and CPU
# seconds for each. Before the fixes the first two took minutes (making
# ids and indexing the glossary file per term were quadratic) and the
# third aborted with a stack overflow.
#
#   bash tests/bench/hostile.sh
#   BIN=/path/to/older/handbook bash tests/bench/hostile.sh    # compare another build
#   BENCH_DIR=/tmp/h N_HEADINGS=60000 bash tests/bench/hostile.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK=${BENCH_DIR:-/tmp/handbook-hostile}
if [ -z "${BIN:-}" ]; then
  cargo build --release --quiet
  BIN=$PWD/target/release/handbook
fi
N_HEADINGS=${N_HEADINGS:-30000}
N_TERMS=${N_TERMS:-20000}
N_QUESTIONS=${N_QUESTIONS:-30000}
N_ROWS=${N_ROWS:-2000}
LIMIT=${LIMIT:-600}
rm -rf "$WORK"
mkdir -p "$WORK"

fresh() {
  "$BIN" new "$WORK/$1" >/dev/null
  echo "$WORK/$1"
}

python3 - "$(fresh headings)" "$(fresh glossary)" "$(fresh chain)" "$(fresh word)" "$N_HEADINGS" "$N_TERMS" "$N_QUESTIONS" "$N_ROWS" <<'EOF'
import sys
headings, glossary, chain, word = sys.argv[1:5]
n_h, n_t, n_q, n_r = map(int, sys.argv[5:9])
open(f"{headings}/content/many.md", "w").write('+++\ntitle = "Many"\n+++\n' + "## a\n\n" * n_h)
g = ['title = "Glossary"\n']
for i in range(n_t):
    g.append(f'[[term]]\nterm = "T{i}"\nexpansion = "Term {i}"\ndefinition = "What term {i} means."\n')
open(f"{glossary}/glossary.toml", "w").write("".join(g))
t = ['title = "A long chain"\nstart = "q1"\n']
for i in range(1, n_q + 1):
    nxt = f"q{i + 1}" if i < n_q else "end"
    t.append(f'[[question]]\nid = "q{i}"\ntext = "Question {i}?"\n[[question.answer]]\nlabel = "Yes"\nnext = "{nxt}"\n'
             f'[[question.answer]]\nlabel = "No"\nnext = "end"\n')
t.append('[[outcome]]\nid = "end"\ntitle = "The end"\n')
open(f"{chain}/forms/decisions/chain.toml", "w").write("".join(t))
row = ("<tr style='mso-yfti-irow:1'><td width=200 valign=top style='width:150pt;border:solid windowtext 1pt'>"
       "<p class=MsoNormal><span style='font-family:\"Arial\"'>Cell<o:p></o:p></span></p></td></tr>\n")
open(f"{word}/content/word.md", "w").write('+++\ntitle = "Word"\n+++\n\n<table class=MsoTableGrid>\n' + row * n_r + "</table>\n")
EOF

run() {
  local name=$1; shift
  local start end
  start=$(date +%s.%N)
  if /usr/bin/time -f "%U %S" -o "$WORK/$name.cpu" timeout "$LIMIT" "$BIN" "$@" >/dev/null 2>"$WORK/$name.err"; then status=ok; else status="exit $?"; fi
  end=$(date +%s.%N)
  local cpu
  cpu=$(tail -1 "$WORK/$name.cpu" 2>/dev/null | awk '{ printf "%.2f", $1 + $2 }')
  printf '%-34s %8.2f s wall %8s s CPU   %s\n' "$name" "$(echo "$end - $start" | bc)" "${cpu:-?}" "$status"
}

echo "handbook: $BIN"
run "check: $N_HEADINGS headings" check --root "$WORK/headings"
run "check: $N_TERMS glossary terms" check --root "$WORK/glossary"
run "check: $N_QUESTIONS chained questions" check --root "$WORK/chain"
run "build: $N_QUESTIONS chained questions" build --root "$WORK/chain" --out "$WORK/chain-site"
run "check: $N_ROWS Word table rows" check --root "$WORK/word"
