#!/usr/bin/env bash
# SIGKILL at random moments (issue 14): the normaliser and the analyser are each killed ROUNDS
# times at a random point of a run (first runs and incremental runs), then run to the end; the
# corpus must then hold what one uninterrupted run makes (records and report byte for byte,
# state records without file stamps). Usage: kill-loop.sh BIN_DIR [ROUNDS]
set -euo pipefail
bin=$(cd "$1" && pwd)
rounds=${2:-10}
repo=$(cd "$(dirname "$0")/.." && pwd)
# every report dated alike, so that two runs can be compared byte for byte
export SOURCE_DATE_EPOCH=1700000000
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

stage() { # stage NAME CORPUS: one run to the end
    "$bin/$1" --corpus "$2" --config "$repo/config/crosscheck.toml" -q >/dev/null 2>&1 || true
}

same() { # same A B: the corpora hold the same files
    python3 - "$1" "$2" <<'EOF'
import json, os, sqlite3, sys
def strip(v):
    if isinstance(v, dict):
        if {"len", "modified_secs", "modified_nanos", "inode"} <= v.keys():
            return None
        return {k: None if k in ("inputs", "listing", "folders") else strip(x) for k, x in v.items()}
    if isinstance(v, list):
        return [strip(x) for x in v]
    return v
def load(root):
    out = {}
    for d, _, files in os.walk(root):
        for f in files:
            path = os.path.join(d, f)
            name = os.path.relpath(path, root)
            if name == ".lock" or name.startswith("store.sqlite-"):
                continue
            if name == "store.sqlite":
                # the store's rows (the file's bytes differ for the same rows)
                db = sqlite3.connect(path)
                for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
                    for key, value in db.execute(f"SELECT key, value FROM {table}"):
                        out[f"{name}/{table}/{key}"] = json.dumps(strip(json.loads(value)), sort_keys=True)
                db.close()
                continue
            data = open(path, "rb").read()
            if name.startswith("state" + os.sep):
                data = json.dumps(strip(json.loads(data)), sort_keys=True)
            out[name] = data
    return out
a, b = load(sys.argv[1]), load(sys.argv[2])
bad = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
if bad:
    print("differ:", ", ".join(bad[:10]))
    sys.exit(1)
EOF
}

# Two starting points for each stage: everything new, and new articles on a done corpus.
mkdir -p "$work/first" "$work/more"
sets=("$repo"/tests/data/dev-events*)
import() { # import CORPUS SET...: the dev sets' articles
    local corpus=$1
    shift
    for set in "$@"; do
        "$bin/fetcher" --corpus "$corpus" --import "$set" -q >/dev/null 2>&1
    done
}
import "$work/first" "${sets[@]}"
import "$work/more" "${sets[@]:0:2}"
stage normaliser "$work/more"
stage analyser "$work/more"
import "$work/more" "${sets[@]:2}"

failures=0
kills=0
for start in first more; do
    for name in normaliser analyser; do
        before="$work/$start-$name-before"
        cp -a "$work/$start" "$before"
        [ "$name" = analyser ] && stage normaliser "$before"
        expected="$work/$start-$name-expected"
        cp -a "$before" "$expected"
        t0=$(date +%s%N)
        stage "$name" "$expected"
        took=$(( ($(date +%s%N) - t0) / 1000 ))  # microseconds
        for round in $(seq 1 "$rounds"); do
            got="$work/got"
            delay=$(( (RANDOM * 32768 + RANDOM) % (took + 1) ))  # ready before the start
            rm -rf "$got"
            cp -a "$before" "$got"
            "$bin/$name" --corpus "$got" --config "$repo/config/crosscheck.toml" -q >/dev/null 2>&1 &
            pid=$!
            sleep "$(printf '%d.%06d' $((delay / 1000000)) $((delay % 1000000)))"
            if kill -9 "$pid" 2>/dev/null; then kills=$((kills + 1)); fi
            wait "$pid" 2>/dev/null || true
            stage "$name" "$got"
            if ! same "$expected" "$got"; then
                echo "$name ($start run), round $round: not what an uninterrupted run makes"
                failures=$((failures + 1))
            fi
        done
        rm -rf "$before" "$expected"
    done
done
echo "kill-loop: $((rounds * 4)) runs, $kills killed mid-run, $failures left the corpus wrong"
[ "$failures" -eq 0 ]
