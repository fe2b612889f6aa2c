#!/usr/bin/env bash
# Streaming mode beside batch mode, records a second on one core (taskset -c 0): the
# normaliser on the benchmark pages (../shared/bench/article-extraction, each COPIES times
# under other ids), then the analyser's claims on what it made. Batch: `fetcher --import`,
# `normaliser` and `analyser claims` on a corpus; streaming: `normaliser stream` and
# `analyser stream --articles` on JSON Lines. Usage: bash bench/stream.sh BIN_DIR [COPIES]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release}
copies=${2:-4}
pages=${SHARED:-../shared}/bench/article-extraction/html
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The pages as files to import and as stream records, the same text both ways.
python3 - "$pages" "$work" "$copies" <<'PY'
import gzip, json, pathlib, sys
pages, work, copies = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), int(sys.argv[3])
(work / "import").mkdir()
with open(work / "records.jsonl", "w") as out:
    for n in range(copies):
        for path in sorted(pages.glob("*.html.gz")):
            html = gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
            id = f"p{n}-{path.name[:16]}"
            (work / "import" / f"{id}.html").write_text(html)
            out.write(json.dumps({"id": id, "html": html}) + "\n")
PY
records=$(wc -l < "$work/records.jsonl")

seconds() {
    local start end
    start=$(date +%s.%N)
    "$@"
    end=$(date +%s.%N)
    awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }'
}
rate() { awk -v n="$records" -v s="$1" 'BEGIN { printf "%6.0f", n / s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.0f%%", (a / b - 1) * 100 }'; }

one=(taskset -c 0)
$bin/fetcher --corpus "$work/c" --import "$work/import" -q 2>/dev/null
batch_n=$(seconds "${one[@]}" $bin/normaliser --corpus "$work/c" -q 2>/dev/null)
batch_a=$(seconds bash -c "${one[*]} $bin/analyser claims --corpus $work/c -q >/dev/null 2>&1")
stream_n=$(seconds bash -c "${one[*]} $bin/normaliser stream -q < $work/records.jsonl > $work/normalised.jsonl 2>/dev/null")
stream_a=$(seconds bash -c "${one[*]} $bin/analyser stream --articles -q < $work/normalised.jsonl > /dev/null 2>/dev/null")
echo "$records records (the benchmark pages x $copies), one core, load $(cut -d' ' -f1 /proc/loadavg):"
echo "                 batch records/s   stream records/s   stream vs batch"
echo "normaliser       $(rate "$batch_n")            $(rate "$stream_n")             $(ratio "$batch_n" "$stream_n")"
echo "analyser claims  $(rate "$batch_a")            $(rate "$stream_a")             $(ratio "$batch_a" "$stream_a")"
