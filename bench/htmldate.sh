#!/usr/bin/env bash
# usage: bench/htmldate.sh
#
# Publication dates side by side, in one run on this machine: htmldate (from PyPI, into a
# throwaway virtualenv; its extensive and fast modes) and the page toolkit (crates/page, as
# the fetcher and the normaliser use it), on htmldate's own evaluation pages: the 1,000 pages
# of `tests/eval_default.json` and `tests/eval_mediacloud_2020.json` of github.com/adbar/
# htmldate (999 distinct files), scored as htmldate's tests/comparison.py scores them: the
# exact day, a page without a known date (NaN) counting as wrong for everyone. The pages are
# other sites' pages, not ours to keep: they are read from a checkout of that repository
# (HTMLDATE_DIR, else cloned at the commit below into a temporary folder).
#
# Also prints what the metadata step (reading title, dates, ... from the parsed page) costs
# against the whole extraction, which includes it.
#
# Environment: HTMLDATE_DIR (a checkout of adbar/htmldate), HTMLDATE_VERSION (default
# 1.10.0), PYTHON (default python3).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
version=${HTMLDATE_VERSION:-1.10.0}
commit=b8952828329abaeeb3be21387b526f2be614ce67
python=${PYTHON:-python3}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ -n "${HTMLDATE_DIR:-}" ]; then
    repo=$(realpath "$HTMLDATE_DIR")
else
    echo "== cloning adbar/htmldate at $commit" >&2
    repo=$work/htmldate
    git init -q "$repo"
    git -C "$repo" fetch -q --depth 1 https://github.com/adbar/htmldate "$commit"
    git -C "$repo" checkout -q FETCH_HEAD
fi

echo "== installing htmldate[all] $version into a throwaway virtualenv" >&2
"$python" -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check "htmldate[all]==$version" >&2

echo "== htmldate (extensive, then fast), then the page toolkit" >&2
"$work/venv/bin/python" "$here/bench/htmldate_run.py" "$repo/tests" "$work/htmldate.jsonl" 2>"$work/htmldate.times"
cargo run -q --release --locked -p normaliser --example htmldate_pages -- "$repo/tests" \
    >"$work/ours.jsonl" 2>"$work/ours.log"

"$python" - "$work/htmldate.jsonl" "$work/htmldate.times" "$work/ours.jsonl" "$version" <<'PY'
import json, sys
theirs = {r["file"]: r for r in map(json.loads, open(sys.argv[1]))}
seconds = json.loads(open(sys.argv[2]).read().strip().splitlines()[-1])
ours = [json.loads(line) for line in open(sys.argv[3])]
version = sys.argv[4]
sets = sorted({r["set"] for r in ours})
def score(pick):
    cells = []
    for part in sets + ["all"]:
        rows = [r for r in ours if part in ("all", r["set"])]
        right = sum(1 for r in rows if r["truth"] is not None and pick(r) == r["truth"])
        cells.append(f"{right}/{len(rows)} ({100 * right / len(rows):.1f}%)")
    return cells
print(f"{len(ours)} pages of htmldate's evaluation; exact publication day")
print("| extractor | " + " | ".join(sets) + " | all | seconds |")
print("|---|" + "---|" * (len(sets) + 2))
for mode in ("extensive", "fast"):
    cells = score(lambda r, m=mode: theirs[r["file"]][m])
    print(f"| htmldate {version} ({mode}) | " + " | ".join(cells) + f" | {seconds[mode]:.1f} |")
cells = score(lambda r: r["ours"])
print("| page toolkit | " + " | ".join(cells) + " | (below) |")
PY
grep -E "^metadata step" "$work/ours.log"
