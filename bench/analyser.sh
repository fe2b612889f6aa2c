#!/usr/bin/env bash
# The analyser's speed on a synthetic corpus: a full run, an idle run, and the run after one
# new article (what a cron job does all day), five times with their median, each with the
# load average. Usage: bash bench/analyser.sh [ARTICLES]
set -euo pipefail
cd "$(dirname "$0")/.."

articles=${1:-10000}
bin=target/release
cargo build --release --locked --quiet --bins --example synth_corpus -p analyser -p normaliser
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

seconds() {
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s.%N)
    awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }'
}

echo "== analyser on a synthetic corpus of $articles articles (corpus in $work)"
target/release/examples/synth_corpus --out "$work" --articles "$articles" 2>/dev/null
echo "normaliser, first run:                    $(seconds $bin/normaliser --corpus "$work" -q) s (store $(du -ch "$work"/store.sqlite* | tail -1 | cut -f1))"
echo "full run (every article extracted):       $(seconds $bin/analyser --corpus "$work" -q) s at load $(cut -d' ' -f1 /proc/loadavg)"
echo "idle run (nothing new):                   $(seconds $bin/analyser --corpus "$work" -q) s at load $(cut -d' ' -f1 /proc/loadavg)"
# One new article, five times over (a new one each time): the machine's load moves the figures.
new=()
for n in 0 1 2 3 4; do
    target/release/examples/synth_corpus --out "$work" --first $((articles + n)) --articles 1 2>/dev/null
    normalised=$(seconds $bin/normaliser --corpus "$work" -q)
    load=$(cut -d' ' -f1 /proc/loadavg)
    new+=("$(seconds $bin/analyser --corpus "$work" -q)")
    echo "one new article (incremental):            ${new[-1]} s at load $load (normaliser $normalised s)"
done
echo "  median of the five:                     $(printf '%s\n' "${new[@]}" | sort -n | sed -n 3p) s"
echo "  where the time goes (-v):"
touch "$work/normalised/synth_000003.json"
$bin/analyser --corpus "$work" -v --log-format json 2>&1 | grep '"elapsed_ms"' |
    sed -E 's/.*"message":"([^"]*)","elapsed_ms":([0-9]+).*/    \2 ms  \1/'
echo "  load: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine slows every figure)"
touch "$work/normalised/synth_000007.json"
echo "one touched record (read, not extracted): $(seconds $bin/analyser --corpus "$work" -q) s at load $(cut -d' ' -f1 /proc/loadavg)"
echo "store size: $(du -ch "$work"/store.sqlite* | tail -1 | cut -f1), report: $(du -ch "$work"/report/* | tail -1 | cut -f1)"
