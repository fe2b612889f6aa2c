#!/usr/bin/env bash
# Event grouping on the mixed corpus: the seeds and the four dev sets imported into ONE corpus
# (about 60 articles of some 20 events of several kinds and countries), scored with
# score_claims.py against their merged gold (scripts/mixed_corpus.py). Five variants: every
# article dated, three where a third of the articles lose their date line, none dated.
# usage: scripts/eval-grouping.sh [BIN_DIR] [--verbose]   (from the repository root)
set -euo pipefail
bin=${1:-target/release}
shift || true
shared=${SHARED:-../shared}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
for variant in dated 0 1 2 all; do
    dir="$work/$variant"
    if [ "$variant" = dated ]; then
        python3 scripts/mixed_corpus.py "$dir"
        name="all dated"
    elif [ "$variant" = all ]; then
        python3 scripts/mixed_corpus.py "$dir" --undated all
        name="none dated"
    else
        python3 scripts/mixed_corpus.py "$dir" --undated "$variant"
        name="undated third $variant ($(wc -l < "$dir/undated.txt") articles lose their date)"
    fi
    "$bin/fetcher" --corpus "$dir/corpus" --import "$dir/import" -q 2>/dev/null
    "$bin/normaliser" --corpus "$dir/corpus" -q 2>/dev/null
    "$bin/analyser" claims --corpus "$dir/corpus" --format jsonl -q > "$dir/claims.jsonl"
    echo "== mixed corpus, $name"
    python3 "$shared/tools/score_claims.py" "$dir/gold.json" "$dir/claims.jsonl" "$@" \
        | grep -E 'event grouping|^claims:'
    if [ -n "${KEEP:-}" ]; then mkdir -p "$KEEP"; cp -r "$dir" "$KEEP/"; fi
done
