#!/usr/bin/env python3
"""Builds an extraction test set in the layout of ../shared/bench/article-extraction
(html/<id>.html.gz, ground-truth.json: id -> {url, articleBody}) from a public set's pages
and their expected outputs, read out of a git snapshot of its repository; and splits it into a
development part and a held-aside third fixed by a hash of each page's name
(dev.json, held.json: the same records).

usage: make-set.py readability|newspaper|wcxb GIT_DIR OUT_DIR

  readability  Mozilla readability's test pages (Apache-2.0): test/test-pages/<name>/
               source.html is the page, expected.html the article readability keeps; its
               text (block elements apart) is the true text.

  newspaper    the newspaper library's test pages (MIT): tests/data/html/<name>.html is the
               page, tests/data/text/<name>.txt the text newspaper's tests expect (its own
               output, checked by its authors: not hand-made, so a weaker truth).

  wcxb         WCXB, the Web Content eXtraction Benchmark (CC-BY-4.0): {dev,test}/html/
               <id>.html.gz is the page, {dev,test}/ground-truth/<id>.json its main_content
               (drafted by a language model, then reviewed by hand). Only the page types named
               in WCXB_TYPES (comma-separated, default "article": blogs, news, guides,
               reviews) are taken; a page is named <split>-<id>, and a page that is in
               both splits (the same URL) is taken once.

The sets themselves are not committed (see bench/sets.md for where they come from and their
licences): a snapshot's data lives beside the repository, or under ../shared/bench.
"""
import gzip, hashlib, html.parser, json, os, subprocess, sys
from pathlib import Path

BLOCKS = {"p", "div", "section", "article", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul",
          "ol", "dl", "dt", "dd", "blockquote", "pre", "table", "tr", "td", "th", "caption",
          "figure", "figcaption", "header", "footer", "main", "aside", "br", "hr", "tbody",
          "thead", "details", "summary", "address", "center"}


class Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "noscript", "template"):
            self.skip += 1
        elif tag in BLOCKS:
            self.out.append("\n\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "noscript", "template"):
            self.skip = max(0, self.skip - 1)
        elif tag in BLOCKS:
            self.out.append("\n\n")

    def handle_data(self, data):
        if not self.skip:
            self.out.append(data)


def html_text(source):
    parser = Text()
    parser.feed(source)
    parser.close()
    paragraphs = (" ".join(p.split()) for p in "".join(parser.out).split("\n\n"))
    return "\n\n".join(p for p in paragraphs if p)


def held(name):
    """A third of the pages, fixed by the name alone."""
    return int(hashlib.sha256(name.encode()).hexdigest(), 16) % 3 == 0


def show(git_dir, path):
    return subprocess.run(["git", "--git-dir", git_dir, "show", f"HEAD:{path}"],
                          check=True, capture_output=True).stdout


def readability(git_dir):
    names = subprocess.run(["git", "--git-dir", git_dir, "ls-tree", "--name-only",
                            "HEAD:test/test-pages"], check=True, capture_output=True,
                           text=True).stdout.split()
    for name in names:
        base = f"test/test-pages/{name}"
        source = show(git_dir, f"{base}/source.html")
        expected = show(git_dir, f"{base}/expected.html").decode("utf-8", "replace")
        yield name, source, html_text(expected), f"readability:{base}"


def newspaper(git_dir):
    names = subprocess.run(["git", "--git-dir", git_dir, "ls-tree", "--name-only",
                            "HEAD:tests/data/text"], check=True, capture_output=True,
                           text=True).stdout.split()
    for file in names:
        name = file[: -len(".txt")]
        try:
            source = show(git_dir, f"tests/data/html/{name}.html")
        except subprocess.CalledProcessError:
            continue
        text = show(git_dir, f"tests/data/text/{file}").decode("utf-8", "replace")
        yield name, source, text, f"newspaper:tests/data/html/{name}.html"


def wcxb(git_dir):
    types, seen = set(os.environ.get("WCXB_TYPES", "article").split(",")), set()
    for split in ("dev", "test"):
        files = subprocess.run(["git", "--git-dir", git_dir, "ls-tree", "--name-only",
                                f"HEAD:{split}/ground-truth"], check=True,
                               capture_output=True, text=True).stdout.split()
        for file in files:
            record = json.loads(show(git_dir, f"{split}/ground-truth/{file}"))
            truth = record.get("ground_truth", {}).get("main_content")
            url = record.get("url")
            if record["_internal"]["page_type"]["primary"] not in types or truth is None:
                continue
            if url in seen:  # the same page in both of WCXB's splits: keep it once
                continue
            seen.add(url)
            name = file[: -len(".json")]
            source = gzip.decompress(show(git_dir, f"{split}/html/{name}.html.gz"))
            yield (f"{split}-{name}", source, truth,
                   url or f"wcxb:{split}/html/{name}.html.gz")


def main(kind, git_dir, out):
    out = Path(out)
    (out / "html").mkdir(parents=True, exist_ok=True)
    pages = {"readability": readability, "newspaper": newspaper, "wcxb": wcxb}[kind](git_dir)
    truth = {}
    for name, source, text, url in pages:
        with gzip.open(out / "html" / f"{name}.html.gz", "wb") as f:
            f.write(source)
        truth[name] = {"url": url, "articleBody": text}
    commit = subprocess.run(["git", "--git-dir", git_dir, "rev-parse", "HEAD"], check=True,
                            capture_output=True, text=True).stdout.strip()
    for file, part in (("ground-truth.json", truth),
                       ("dev.json", {k: v for k, v in truth.items() if not held(k)}),
                       ("held.json", {k: v for k, v in truth.items() if held(k)})):
        (out / file).write_text(json.dumps(part, ensure_ascii=False, indent=1), "utf-8")
    (out / "SOURCE").write_text(f"{kind} test pages from commit {commit}\n", "utf-8")
    print(f"{len(truth)} pages, {sum(held(k) for k in truth)} held aside -> {out}")


if __name__ == "__main__":
    main(*sys.argv[1:])
