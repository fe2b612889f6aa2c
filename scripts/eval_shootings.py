#!/usr/bin/env python3
"""Whole shooting articles: killed and injured figures per article against the Gun Violence
Database's victims (issue 13, family 8).

usage: scripts/eval_shootings.py DEV_TSV [--half tune|aside|all] [--bin target/release]
                                 [--errors N]

DEV_TSV is `data/gvdb/splits/dev.tsv` of github.com/pitrack/arglinking (columns: article id,
url, title, full text, annotation JSON, worker; the JSON is described in
data/gvdb/conversion_scripts/readme.txt). Never give it test.tsv. Nothing of the articles is
written into the repository: each is written as an imported text file into a temporary
corpus (title, a blank line, the body; ` date YYYY-MM-DD` first when the annotation dates the
shooting), and fetcher --import, normaliser and analyser claims run there.

Articles left out: the 63 whose URL is in tests/data/sentences/gvdb-articles.jsonl (their
sentences are in the sentence benchmark). Of the rest, in file order, the rows at even
positions (0, 2, 4, ...) are the tuning half, the odd ones the half kept aside for one final
measurement.

Gold per article: killed = victims whose `victim-was` includes "killed"; injured = victims
whose `victim-was` includes "injured" or "hospitalized" but not "killed".

Figure per article: the main event is the event id carried by most of the article's count
claims (ties: the one whose first claim comes first); the killed figure is the largest count
among the killed claims of the main event, 0 if none (a vague count is not a figure);
likewise injured. The variant "largest over all its killed claims", whatever their event, is
printed too.

It prints the share of articles with deaths that get a killed figure (> 0), the share with
injuries that get an injured figure, the exact shares over all articles of the half, and
every claim whose count equals an age, a house number or a clock time in its quote.
"""

import argparse
import collections
import csv
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH_ARTICLES = os.path.join(ROOT, "tests/data/sentences/gvdb-articles.jsonl")

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}
AGE = re.compile(
    r"\b(\d{1,3})(?:-| )years?(?:-| )old\b|\baged? (\d{1,3})\b|, (\d{1,3}),|\((\d{1,3})\)"
    r"|, (\d{1,3})(?= (?:and|of|was|were|is|died)\b)",
    re.I,
)
STREET = (r"(?:Street|St|Avenue|Ave|Road|Rd|Lane|Ln|Drive|Dr|Boulevard|Blvd|Court|Ct|Place|Pl"
          r"|Way|Parkway|Pkwy|Circle|Cir|Highway|Hwy|Terrace|Trail|Pike)\b")
ADDRESS = re.compile(
    r"\b(\d{2,6})(?:-block| block)?(?: of)?(?: [NSEW]\.?)?(?: [A-Z][\w'.-]*){1,3} " + STREET
)
CLOCK = re.compile(r"\b(\d{1,2})(?::(\d\d))? ?(?:a\.?m\b|p\.?m\b|o'clock)", re.I)


def read_rows(path):
    csv.field_size_limit(sys.maxsize)
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    return rows[1:]


def gold_of(annotation):
    killed = injured = 0
    for v in annotation.get("victim-section") or []:
        was = set(v.get("victim-was") or [])
        if "killed" in was:
            killed += 1
        elif was & {"injured", "hospitalized"}:
            injured += 1
    return killed, injured


def split(rows):
    with open(BENCH_ARTICLES, encoding="utf-8") as f:
        benched = {json.loads(line)["url"] for line in f if line.strip()}
    rest = [r for r in rows if r[1] not in benched]
    return rest[0::2], rest[1::2], len(rows) - len(rest)


def article_text(title, body, annotation):
    if body.startswith(title):
        body = body[len(title):]
    date = (annotation.get("date-and-time") or {}).get("date") or ""
    head = f" date {date}\n" if re.fullmatch(r"\d{4}-\d\d-\d\d", date) else ""
    return f"{head}{title}\n\n{body.strip()}\n"


def run_claims(articles, bin_dir):
    """Claims per article id, from a temporary corpus."""
    with tempfile.TemporaryDirectory() as work:
        src = os.path.join(work, "import")
        os.mkdir(src)
        for aid, text in articles.items():
            with open(os.path.join(src, f"{aid}.txt"), "w", encoding="utf-8") as f:
                f.write(text)
        corpus = os.path.join(work, "corpus")
        for stage, extra in (("fetcher", ["--import", src]), ("normaliser", [])):
            subprocess.run([os.path.join(bin_dir, stage), "--corpus", corpus, "-q", *extra],
                           check=False, cwd=ROOT, stderr=subprocess.DEVNULL)
        run = subprocess.run(
            [os.path.join(bin_dir, "analyser"), "claims", "--corpus", corpus, "--format",
             "jsonl", "-q"],
            check=False, cwd=ROOT, capture_output=True, text=True,
        )
        if run.returncode != 0:
            sys.exit(f"analyser failed ({run.returncode}): {run.stderr[-2000:]}")
        out = run.stdout
    claims = collections.defaultdict(list)
    for line in out.splitlines():
        if line.strip():
            c = json.loads(line)
            claims[c["article"]].append(c)
    return claims


def main_event(counts):
    tally = collections.Counter(c.get("event") for c in counts)
    if not tally:
        return None
    first = {}
    for i, c in enumerate(counts):
        first.setdefault(c.get("event"), i)
    return max(tally, key=lambda e: (tally[e], -first[e]))


