#!/usr/bin/env bash
# How the chain scales with the corpus (issue 16): for each size, a synthetic corpus of that
# many articles about INCIDENTS incidents (the synth_corpus example), then
#   - the first full run (normaliser, analyser with its report),
#   - an idle run (nothing new), and another two seconds later (the folders settled),
#   - one new article, three times over (a new one each time), with the median,
# each with its peak memory (maximum resident set size, from /usr/bin/time), and the sizes of
# the store (store.sqlite and state/) and of the largest report file. One corpus at a time
# is kept, in a temporary folder removed at the end.
#
# Usage: bash bench/scale.sh [SIZE...]   (default: 10000 100000; INCIDENTS=2000; SYNTH=path
# of the synth_corpus binary to use, default this build's)
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)
incidents=${INCIDENTS:-2000}
bin=${CARGO_TARGET_DIR:-target}/release
cargo build --release --locked --quiet --bins --example synth_corpus -p analyser -p normaliser
# SYNTH: another build's synth_corpus, to measure an older build on the same corpus
synth=${SYNTH:-${CARGO_TARGET_DIR:-target}/release/examples/synth_corpus}

work=""
trap '[ -n "$work" ] && rm -rf "$work"' EXIT

# Runs a command; prints "SECONDS PEAK_MB" (the command's output is dropped; a failure stops
# the benchmark with its error).
measure() {
    local out
    out=$(mktemp)
    if ! /usr/bin/time -f '%e %M' -o "$out" "$@" >/dev/null 2>"$out.err"; then
        echo "failed: $*" >&2
        cat "$out.err" >&2
        exit 1
    fi
    awk '{ printf "%.3f %.0f\n", $1, $2 / 1024 }' "$out"
    rm -f "$out" "$out.err"
}

# The median of its arguments.
median() {
    printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# Largest of its arguments.
largest() {
    printf '%s\n' "$@" | sort -n | tail -1
}

mb() {
    awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1048576 }'
}

rows=()
for size in "${sizes[@]}"; do
    work=$(mktemp -d /tmp/crosscheck-scale-XXXXXX)
    "$synth" --out "$work" --articles "$size" --incidents "$incidents" 2>/dev/null
    echo "== $size articles, $incidents incidents (corpus in $work)"
    read -r full_n mem_full_n < <(measure "$bin/normaliser" --corpus "$work" -q)
    read -r full_a mem_full_a < <(measure "$bin/analyser" --corpus "$work" -q)
    echo "first full run:  normaliser $full_n s ($mem_full_n MB), analyser $full_a s ($mem_full_a MB)"
    read -r idle_n mem_idle_n < <(measure "$bin/normaliser" --corpus "$work" -q)
    read -r idle_a mem_idle_a < <(measure "$bin/analyser" --corpus "$work" -q)
    echo "idle run:        normaliser $idle_n s ($mem_idle_n MB), analyser $idle_a s ($mem_idle_a MB)"
    # Once the folders have not changed for two seconds, an idle run trusts their stamps and
    # lists no record (the first idle run after a change lists them, and records that).
    sleep 2
    read -r settled_n _ < <(measure "$bin/normaliser" --corpus "$work" -q)
    read -r settled_a _ < <(measure "$bin/analyser" --corpus "$work" -q)
    echo "idle run again:  normaliser $settled_n s, analyser $settled_a s"
    new_n=() new_a=() new_t=() mems=()
    for k in 0 1 2; do
        "$synth" --out "$work" --first $((size + k)) --articles 1 --incidents "$incidents" 2>/dev/null
        read -r n mn < <(measure "$bin/normaliser" --corpus "$work" -q)
        read -r a ma < <(measure "$bin/analyser" --corpus "$work" -q)
        new_n+=("$n") new_a+=("$a") mems+=("$mn" "$ma")
        new_t+=("$(awk -v x="$n" -v y="$a" 'BEGIN { printf "%.3f", x + y }')")
        echo "one new article: normaliser $n s ($mn MB), analyser $a s ($ma MB), load $(cut -d' ' -f1 /proc/loadavg)"
    done
    # the store (store.sqlite, its write-ahead log) and what is left in state/
    store=$( (find "$work" -maxdepth 1 -name 'store.sqlite*' -type f -printf '%s\n'
        [ ! -d "$work/state" ] || find "$work/state" -type f -printf '%s\n') | awk '{ s += $1 } END { print s + 0 }')
    report_files=$(find "$work/report" -type f | wc -l)
    report_largest=$(find "$work/report" -type f -printf '%s\n' | sort -n | tail -1)
    peak=$(largest "$mem_full_n" "$mem_full_a" "$mem_idle_n" "$mem_idle_a" "${mems[@]}")
    peak_new=$(largest "${mems[@]}")
    echo "one new article, median: normaliser $(median "${new_n[@]}") s, analyser $(median "${new_a[@]}") s, total $(median "${new_t[@]}") s"
    echo "store (store.sqlite, state/): $(mb "$store"); report: $report_files files, largest $(mb "$report_largest")"
    rows+=("| $size | $(awk -v x="$full_n" -v y="$full_a" 'BEGIN { printf "%.1f", x + y }') s | $idle_n + $idle_a s; $settled_n + $settled_a s | $(median "${new_n[@]}") + $(median "${new_a[@]}") s | $peak_new MB ($peak MB) | $(mb "$store") | $(mb "$report_largest") ($report_files files) |")
    rm -rf "$work"
    work=""
done

echo
echo "| articles | first full run | idle run (normaliser + analyser): first; again | one new article (normaliser + analyser, median of 3) | peak memory, one new article (any run) | store | largest report file |"
echo "|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
echo "(load $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; other work on the machine slows every figure)"
