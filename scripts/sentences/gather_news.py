#!/usr/bin/env python3
"""Gather cue sentences from public news collections for the real-sentence benchmark.

Writes candidate sentences (no gold) to a scratch directory outside the repository; the gold
of each sentence is then written by hand (tests/data/sentences/README.md says how).

Collections (each read from a local copy of its public repository, see --help):
  gvdb  Gun Violence Database, dev split as released in github.com/pitrack/arglinking
        (data/gvdb/splits/dev.tsv: id, url, title, full text, JSON, worker)
  rams  RAMS 1.0 dev split (jsonlines: tokenised 5-sentence windows with source_url)
  muc3  MUC-3 dev messages as XHTML in github.com/dstl/muc3 (dev/DEV-MUC3-NNNN.xhtml)
  newspages  news page excerpts returned by fixed queries to a search over stored public
        web pages, saved by hand as "QUERY: ..." / "URL: ..." / text / "===" blocks

Documents are taken in a random order fixed by --seed; every cue sentence of each document
taken is kept, until the collection's --target number of sentences is reached (the document
that reaches it is kept whole). Sentence splitting is a simple rule (see split_sentences).
"""

import argparse
import csv
import html
import json
import random
import re
import sys
from pathlib import Path

# Cue words per measure (lower case regular expressions, whole words). A sentence is kept when
# any of them occurs; these say which measures' cues appear, not whether a claim is made.
CUES = {
    "killed": r"kill(?:s|ed|ing|er|ers)?|dead|deaths?|died|dies|die|dying|lives|toll|"
    r"fatal(?:ly|ity|ities)?|slain|murder(?:s|ed|ing)?|perish(?:ed|es)?|bod(?:y|ies)|"
    r"lost (?:his|her|their) li(?:fe|ves)|own life|massacred?",
    "injured": r"injur(?:y|ies|ed|ing)|wound(?:s|ed|ing)?|hurt|hospital(?:s|ized|ised)?|"
    r"critical(?:ly)?|shot(?! down)",
    "missing": r"missing|unaccounted",
    "arrested": r"arrest(?:s|ed|ing)?|detain(?:s|ed|ing)?|detention|custody|apprehend(?:ed)?|"
    r"jailed|booked",
    "evacuated": r"evacuat(?:e|ed|es|ing|ion|ions)",
    "displaced": r"displac(?:e|ed|ement)|homeless|fled|flee(?:s|ing)?|refugees?",
    "trapped": r"trapped",
    "launched": r"launch(?:ed|es|ing)?|fired|firing|open(?:ed|s)? fire|dropped|rained|"
    r"air ?strikes?|shell(?:s|ed|ing)|rockets?|missiles?",
    "intercepted": r"intercept(?:ed|s|ion|ions)?|shot down|downed",
    "damaged": r"damag(?:e|ed|es|ing)|destr(?:oy|oyed|oys|oying|uction)|razed|flattened|"
    r"gutted|rubble|ablaze|burn(?:ed|t|ing|s)?|demolish(?:ed)?|collapsed|(?<!open )(?<!opened )fire",
}
CUE_RES = {m: re.compile(r"\b(?:%s)\b" % p, re.IGNORECASE) for m, p in CUES.items()}

ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "st", "sgt", "lt", "capt", "det", "gen", "col", "cpl", "maj",
    "gov", "sen", "rep", "rev", "jr", "sr", "no", "ave", "blvd", "rd", "mt", "ft", "co",
    "corp", "inc", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec", "vs", "u.s", "a.m", "p.m", "d.c", "u.n", "e.g", "i.e", "approx", "est",
    "ofc", "dep", "insp", "supt", "cmdr", "adm", "pvt", "hwy", "calif", "fla", "ill",
    "tenn", "ga", "mass", "penn", "pa", "va", "wash", "mich", "minn", "wis", "ky", "mo",
    "ala", "ariz", "ark", "colo", "conn", "del", "ind", "kan", "la", "md", "miss", "mont",
    "neb", "nev", "okla", "ore", "tex", "vt", "wyo", "n.y", "n.j", "s.c", "n.c",
}


