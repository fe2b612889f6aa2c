#!/usr/bin/env python3
"""List candidate sentences with casualty / attack / damage cue words from public web pages.

Sources (each a collection of tests/data/sentences/):
  web-bench    /work/shared/bench/article-extraction/ground-truth.json (true article text, MIT)
  readability  mozilla/readability test/test-pages/*/expected.html (Apache-2.0 repository)
  trafilatura  adbar/trafilatura tests/cache + tests/eval pages (URL map: tests/evaldata.json,
               tests/*_tests.py)
  htmldate     adbar/htmldate tests/cache + tests/eval + tests/test_set pages (URL map:
               tests/eval_*.json, tests/*_tests.py)

The repositories are read from git directories made by the `fetch` tool (no work tree), with
`git show HEAD:path`. Text is a rough visible-text extraction with html.parser; sentences are
split on end punctuation. Only English sentences are kept (the analyser reads English), each
once across all collections (first collection wins, in the order above).

Writes one JSON object per line to OUT (a scratch file, not in the repository):
  {"collection", "url", "file", "sentence", "cues"}
The gold (claims) is written by hand afterwards; this script never decides a claim.

usage: gather_web.py OUT [--mirror DIR] [--bench DIR]
"""

import argparse
import gzip
import json
import re
import subprocess
import sys
from html.parser import HTMLParser

# Cue words per measure: the stem must start a word; the rest of the word is free.
CUES = {
    "killed": r"kill|dead(ly)?\b|die[sd]?\b|dying|death|lives\b|(death )?tolls?\b|fatal"
    r"|perish(ed|es|ing)?\b|bod(y|ies)\b|murder|slain|massacre|casualt",
    "injured": r"injur|wound(s|ed|ing)?\b|hurt\b|hurts\b|hospital(s|i[sz]ed|i[sz]ation)?\b"
    r"|critical condition|casualt",
    "missing": r"missing\b|unaccounted",
    "arrested": r"arrest|detain|detention|custody|apprehend",
    "evacuated": r"evacuat",
    "displaced": r"displac|homeless|fled\b|flee(s|ing)?\b|refugee",
    "trapped": r"trapped|buried alive|under the rubble",
    "launched": r"launch|fire[sd]?\b|firing|shell(s|ed|ing)?\b|rocket|missile|drones?\b"
    r"|bomb(s|ed|ing|ings|er|ers)?\b|air ?strikes?\b|mortars?\b",
    "intercepted": r"intercept|shot down|shoot(s|ing)? down",
    "damaged": r"damag|destr(oy|uct)|razed?\b|flatten|burn(s|ed|t|ing)?\b|collaps|blaze"
    r"|ruin|wreck|fires?\b",
}
CUE_RES = {m: re.compile(r"\b(" + p + r")", re.IGNORECASE) for m, p in CUES.items()}

ENGLISH = set(
    "the a an of and to in is was were are be been has have had that this with for on at by "
    "from as it its his her their they he she we not but or which who said after".split()
)
FOREIGN = set(
    "der die das und ist nicht mit sich auf für ein eine dem den des von zu im auch es wird sind "
    "bei oder noch wie nach dies diese aus um le la les et est une des du pour dans qui sur pas "
    "il el los las y en por con para que del se lo una w na nie się jest z do".split()
)
SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "head", "iframe", "select",
             "option", "button", "form", "textarea"}
BLOCK_TAGS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
              "td", "th", "table", "section", "article", "header", "footer", "nav", "aside",
              "blockquote", "figcaption", "figure", "dd", "dt", "dl", "pre", "main", "title",
              "hr", "caption", "address"}


