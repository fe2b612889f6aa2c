# crosscheck: follow one news event across many outlets.
# `just --list` describes each recipe.

set shell := ["bash", "-uc"]

corpus := "corpus"
config := "config/crosscheck.toml"
# The release binaries: in cargo's target folder, CARGO_TARGET_DIR when set (a relative one is
# taken from the repository's root, as cargo takes it when run by these recipes).
target := env("CARGO_TARGET_DIR", "target")
bin := target / "release"

# List the recipes
default:
    @just --list

# Build the three binaries (release)
build:
    cargo build --release --locked --bins --quiet

# Fetch, normalise and analyse: the whole chain (flags such as --log-format json pass to every stage; a failing stage does not stop the next; the exit code is the worst)
ingest *ARGS: build
    #!/usr/bin/env bash
    set -u
    status=0
    for stage in fetcher normaliser analyser; do
        {{bin}}/$stage --corpus {{corpus}} --config {{config}} {{ARGS}}
        code=$?
        if [ $code -gt $status ]; then status=$code; fi
    done
    echo "report: {{corpus}}/report/index.html (exit $status)" >&2
    exit $status

# Fetch new articles from the configured sources (extra flags pass through, e.g. --import DIR)
fetch *ARGS: build
    {{bin}}/fetcher --corpus {{corpus}} --config {{config}} {{ARGS}}

# Normalise new or changed articles
normalise *ARGS: build
    {{bin}}/normaliser --corpus {{corpus}} --config {{config}} {{ARGS}}

# Update claims and the comparison report
analyse *ARGS: build
    {{bin}}/analyser --corpus {{corpus}} --config {{config}} {{ARGS}}

# SIGKILL at random moments: each stage killed ROUNDS times mid-run, then run to the end, must leave what one uninterrupted run makes
kill-loop ROUNDS="10": build
    bash scripts/kill-loop.sh {{bin}} {{ROUNDS}}

# Property tests at length: the HTML extractor, feed and sitemap parsing, the segmenter, the number reader and the claims scanner on CASES random inputs each (`just test` tries 32)
fuzz CASES="5000":
    PROPTEST_CASES={{CASES}} cargo test --release --locked -q -p normaliser -p fetcher -p analyser --test fuzz

# The Spark recipe tested for real (scripts/spark, docs/scale-out.md): WARC files of the seeds in an S3 bucket served by moto_server on 127.0.0.1, the job in local[2] mode on the debug binaries, its comparison checked against the corpus run's (Java 17+; the Python packages go into SPARK_VENV, default target/spark-venv)
spark-test:
    #!/usr/bin/env bash
    set -euo pipefail
    venv=${SPARK_VENV:-{{target}}/spark-venv}
    bash scripts/spark/setup.sh "$venv"
    cargo build --bins --locked --quiet
    "$venv/bin/python" scripts/spark/spark_test.py {{target}}/debug

# Formatting, clippy and every test (what CI runs)
test: lint
    cargo build --workspace --bins --locked --quiet
    cargo test --workspace --locked --quiet

# cargo fmt --check and clippy with warnings as errors
lint:
    cargo fmt --all -- --check
    cargo clippy --workspace --all-targets --locked --quiet -- -D warnings