def cues_of(sentence):
    """Measures whose cue word occurs in the sentence, in a fixed order."""
    return [m for m, rx in CUE_RES.items() if rx.search(sentence)]


# After an abbreviation that often ends a sentence (a time, a street), a following word
# from this list starts a new sentence ("at 5 p.m. Police said", "1501 Milton St. The").
SENTENCE_STARTERS = {
    "the", "a", "an", "he", "she", "they", "it", "his", "her", "their", "this", "that",
    "there", "no", "in", "on", "at", "when", "after", "police", "officers", "officials",
    "authorities", "according", "investigators", "witnesses", "we", "i", "but", "as",
}
FINAL_ABBREVIATIONS = {"a.m", "p.m", "st", "ave", "rd", "blvd", "inc", "co", "jr", "sr"}


def is_break(text, dot):
    """Whether the terminal punctuation at index dot ends a sentence."""
    if text[dot] in "!?":
        return True
    if text[max(0, dot - 2): dot + 1] == "...":  # an ellipsis inside a sentence
        return False
    word = re.search(r"([A-Za-z.]+)$", text[: dot])
    token = word.group(1).lower().rstrip(".") if word else ""
    following = re.match(r"[\"'”’)]* *[\"“‘(]?([A-Za-z]+)", text[dot + 1:])
    starter = following is not None and following.group(1).lower() in SENTENCE_STARTERS
    if token in FINAL_ABBREVIATIONS:
        return starter
    if token in ABBREVIATIONS or len(token) == 1:
        return False
    if re.search(r"\b[A-Za-z]\.[A-Za-z]$", text[:dot]):  # U.S, a.m
        return starter
    return True


def split_sentences(text):
    """Split on . ! ? (with closing quotes) before whitespace and a capital, digit or quote,
    or before a capital directly (paragraphs glued without a space in the page text)."""
    text = re.sub(r"\s+", " ", text).strip()
    pattern = re.compile(r"[.!?][\"'”’)]*(?: +(?=[A-Z0-9\"“‘(])|(?=[A-Z][a-z]))")
    out, start = [], 0
    for m in pattern.finditer(text):
        if m.start() > 0 and text[m.start() - 1].isdigit() and m.group().strip() == ".":
            nxt = text[m.end(): m.end() + 1]
            if nxt.isdigit():
                continue
        if not is_break(text, m.start()):
            continue
        out.append(text[start: m.end()].strip())
        start = m.end()
    out.append(text[start:].strip())
    return [s for s in out if s]


def gvdb_docs(path):
    """(url, body text) per article; the title glued before the body is removed."""
    csv.field_size_limit(sys.maxsize)
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    for row in rows[1:]:
        _, url, title, text = row[:4]
        if text.startswith(title):
            text = text[len(title):]
        yield url, text


OPEN_ATTACH = {"(", "[", "“", "‘", "$", "#"}
CLOSE_ATTACH = {".", ",", ":", ";", "?", "!", ")", "]", "”", "’", "%", "...", "…",
                "'s", "’s", "n't", "n’t", "'re", "’re", "'ve", "’ve", "'m", "’m",
                "'d", "’d", "'ll", "’ll"}
FUNCTION_WORDS = {"the", "a", "an", "and", "or", "but", "which", "who", "it", "he", "she",
                  "they", "we", "i", "as", "not", "including", "in", "of", "to", "is", "was"}


def detokenise(tokens):
    """Rejoin RAMS tokens: punctuation attached, hyphens between words joined, straight
    quotes alternately opening and closing."""
    out, glue_next, quote_open = "", True, False
    for i, tok in enumerate(tokens):
        attach = tok in CLOSE_ATTACH
        if tok == '"':
            attach = quote_open
            quote_open = not quote_open
        if tok == "-" and 0 < i < len(tokens) - 1:
            left, right = tokens[i - 1], tokens[i + 1]
            if left[-1].isalnum() and right[0].isalnum() and not (
                left.lower() in FUNCTION_WORDS or right.lower() in FUNCTION_WORDS
            ):
                out += tok
                glue_next = True
                continue
        out += tok if (glue_next or attach or not out) else " " + tok
        glue_next = tok in OPEN_ATTACH or (tok == '"' and quote_open)
    return out


