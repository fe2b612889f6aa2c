#!/usr/bin/env python3
"""The Spark recipe tested for real (`just spark-test`): WARC files made from the shipped
seed articles are put in an S3 bucket served on 127.0.0.1 by moto_server, the job runs in
Spark's local[2] mode with the crosscheck binaries, and what it finds is checked against
what `just ingest` finds on the same articles.

"Equals" is defined on the figures: for every event, measure and outlet, the smallest and
the largest count the outlet reports (`analyser report --format json`: each figure's values,
and the copies a value stands for, by the event's outlets) are the ones Spark SQL computes
from the claims; same events (ids), same measures, same outlets, nothing more and nothing
less. Claims without a count (vague) are left out on both sides.

Also checks the analyser's own Parquet (`analyser claims --format parquet`) read back with
pyarrow as a Hive-partitioned dataset: every claim, every field.

usage: spark_test.py BIN_DIR   (the folder of the fetcher, normaliser and analyser binaries)
"""
import glob
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
CONFIG = os.path.join(ROOT, "config", "crosscheck.toml")


def stage(bin_dir, name, corpus, *args):
    out = subprocess.run([os.path.join(bin_dir, name), "--corpus", corpus, "--config", CONFIG,
                          "-q", *args], check=True, capture_output=True, text=True)
    return out.stdout


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_moto():
    port = free_port()
    log = open(os.path.join(tempfile.gettempdir(), f"moto-{port}.log"), "w")
    moto = subprocess.Popen([os.path.join(os.path.dirname(sys.executable), "moto_server"),
                             "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return moto, url
        except OSError:
            time.sleep(0.1)
    moto.kill()
    raise SystemExit("moto_server did not start")


def ingest_figures(bin_dir, corpus):
    """(event, measure, outlet) -> (min, max) of the counts, from the corpus run's report."""
    stage(bin_dir, "normaliser", corpus)
    stage(bin_dir, "analyser", corpus)
    report = json.loads(stage(bin_dir, "analyser", corpus, "report", "--format", "json"))
    figures = {}
    for event in report["events"]:
        outlet_of = {a["article"]: a["outlet"] for a in event["articles"]}
        for figure in event["figures"]:
            for value in figure["values"]:
                if value.get("count") is None:
                    continue
                for article in [value["article"], *value.get("copies", [])]:
                    key = (event["id"], figure["measure"], outlet_of[article])
                    lo, hi = figures.get(key, (value["count"], value["count"]))
                    figures[key] = (min(lo, value["count"]), max(hi, value["count"]))
    return figures


def spark_figures(out):
    figures = {}
    for path in glob.glob(os.path.join(out, "by_outlet", "*.json")):
        for line in open(path):
            r = json.loads(line)
            figures[(r["event"], r["measure"], r["outlet"])] = (r["min_count"], r["max_count"])
    return figures


def check_parquet(bin_dir, corpus, work):
    """The analyser's Parquet, read with pyarrow, holds every claim line, field for field."""
    import pyarrow.dataset as ds
    lines = [json.loads(l) for l in stage(bin_dir, "analyser", corpus, "claims").splitlines()]
    out = os.path.join(work, "parquet")
    stage(bin_dir, "analyser", corpus, "claims", "--format", "parquet", "--out", out)
    table = ds.dataset(out, format="parquet", partitioning="hive").to_table()
    back = table.to_pylist()
    listed = ("parts", "attribution_chain")

    def key(line):
        return json.dumps({k: (json.dumps(v, separators=(",", ":"), ensure_ascii=False)
                               if k in listed and not isinstance(v, str) else v)
                           for k, v in sorted(line.items()) if v is not None and k != "month"},
                          sort_keys=True)
    want = sorted(key(l) for l in lines)
    got = sorted(key({k: v for k, v in r.items()}) for r in back)
    return want == got, f"{len(lines)} claim lines, {len(back)} Parquet rows"


def main():
    bin_dir = os.path.abspath(sys.argv[1])
    work = tempfile.mkdtemp(prefix="spark-test-")
    results = []
    moto = None
    try:
        corpus = os.path.join(work, "corpus")
        shutil.copytree(os.path.join(ROOT, "corpus", "raw"), os.path.join(corpus, "raw"))
        warcs = os.path.join(work, "warc")
        subprocess.run([sys.executable, os.path.join(HERE, "make_warcs.py"),
                        os.path.join(corpus, "raw"), warcs, "--files", "3"], check=True)

        moto, endpoint = start_moto()
        os.environ.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
                          AWS_DEFAULT_REGION="us-east-1")
        import boto3
        s3 = boto3.client("s3", endpoint_url=endpoint)
        s3.create_bucket(Bucket="news")
        for path in sorted(glob.glob(os.path.join(warcs, "*"))):
            s3.upload_file(path, "news", "crawl-data/TEST-NEWS/2024/01/" + os.path.basename(path))

        out = os.path.join(work, "out")
        started = time.time()
        subprocess.run([sys.executable, os.path.join(HERE, "crosscheck_job.py"),
                        "--input", "s3://news/crawl-data/TEST-NEWS/", "--endpoint-url", endpoint,
                        "--bin", bin_dir, "--out", out, "--master", "local[2]"], check=True)
        print(f"spark-test: the job took {time.time() - started:.0f} s")

        want = ingest_figures(bin_dir, corpus)
        got = spark_figures(out)
        same = bool(want) and want == got
        if not same:
            for key in sorted(set(want) | set(got)):
                if want.get(key) != got.get(key):
                    print(f"  {key}: ingest {want.get(key)}, spark {got.get(key)}")
        results.append(("the Spark comparison equals the ingest's, per event/measure/outlet "
                        f"({len(want)} figures)", same))
        errors = glob.glob(os.path.join(out, "errors", "*.json"))
        error_rows = sum(1 for p in errors for _ in open(p))
        results.append((f"no error rows ({error_rows})", error_rows == 0))
        ok, what = check_parquet(bin_dir, corpus, work)
        results.append((f"pyarrow reads the analyser's Parquet back whole ({what})", ok))
    finally:
        if moto:
            moto.terminate()
            moto.wait()
        shutil.rmtree(work, ignore_errors=True)
    for name, ok in results:
        print(f"{'ok' if ok else 'FAILED'}: {name}")
    failed = sum(1 for _, ok in results if not ok)
    print(f"spark-test: {len(results) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
