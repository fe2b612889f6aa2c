#!/usr/bin/env bash
# usage: bench/compare-extractors.sh [NORMALISER_BINARY]
#
# Extraction quality and speed side by side, in one run on this machine: trafilatura (from
# PyPI, installed into a throwaway virtualenv) and our `normaliser extract`, over the 181
# pages of ../shared/bench/article-extraction, scored by ../shared/tools/score_extraction.py
# (4-word shingles, the benchmark's published method). Each extractor runs as one process
# over all pages, timed from start to exit; trafilatura uses one core (as it does by
# default), the normaliser both (rayon).
#
# Then F1 per test set, side by side, in the same run: every other set under
# ../shared/bench (a folder with html/ and ground-truth.json) and each folder named in
# EXTRA_SETS (colon-separated; see bench/sets.md and bench/make-set.py), per part (all, and
# dev and held where the set was split), with the count of near-empty outputs (under 5
# words).
#
# Environment: SHARED (default ../shared), TRAFILATURA_VERSION (default 2.3.1),
# PYTHON (default python3), RUNS (timed runs of each extractor, default 3; the median counts),
# EXTRA_SETS.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
shared=$(realpath "${SHARED:-$here/../shared}")
bin=$(realpath "${1:-$here/target/release/normaliser}")
version=${TRAFILATURA_VERSION:-2.3.1}
python=${PYTHON:-python3}
data=$shared/bench/article-extraction
score=$shared/tools/score_extraction.py

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/html" "$work/trafilatura" "$work/normaliser"
for f in "$data"/html/*.html.gz; do
    gunzip -c "$f" >"$work/html/$(basename "$f" .gz)"
done
pages=$(ls "$work/html" | wc -l)
bytes=$(cat "$work"/html/*.html | wc -c)

echo "== installing trafilatura $version into a throwaway virtualenv" >&2
"$python" -m venv "$work/venv"
# lxml 5.2+ moved lxml.html.clean (which jusText imports) into its own package.
"$work/venv/bin/pip" install --quiet --disable-pip-version-check "trafilatura==$version" lxml_html_clean >&2

cat >"$work/run_trafilatura.py" <<'PY'
import sys
from pathlib import Path
import trafilatura

src, out = Path(sys.argv[1]), Path(sys.argv[2])
for page in sorted(src.glob("*.html")):
    text = trafilatura.extract(page.read_text(encoding="utf-8", errors="replace")) or ""
    (out / (page.name[: -len(".html")] + ".txt")).write_text(text, encoding="utf-8")
PY

now() { date +%s.%N; }
# One timed run of an extractor into a fresh output folder; prints its seconds. Each starts
# with nothing waiting to be written back to disk, so that neither pays for the other's (or
# the unpacking's) writes.
timed() {
    local out=$1 start
    shift
    rm -rf "$out" && mkdir -p "$out" && sync
    start=$(now)
    "$@" >/dev/null
    echo "$(now) - $start" | bc -l
}
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# A single run of a fraction of a second swings with whatever else the machine does (other
# processes, the file system's bookkeeping for the files just written): each extractor runs
# RUNS times, in turn with the other, and the median counts.
runs=${RUNS:-3}
traf_times=() ours_times=()
for run in $(seq "$runs"); do
    echo "== run $run of $runs: trafilatura $version, then the normaliser, $pages pages each" >&2
    traf_times+=("$(timed "$work/trafilatura" "$work/venv/bin/python" "$work/run_trafilatura.py" "$work/html" "$work/trafilatura")")
    ours_times+=("$(timed "$work/normaliser" "$bin" extract -q --out "$work/normaliser" "$work"/html/*.html)")
done
traf_seconds=$(median "${traf_times[@]}")
ours_seconds=$(median "${ours_times[@]}")
echo "seconds per run: trafilatura ${traf_times[*]}; normaliser ${ours_times[*]}" >&2

traf_score=$("$python" "$score" shingles "$data/ground-truth.json" "$work/trafilatura" | tail -1)
ours_score=$("$python" "$score" shingles "$data/ground-truth.json" "$work/normaliser" | tail -1)

"$python" - "$pages" "$bytes" "$version" "$traf_seconds" "$traf_score" "$ours_seconds" "$ours_score" "$runs" <<'PY'
import re, sys
pages, size = int(sys.argv[1]), int(sys.argv[2])
version = sys.argv[3]
rows = [(f"trafilatura {version} (1 process)", float(sys.argv[4]), sys.argv[5]),
        ("normaliser extract (rayon)", float(sys.argv[6]), sys.argv[7])]
print(f"{pages} pages, {size / 1e6:.1f} MB, one process per extractor, wall clock, median of {sys.argv[8]} runs each")
print(f"| extractor | F1 | precision | recall | seconds | pages/s | MB/s |")
print(f"|---|---|---|---|---|---|---|")
speeds = []
for name, seconds, score in rows:
    p, r, f = (re.search(k + r"=([0-9.]+)", score).group(1) for k in ("P", "R", "F1"))
    speeds.append(pages / seconds)
    print(f"| {name} | {f} | {p} | {r} | {seconds:.2f} | {pages / seconds:.0f} | {size / 1e6 / seconds:.1f} |")
print(f"speed ratio (normaliser / trafilatura): {speeds[1] / speeds[0]:.1f}x")
PY

# Quality per test set, each extractor once over each set's pages.
sets=()
for d in "$shared"/bench/*/ "$here"/bench/sets/*/; do
    d=${d%/}
    [ "$d" != "$data" ] && [ -f "$d/ground-truth.json" ] && [ -d "$d/html" ] && sets+=("$d")
done
IFS=: read -r -a extra <<<"${EXTRA_SETS:-}"
for d in "${extra[@]}"; do
    [ -n "$d" ] && sets+=("$(realpath "$d")")
done
for set_dir in "${sets[@]}"; do
    name=$(basename "$set_dir")
    rm -rf "$work/set" && mkdir -p "$work/set/html" "$work/set/trafilatura" "$work/set/normaliser"
    for f in "$set_dir"/html/*.html.gz; do
        gunzip -c "$f" >"$work/set/html/$(basename "$f" .gz)"
    done
    "$work/venv/bin/python" "$work/run_trafilatura.py" "$work/set/html" "$work/set/trafilatura"
    "$bin" extract -q --out "$work/set/normaliser" "$work"/set/html/*.html >/dev/null
    echo
    echo "set $name ($(ls "$work/set/html" | wc -l) pages)"
    echo "| part | trafilatura $version F1 (P, R) | near-empty | normaliser F1 (P, R) | near-empty |"
    echo "|---|---|---|---|---|"
    paste -d'\t' \
        <("$python" "$here/bench/score-set.py" "$score" "$set_dir" "$work/set/trafilatura") \
        <("$python" "$here/bench/score-set.py" "$score" "$set_dir" "$work/set/normaliser") |
        "$python" -c '
import re, sys
for line in sys.stdin:
    cells = []
    for side in line.rstrip("\n").split("\t"):
        part = side.split(":")[0]
        v = dict(re.findall(r"([A-Za-z1-]+)=([0-9.]+)", side))
        cells.append("%s (%s, %s) | %s" % (v["F1"], v["P"], v["R"], v["near-empty"]))
    print("| %s | %s | %s |" % (part, cells[0], cells[1]))
'
done