RAMS_TYPES = ("conflict", "life", "justice", "movement", "artifactexistence", "disaster")


def rams_docs(path):
    """(url, sentences) per source URL whose windows carry a conflict / life / justice /
    movement / damage / disaster event; windows of one URL merged, repeats dropped."""
    docs = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            etype = rec["evt_triggers"][0][2][0][0]
            entry = docs.setdefault(rec["source_url"], {"keep": False, "sents": []})
            entry["keep"] |= etype.split(".")[0] in RAMS_TYPES
            for toks in rec["sentences"]:
                sent = detokenise(toks)
                if sent not in entry["sents"]:
                    entry["sents"].append(sent)
    for url, entry in docs.items():
        if entry["keep"]:
            yield url, entry["sents"]


def muc3_docs(folder):
    """(url, body text) per dev message; the message id line is dropped."""
    for path in sorted(Path(folder).glob("DEV-MUC3-*.xhtml")):
        raw = path.read_text(encoding="utf-8")
        paras = [html.unescape(re.sub(r"<[^>]+>", "", p))
                 for p in re.findall(r"<p>(.*?)</p>", raw, re.S)]
        url = "https://github.com/dstl/muc3/blob/master/dev/" + path.name
        yield url, " ".join(paras[1:])


def newspages_docs(path):
    """(url, sentences) per saved excerpt, in the saved order: lines are paragraphs; a last
    fragment without final punctuation (the excerpt was cut there) is dropped."""
    blocks = open(path, encoding="utf-8").read().split("\n===\n")
    for block in blocks:
        lines = [ln for ln in block.split("\n") if not ln.startswith("QUERY: ")]
        urls = [ln[5:].strip() for ln in lines if ln.startswith("URL: ")]
        if not urls:
            continue
        sents = []
        for para in lines[lines.index("URL: " + urls[0]) + 1:]:
            sents.extend(split_sentences(para))
        if sents and not re.search(r"[.!?][\"'”’)]*$", sents[-1]):
            sents.pop()
        yield urls[0], sents


def gather(docs, target, seed, presplit=False, shuffle=True):
    """Cue sentences of documents in seeded random order until target sentences."""
    if shuffle:
        docs = sorted(docs)
        random.Random(seed).shuffle(docs)
    out, taken = [], 0
    for url, body in docs:
        if len(out) >= target:
            break
        taken += 1
        sents = body if presplit else split_sentences(body)
        for s in sents:
            cues = cues_of(s)
            if cues:
                out.append({"url": url, "sentence": s, "cues": cues})
    return out, taken, len(docs)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("collection", choices=["gvdb", "rams", "muc3", "newspages"])
    ap.add_argument("source", help="gvdb: dev.tsv; rams: dev.jsonlines; muc3: dev folder; "
                    "newspages: saved excerpts")
    ap.add_argument("out", help="candidates JSONL (outside the repository)")
    ap.add_argument("--target", type=int, default=180)
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args()
    reader = {"gvdb": gvdb_docs, "rams": rams_docs, "muc3": muc3_docs,
              "newspages": newspages_docs}[args.collection]
    pages = args.collection == "newspages"
    rows, taken, total = gather(list(reader(args.source)), args.target, args.seed,
                                presplit=args.collection in ("rams", "newspages"),
                                shuffle=not pages)
    with open(args.out, "w", encoding="utf-8") as f:
        for n, row in enumerate(rows, 1):
            row = {"id": "%s-%04d" % (args.collection, n), **row}
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    urls = len({r["url"] for r in rows})
    print(f"{args.collection}: {len(rows)} sentences from {urls} documents with a cue "
          f"({taken} of {total} documents taken, seed {args.seed})", file=sys.stderr)


if __name__ == "__main__":
    main()
