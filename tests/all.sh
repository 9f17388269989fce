#!/usr/bin/env bash
# Every test of the project, as a newcomer or CI runs them:
# formatting, lints, Rust unit and integration tests, then the browser tests
# (which install Debian's Chromium and the npm packages when missing).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== cargo fmt --check"
cargo fmt --check
echo "== cargo clippy"
cargo clippy --all-targets --quiet -- -D warnings
echo "== cargo test"
cargo test --quiet
echo "== browser tests"
cargo build --release --quiet
bash tests/browser/setup.sh
cd tests/browser
HANDBOOK_BIN="$PWD/../../target/release/handbook" node --test --test-concurrency=1 "$@"
