#!/usr/bin/env bash
# usage: bench/score-ours.sh NORMALISER SET_DIR [PART...]
# The normaliser alone on one test set (html/*.html.gz, ground-truth.json, dev.json,
# held.json: see bench/make-set.py), scored per part with ../shared/tools/score_extraction.py.
# KEEP=DIR keeps the outputs there.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
shared=$(realpath "${SHARED:-$here/../shared}")
bin=$(realpath "$1")
set_dir=$(realpath "$2")
shift 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/html"
for f in "$set_dir"/html/*.html.gz; do
    gunzip -c "$f" >"$work/html/$(basename "$f" .gz)"
done
out=${KEEP:-$work/out}
rm -rf "$out" && mkdir -p "$out"
"$bin" extract -q --out "$out" "$work"/html/*.html >/dev/null
python3 "$here/bench/score-set.py" "$shared/tools/score_extraction.py" "$set_dir" "$out" "$@"