# Quality figures on the development data: claim scores on the seeds and on the four dev sets of other events, extraction F1 on the benchmark pages
eval: build
    #!/usr/bin/env bash
    set -euo pipefail
    shared=${SHARED:-../shared}
    work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
    cp -r {{corpus}}/raw "$work/raw"
    {{bin}}/normaliser --corpus "$work" -q
    {{bin}}/analyser claims --corpus "$work" --format jsonl -q > "$work/claims.jsonl"
    echo "== claims on the seed corpus"
    python3 "$shared/tools/score_claims.py" "$shared/gold/seeds.json" "$work/claims.jsonl"
    echo "== claims on the development set (tests/data/dev-events: six other events, several outlets each)"
    {{bin}}/fetcher --corpus "$work/dev" --import tests/data/dev-events -q
    {{bin}}/normaliser --corpus "$work/dev" -q
    {{bin}}/analyser claims --corpus "$work/dev" --format jsonl -q > "$work/dev.jsonl"
    python3 "$shared/tools/score_claims.py" tests/data/dev-events/gold.json "$work/dev.jsonl"
    echo "== claims on the second development set (tests/data/dev-events-2: four more events, held aside until first measured)"
    {{bin}}/fetcher --corpus "$work/dev2" --import tests/data/dev-events-2 -q
    {{bin}}/normaliser --corpus "$work/dev2" -q
    {{bin}}/analyser claims --corpus "$work/dev2" --format jsonl -q > "$work/dev2.jsonl"
    python3 "$shared/tools/score_claims.py" tests/data/dev-events-2/gold.json "$work/dev2.jsonl"
    echo "== claims on the third development set (tests/data/dev-events-3: seven more events, held aside until first measured)"
    {{bin}}/fetcher --corpus "$work/dev3" --import tests/data/dev-events-3 -q
    {{bin}}/normaliser --corpus "$work/dev3" -q
    {{bin}}/analyser claims --corpus "$work/dev3" --format jsonl -q > "$work/dev3.jsonl"
    python3 "$shared/tools/score_claims.py" tests/data/dev-events-3/gold.json "$work/dev3.jsonl"
    echo "== claims on the fourth development set (tests/data/dev-events-4: five more events, held aside until first measured)"
    {{bin}}/fetcher --corpus "$work/dev4" --import tests/data/dev-events-4 -q
    {{bin}}/normaliser --corpus "$work/dev4" -q
    {{bin}}/analyser claims --corpus "$work/dev4" --format jsonl -q > "$work/dev4.jsonl"
    python3 "$shared/tools/score_claims.py" tests/data/dev-events-4/gold.json "$work/dev4.jsonl"
    echo "== event grouping on the mixed corpus (the seeds and the four dev sets as one corpus, some undated: scripts/eval-grouping.sh)"
    SHARED="$shared" bash scripts/eval-grouping.sh {{bin}}
    echo "== main-text extraction on $shared/bench/article-extraction"
    bash "$shared/tools/eval-extraction.sh" {{bin}}/normaliser

# Speed figures (see README for the latest)
bench: build
    @echo "== claims on real sentences (tests/data/sentences), per measure"
    just bench-sentences
    @echo "== extraction speed on the benchmark pages"
    bash ${SHARED:-../shared}/tools/eval-extraction.sh {{bin}}/normaliser
    @echo "== claim extraction speed (seed articles, one thread)"
    cargo bench -q --locked -p analyser --bench claims
    @echo "== fetch: 5,000 pages from a local server, politeness off"
    bash bench/fetch.sh {{bin}}/fetcher 5000
    @echo "== streaming mode beside batch mode, records/s on one core (the benchmark pages)"
    bash bench/stream.sh {{bin}}
    @echo "== analyser: incremental runs on a synthetic corpus"
    bash bench/analyser.sh 10000
    @echo "== publication dates: htmldate and the page toolkit on htmldate's evaluation pages, same run (HTMLDATE_DIR: a checkout of adbar/htmldate, else cloned)"
    bash bench/htmldate.sh
    @echo "== trafilatura and the normaliser side by side, same pages, same run (trafilatura from PyPI into a throwaway virtualenv); then F1 per test set (../shared/bench/*, EXTRA_SETS: see bench/sets.md)"
    bash bench/compare-extractors.sh {{bin}}/normaliser

# The real-sentence benchmark (tests/data/sentences): precision and recall per measure, development part and held-aside third apart (add --errors N to list errors, --part dev)
bench-sentences *ARGS:
    cargo run -q --release --locked -p analyser --example sentence_bench -- {{ARGS}}

# How the chain scales (issue 16): synthetic corpora of 10,000 and 100,000 articles about 2,000 incidents; first full run, idle run, one new article, peak memory, store and report sizes
bench-scale *SIZES:
    bash bench/scale.sh {{SIZES}}
