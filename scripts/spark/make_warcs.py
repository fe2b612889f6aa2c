#!/usr/bin/env python3
"""Writes WARC files (WARC/1.0, gzip per record, as CC-NEWS has them) from raw corpus records:
each article as the HTTP response of an HTML page that gives its text as paragraphs, its
date (article:published_time) and its outlet (og:site_name), preceded by a request record,
with a warcinfo record first and a non-HTML response among them.

usage: make_warcs.py RAW_DIR OUT_DIR [--files N]
"""
import argparse
import gzip
import html
import io
import json
import pathlib
import uuid


def warc_record(kind, uri, block, date, content_type):
    rid = uuid.uuid5(uuid.NAMESPACE_URL, kind + (uri or ""))
    head = (
        "WARC/1.0\r\n"
        f"WARC-Type: {kind}\r\n"
        f"WARC-Record-ID: <urn:uuid:{rid}>\r\n"
        f"WARC-Date: {date}\r\n"
        + (f"WARC-Target-URI: {uri}\r\n" if uri else "")
        + f"Content-Type: {content_type}\r\n"
        f"Content-Length: {len(block)}\r\n\r\n"
    ).encode()
    out = io.BytesIO()
    # one gzip member a record; mtime fixed so that the files are the same on every run
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0) as gz:
        gz.write(head + block + b"\r\n\r\n")
    return out.getvalue()


def page(raw):
    meta = raw.get("meta", {})
    outlet = meta.get("site_name") or raw["origin"].get("file_name") or raw["id"]
    paragraphs = [p.strip() for p in raw["body"].split("\n\n") if p.strip()]
    head = [f'<meta property="og:site_name" content="{html.escape(outlet)}">']
    if meta.get("published"):
        head.append(f'<meta property="article:published_time" content="{meta["published"]}">')
    body = "".join(f"<p>{html.escape(p)}</p>\n" for p in paragraphs)
    text = (
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
        + "".join(head)
        + f"</head><body><article>\n{body}</article></body></html>"
    )
    return text.encode()


def http_response(body, content_type):
    head = (
        "HTTP/1.1 200 OK\r\n"
        f"Content-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    return head + body


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("raw_dir")
    ap.add_argument("out_dir")
    ap.add_argument("--files", type=int, default=2)
    args = ap.parse_args()
    raws = [json.loads(p.read_text()) for p in sorted(pathlib.Path(args.raw_dir).glob("*.json"))]
    out = pathlib.Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    date = "2024-01-02T00:00:00Z"
    for n in range(args.files):
        records = [warc_record("warcinfo", None, b"software: make_warcs.py\r\n", date,
                               "application/warc-fields")]
        for i, raw in enumerate(raws[n::args.files]):
            uri = f"https://news{n}.example/{raw['id']}"
            request = f"GET /{raw['id']} HTTP/1.1\r\nHost: news{n}.example\r\n\r\n".encode()
            records.append(warc_record("request", uri, request, date,
                                       "application/http; msgtype=request"))
            response = http_response(page(raw), "text/html; charset=utf-8")
            records.append(warc_record("response", uri, response, date,
                                       "application/http; msgtype=response"))
            if i == 0:
                image = http_response(b"\x89PNG\r\n\x1a\n", "image/png")
                records.append(warc_record("response", uri + ".png", image, date,
                                           "application/http; msgtype=response"))
        name = out / f"TEST-NEWS-20240102000000-{n:05d}.warc.gz"
        name.write_bytes(b"".join(records))


if __name__ == "__main__":
    main()
