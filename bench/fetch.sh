#!/usr/bin/env bash
# Fetch benchmark: N article pages (default 5,000) from a local server with politeness off
# (--host-delay 0 --host-concurrency 64), into a fresh corpus. Prints pages/s and peak memory,
# and the peak memory of a 500-page run, to show memory does not grow with the page count.
# Usage: bash bench/fetch.sh [FETCHER_BINARY] [PAGES]
set -euo pipefail
fetcher=${1:-target/release/fetcher}
pages=${2:-5000}
cargo build --release --locked --quiet -p fetcher --example bench_server
work=$(mktemp -d)
coproc SERVER { exec target/release/examples/bench_server; }
trap 'exec {SERVER[1]}>&-; wait "$SERVER_PID" 2>/dev/null; rm -rf "$work"' EXIT
read -r base <&"${SERVER[0]}"
printf "[fetcher]\nmax_articles_per_source = %s\n" "$pages" > "$work/bench.toml"

run() {
    local n=$1 corpus="$work/corpus-$1"
    /usr/bin/time -f '%e %M' -o "$work/time-$n" \
        "$fetcher" --corpus "$corpus" --config "$work/bench.toml" -q \
        --sitemap "$base/sitemap/$n.xml" --allow-private-networks \
        --host-delay 0 --host-concurrency 64 --max-connections 64 \
        --summary-json "$work/summary-$n.json"
    read -r seconds kib < "$work/time-$n"
    stored=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['totals'].get('new', 0))" "$work/summary-$n.json")
    if [ "$stored" != "$n" ]; then echo "expected $n new articles, got $stored" >&2; exit 1; fi
    python3 -c "import sys; n,s,k=int(sys.argv[1]),float(sys.argv[2]),int(sys.argv[3]); print(f'fetch {n:>5} pages: {s:6.2f} s, {n/s:7.0f} pages/s, peak memory {k/1024:6.1f} MiB')" "$n" "$seconds" "$kib"
}

run 500
run "$pages"