class TextParser(HTMLParser):
    """Visible text of a page, one block per line."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIP_TAGS:
            self.skip += 1
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in SKIP_TAGS and self.skip:
            self.skip -= 1
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_startendtag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def visible_text(html):
    parser = TextParser()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # a broken page gives what was read so far
        pass
    return "".join(parser.parts)


SPLIT = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
ABBREV = re.compile(r"\b(Mr|Mrs|Ms|Dr|St|Sen|Rep|Gov|Gen|Col|Lt|Sgt|Capt|Prof|Jr|Sr|No|Vol"
                    r"|U\.S|U\.K|U\.N|a\.m|p\.m|Inc|Co|Corp|Ltd|vs|etc|Jan|Feb|Mar|Apr|Aug"
                    r"|Sept?|Oct|Nov|Dec|Ft|Mt|Ave|approx)\.$")


def sentences(text):
    """Sentences of a text: blocks split on line breaks, then on end punctuation."""
    for block in re.split(r"\n\s*\n|\n", text):
        block = " ".join(block.split())
        if not block:
            continue
        pieces = SPLIT.split(block)
        merged = []
        for piece in pieces:
            if merged and ABBREV.search(merged[-1]):
                merged[-1] += " " + piece
            else:
                merged.append(piece)
        yield from merged


def is_english(sentence):
    words = re.findall(r"\w+", sentence.lower())
    hits = sum(w in ENGLISH for w in words)
    foreign = sum(w in FOREIGN for w in words)
    return len(words) >= 5 and hits >= 2 and hits / len(words) >= 0.12 and foreign < hits / 2


def cues_of(sentence):
    return [m for m, rx in CUE_RES.items() if rx.search(sentence)]


def git_show(gitdir, path):
    out = subprocess.run(["git", f"--git-dir={gitdir}", "show", f"HEAD:{path}"],
                         capture_output=True, check=False)
    return out.stdout if out.returncode == 0 else None


def git_files(gitdir, under):
    out = subprocess.run(["git", f"--git-dir={gitdir}", "ls-tree", "-r", "-z", "--name-only",
                          "HEAD", under], capture_output=True, check=True)
    return [p.decode("utf-8") for p in out.stdout.split(b"\0") if p]


def decode(raw):
    for enc in ("utf-8", "cp1252"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", "replace")


def web_bench(bench):
    truth = json.load(open(f"{bench}/ground-truth.json", encoding="utf-8"))
    for key in sorted(truth):
        yield truth[key]["url"], f"article-extraction/{key}", truth[key]["articleBody"]


PAGE_URL = re.compile(r"<link[^>]+rel=[\"']canonical[\"'][^>]+href=[\"']([^\"']+)"
                      r"|<meta[^>]+property=[\"']og:url[\"'][^>]+content=[\"']([^\"']+)",
                      re.IGNORECASE)


def readability(gitdir):
    base = "https://github.com/mozilla/readability/tree/main/"
    dirs = sorted({p.rsplit("/", 1)[0] for p in git_files(gitdir, "test/test-pages")})
    for d in dirs:
        expected = git_show(gitdir, f"{d}/expected.html")
        if expected is None:
            continue
        source = decode(git_show(gitdir, f"{d}/source.html") or b"")
        found = PAGE_URL.search(source)
        url = (found.group(1) or found.group(2)) if found else base + d
        if not url.startswith("http"):
            url = base + d
        yield url, d, visible_text(decode(expected))


URL_FILE = re.compile(r"\"(https?://[^\"]+)\"\s*:\s*\"([^\"/]+\.html?)\"")


def url_maps(gitdir, json_maps, py_maps):
    """file name -> URL, from JSON maps {url: {file: ...}} and "url": "file" pairs in tests."""
    names = {}
    for path in json_maps:
        raw = git_show(gitdir, path)
        if raw:
            for url, entry in json.loads(raw).items():
                names.setdefault(entry["file"], url)
    for path in py_maps:
        raw = git_show(gitdir, path)
        if raw:
            for url, name in URL_FILE.findall(decode(raw)):
                names.setdefault(name, url)
    return names


def page_url(key, html, repo, path):
    """The page's URL: the map's key when it is one, else the page's canonical link, else the
    file in its repository."""
    if key.startswith("http"):
        return key
    found = PAGE_URL.search(html)
    url = (found.group(1) or found.group(2)) if found else ""
    return url if url.startswith("http") else f"https://github.com/{repo}/blob/master/{path}"


def repo_pages(gitdir, repo, dirs, names):
    for d in dirs:
        for path in sorted(git_files(gitdir, d)):
            name = path.rsplit("/", 1)[1]
            if name not in names:
                continue
            raw = git_show(gitdir, path)
            if raw is None:
                continue
            if path.endswith(".gz"):
                raw = gzip.decompress(raw)
            html = decode(raw)
            yield page_url(names[name], html, repo, path), path, visible_text(html)


def collections(args):
    m = args.mirror
    tra = f"{m}/adbar+trafilatura/repo"
    hd = f"{m}/adbar+htmldate/repo"
    yield "web-bench", web_bench(args.bench)
    yield "readability", readability(f"{m}/mozilla+readability/repo")
    yield "trafilatura", repo_pages(
        tra, "adbar/trafilatura", ["tests/cache", "tests/eval"],
        url_maps(tra, ["tests/evaldata.json"], ["tests/realworld_tests.py", "tests/unit_tests.py"]))
    yield "htmldate", repo_pages(
        hd, "adbar/htmldate", ["tests/cache", "tests/eval", "tests/test_set"],
        url_maps(hd, ["tests/eval_default.json", "tests/eval_mediacloud_2020.json"],
                 ["tests/realworld_tests.py", "tests/unit_tests.py"]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--mirror", default="/work/.mirror")
    ap.add_argument("--bench", default="/work/shared/bench/article-extraction")
    args = ap.parse_args()
    seen = set()
    with open(args.out, "w", encoding="utf-8") as out:
        for name, pages in collections(args):
            count = 0
            for url, path, text in pages:
                for sentence in sentences(text):
                    key = re.sub(r"\W+", " ", sentence.lower()).strip()
                    cues = cues_of(sentence)
                    if not cues or key in seen or not is_english(sentence) or len(sentence) > 600:
                        continue
                    seen.add(key)
                    count += 1
                    row = {"collection": name, "url": url, "file": path,
                           "sentence": sentence, "cues": cues}
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")
            print(f"{name}: {count} sentences", file=sys.stderr)


if __name__ == "__main__":
    main()
