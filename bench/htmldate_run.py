"""Runs htmldate over its own evaluation pages and writes what it found, one JSON line per
page: {"file", "extensive", "fast"}; the seconds each mode took go to stderr.

usage: python htmldate_run.py HTMLDATE_TESTS_DIR OUT.jsonl

The pages are read as htmldate's own tests/evaluation.py reads them (UTF-8, else the
encoding charset_normalizer detects).
"""
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, sys.argv[1])
from evaluation import EVAL_PAGES, load_document  # noqa: E402
from htmldate import find_date  # noqa: E402

out = {}
seconds = {"extensive": 0.0, "fast": 0.0}
docs = {data["file"]: load_document(data["file"]) for data in EVAL_PAGES.values()}
for name, extensive in (("extensive", True), ("fast", False)):
    start = time.perf_counter()
    for file, html in docs.items():
        out.setdefault(file, {"file": file})[name] = find_date(
            html, original_date=True, extensive_search=extensive
        )
    seconds[name] = time.perf_counter() - start
with open(sys.argv[2], "w", encoding="utf-8") as f:
    for row in out.values():
        f.write(json.dumps(row) + "\n")
print(json.dumps(seconds), file=sys.stderr)
