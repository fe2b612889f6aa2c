#!/usr/bin/env python3
"""Turns feedparser's test suite into data for crosscheck's feed reader.

usage: FEEDPARSER_PYTHON=venv/bin/python scripts/peers/feedparser_cases.py SDIST_DIR OUT_DIR

SDIST_DIR is the unpacked source distribution of feedparser 6.0.12 from PyPI
(`pip download --no-deps --no-binary :all: feedparser==6.0.12`); FEEDPARSER_PYTHON a Python
with that feedparser installed (a throwaway virtualenv). Writes into OUT_DIR:

- the test feeds of `tests/wellformed`, `tests/illformed` and `tests/encoding`, as given;
- `expected.json`: for each feed, what its test says (`expect_bozo`: false for "not bozo",
  true for "bozo", null when the test does not say), the HTTP headers the test serves it with
  (`content_type`, `content_location`), and what feedparser itself read: `bozo` and each
  entry's `link`;
- `dates.json`: the date strings of feedparser's date-parser tests with the UTC time each
  must give (null: the string must be refused).
"""
import ast
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

DIRS = ["wellformed", "illformed", "encoding"]

READ = r'''
import json, re, sys, feedparser
root = sys.argv[1]
out = {}
for path in sys.stdin.read().split("\n"):
    if not path:
        continue
    data = open(f"{root}/{path}", "rb").read()
    headers = dict((k.strip().lower(), v.strip()) for k, v in re.findall(rb"^Header:\s+([^:]+):(.+)$".decode(), data.decode("latin-1"), re.M))
    try:
        d = feedparser.parse(data, response_headers=headers)
        out[path] = {"bozo": bool(d.bozo), "links": [e.get("link") for e in d.entries]}
    except Exception as e:  # feedparser itself failing is recorded, not hidden
        out[path] = {"bozo": True, "links": [], "error": repr(e)}
json.dump(out, sys.stdout)
'''


def test_header(data):
    text = data.decode("latin-1")
    expect = re.search(r"^Expect:\s*(.*)$", text, re.M)
    bozo = None
    if expect:
        e = expect.group(1).strip()
        bozo = False if e.startswith("not bozo") else True if e.startswith("bozo") else None
    headers = {}
    for name, value in re.findall(r"^Header:\s+([^:]+):(.+)$", text, re.M):
        headers[name.strip().lower()] = value.strip()
    return bozo, headers.get("content-type"), headers.get("content-location")


def copy_feeds(src, out):
    paths = []
    for d in DIRS:
        for f in sorted((src / "tests" / d).rglob("*")):
            if f.is_file():
                rel = f.relative_to(src / "tests").as_posix()
                (out / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(f, out / rel)
                paths.append(rel)
    return paths


def read_with_feedparser(out, paths):
    python = os.environ.get("FEEDPARSER_PYTHON", "python3")
    run = subprocess.run([python, "-c", READ, str(out)], input="\n".join(paths), text=True,
                         capture_output=True, check=True)
    return json.loads(run.stdout)


def date_cases(src):
    tree = ast.parse((src / "tests" / "runtests.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "date_tests":
            table = node.value
    cases = []
    for key, items in zip(table.keys, table.values):
        parser = key.id.replace("_parse_date_", "")
        for text, expected in ast.literal_eval(items):
            utc = None if expected is None else "%04d-%02d-%02dT%02d:%02d:%02dZ" % expected[:6]
            cases.append({"parser": parser, "text": text, "utc": utc})
    return cases


def main():
    src, out = Path(sys.argv[1]), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    paths = copy_feeds(src, out)
    theirs = read_with_feedparser(out, paths)
    expected = {}
    for p in paths:
        bozo, ctype, location = test_header((out / p).read_bytes())
        expected[p] = {"expect_bozo": bozo, "content_type": ctype, "content_location": location,
                       "feedparser": theirs[p]}
    (out / "expected.json").write_text(json.dumps(expected, indent=0, ensure_ascii=False) + "\n")
    (out / "dates.json").write_text(json.dumps(date_cases(src), indent=1, ensure_ascii=False) + "\n")
    shutil.copyfile(src / "LICENSE", out / "LICENSE")


if __name__ == "__main__":
    main()