def figures(claims):
    counts = [c for c in claims if c.get("kind") == "count"]
    event = main_event(counts)
    out = {}
    for measure in ("killed", "injured"):
        mine = [c for c in counts if c["measure"] == measure and c.get("count") is not None]
        main = [c["count"] for c in mine if c.get("event") == event]
        out[measure] = max(main, default=0)
        out[measure + "_any"] = max((c["count"] for c in mine), default=0)
    return out


def suspicious(claim):
    """Why a claim's count may be an age, a house number or a clock time of its quote."""
    n, quote = claim.get("count"), claim.get("quote", "")
    if n is None:
        return None
    roles = []
    # (a count of one is one person, whose age a quote often gives: no sign of an age read)
    for m in AGE.finditer(quote) if n > 1 else ():
        if any(g is not None and int(g) == n for g in m.groups()):
            roles.append("age")
    for m in ADDRESS.finditer(quote):
        if int(m.group(1)) == n:
            roles.append("address")
    for m in CLOCK.finditer(quote):
        # ("1:51 p.m." is no count of 1: the analyser never splits a time)
        if int(m.group(1)) == n and not m.group(2):
            roles.append("time")
    if not roles:
        return None
    # the count is also written as a count: "two people" or "2 people" outside those roles
    spans = [m.span() for r in (AGE, ADDRESS, CLOCK) for m in r.finditer(quote)]
    for m in re.finditer(r"\b(\d[\d,]*)\b", quote):
        inside = any(a <= m.start() < b for a, b in spans)
        if not inside and int(m.group(1).replace(",", "")) == n:
            return None
    words = {w for w, v in NUMBER_WORDS.items() if v == n}
    if re.search(r"\b(" + "|".join(words) + r")\b", quote, re.I) if words else False:
        return None
    return "/".join(sorted(set(roles)))


def share(a, b):
    return f"{a}/{b} = {a / b:.3f}" if b else f"{a}/0"


def report(rows, claims, errors):
    with_deaths = with_injuries = got_k = got_i = exact_k = exact_i = 0
    got_k_any = exact_k_any = 0
    wrong = []
    for r in rows:
        aid = f"gvdb_{r[0]}"
        gk, gi = gold_of(json.loads(r[4]))
        f = figures(claims.get(aid, []))
        with_deaths += gk > 0
        with_injuries += gi > 0
        got_k += gk > 0 and f["killed"] > 0
        got_i += gi > 0 and f["injured"] > 0
        got_k_any += gk > 0 and f["killed_any"] > 0
        exact_k += f["killed"] == gk
        exact_i += f["injured"] == gi
        exact_k_any += f["killed_any"] == gk
        if f["killed"] != gk or f["injured"] != gi:
            wrong.append((aid, r, gk, gi, f))
    n = len(rows)
    print(f"articles: {n}, with deaths {with_deaths}, with injuries {with_injuries}")
    print(f"killed figure where deaths:      {share(got_k, with_deaths)}"
          f"   (any event: {share(got_k_any, with_deaths)})")
    print(f"injured figure where injuries:   {share(got_i, with_injuries)}")
    print(f"killed exact:                    {share(exact_k, n)}"
          f"   (any event: {share(exact_k_any, n)})")
    print(f"injured exact:                   {share(exact_i, n)}")
    print(f"always 0: killed exact {share(n - with_deaths, n)}, "
          f"injured exact {share(n - with_injuries, n)}")
    flagged = []
    for r in rows:
        for c in claims.get(f"gvdb_{r[0]}", []):
            why = c.get("kind") == "count" and suspicious(c)
            if why:
                flagged.append((why, c))
    print(f"claims whose count is an age, address or time of its quote: {len(flagged)}")
    for why, c in flagged:
        print(f"  [{why}] {c['article']} {c['measure']} {c['count']}: {c['quote'][:200]}")
    for aid, r, gk, gi, f in wrong[:errors]:
        print(f"-- {aid} gold killed {gk} injured {gi}; read killed {f['killed']} "
              f"injured {f['injured']} (any {f['killed_any']}/{f['injured_any']}) {r[1]}")
        for c in claims.get(aid, []):
            if c.get("kind") == "count" and c["measure"] in ("killed", "injured"):
                print(f"   {c['measure']} {c['count']} {c.get('subject')} "
                      f"[{c.get('event')}] {c['quote'][:160]}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("tsv", help="data/gvdb/splits/dev.tsv of pitrack/arglinking")
    ap.add_argument("--half", choices=["tune", "aside", "all"], default="tune")
    ap.add_argument("--bin", default=os.path.join(ROOT, "target/release"))
    ap.add_argument("--errors", type=int, default=0, help="list the first N wrong articles")
    args = ap.parse_args()
    if os.path.basename(args.tsv).startswith("test"):
        sys.exit("refusing a test split: give dev.tsv")
    tune, aside, left_out = split(read_rows(args.tsv))
    rows = {"tune": tune, "aside": aside, "all": tune + aside}[args.half]
    print(f"{args.half} half: {len(rows)} articles ({left_out} left out: in the sentence "
          f"benchmark; tuning half {len(tune)}, aside half {len(aside)})")
    articles = {}
    for r in rows:
        annotation = json.loads(r[4])
        articles[f"gvdb_{r[0]}"] = article_text(r[2], r[3], annotation)
    report(rows, run_claims(articles, args.bin), args.errors)


if __name__ == "__main__":
    main()
