#!/usr/bin/env bash
# Shows that a change to the code changed no output: builds the default
# handbook, a generated 1,000-page handbook and a deliberately broken copy of
# the default handbook with a given binary, and compares the sites (byte for
# byte) and the broken one's diagnostics with a reference made earlier.
#
#   bash tests/refactor-identical.sh save BIN DIR    make the reference in DIR with BIN
#   bash tests/refactor-identical.sh compare BIN DIR compare BIN's output with DIR
#
# `save` also keeps the sources it built in DIR, so `compare` builds the very
# same files even after the default handbook's words have changed. The clock
# is fixed (HANDBOOK_TODAY) so dates in the pages match.
set -euo pipefail

mode=${1:?usage: refactor-identical.sh save|compare BIN DIR}
bin=$(realpath "${2:?binary}")
dir=${3:?reference folder}
here=$(cd "$(dirname "$0")" && pwd)
export HANDBOOK_TODAY=2027-06-15

# A copy of the default handbook with one of each kind of problem, so the
# list of diagnostics is compared too.
break_handbook() {
    local hb=$1
    cat >>"$hb/content/lead-professional/what-it-is.md" <<'EOF'

See [a missing page](nope.md), [a missing heading](why-needed.md#no-such-heading),
[a placeholder](#) and <span onclick="x()">raw handlers</span>.

# A second title
EOF
    sed -i 's/^kind = "textarea"$/kind = "texta"/' "$hb/forms/early-help-review.toml"
    sed -i '0,/^next = "/s/^next = "\([a-z0-9-]*\)"/next = "\1-typo"/' "$hb/forms/decisions/level-of-need.toml"
    sed -i '0,/accountability.md" }/s//accountability.md#nowhere" }/' "$hb/forms/decisions/lead-professional.toml"
    sed -i 's#"content/lead-professional/support.md",#"content/lead-professional/suport.md",#' "$hb/handbook.toml"
    sed -i 's/^reviewed = .*/reviewed = 2020-01-01/' "$hb/content/about/privacy.md"
    printf '\n[[term]]\nterm = "ZZ"\ndefinition = "See [a missing page](content/nope.md)."\n' >>"$hb/glossary.toml"
    sed -i '0,/^intro = """$/s//intro = """\nSee [the guide](..\/content\/nope.md#x)./' "$hb/forms/early-help-assessment.toml"
}

build_all() {
    local src=$1 out=$2
    rm -rf "$out"
    mkdir -p "$out"
    # stdout says how long the build took: only the diagnostics are kept.
    "$bin" build --root "$src/default" --out "$out/default" >/dev/null 2>"$out/default.stderr"
    "$bin" build --root "$src/corpus" --out "$out/corpus" >/dev/null 2>"$out/corpus.stderr"
    set +e
    "$bin" check --root "$src/broken" >"$out/broken.stdout" 2>"$out/broken.stderr"
    echo "exit $?" >>"$out/broken.stdout"
    set -e
}

case "$mode" in
save)
    rm -rf "$dir"
    mkdir -p "$dir/src"
    "$bin" new "$dir/src/default" >/dev/null
    "$bin" new "$dir/src/broken" >/dev/null
    break_handbook "$dir/src/broken"
    python3 "$here/bench/corpus.py" "$dir/src/corpus" 1000 >/dev/null
    build_all "$dir/src" "$dir/out"
    echo "reference saved in $dir ($(find "$dir/out" -type f | wc -l) files)"
    ;;
compare)
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    build_all "$dir/src" "$tmp"
    # The build's own state (manifest with times and inodes) differs on every build.
    if diff -r --exclude=.handbook-build "$dir/out" "$tmp" >"$tmp.diff" 2>&1; then
        echo "identical: $(find "$tmp" -type f | wc -l) files (default handbook, 1,000-page corpus, broken handbook's diagnostics)"
        rm -f "$tmp.diff"
    else
        echo "DIFFERENT:"
        head -100 "$tmp.diff"
        rm -f "$tmp.diff"
        exit 1
    fi
    ;;
*)
    echo "usage: refactor-identical.sh save|compare BIN DIR" >&2
    exit 2
    ;;
esac
