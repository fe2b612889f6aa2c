#!/usr/bin/env python3
"""crosscheck on Apache Spark: WARC files in an S3 bucket to claims in Parquet and the
cross-outlet comparison per event (docs/scale-out.md).

The stages are the crosscheck binaries, run unchanged on each partition with RDD.pipe (the
pattern of Common Crawl's cc-pyspark): a partition's WARC files are downloaded to the
executor's disk, `fetcher --warc` reads them into stream records, `normaliser stream` and
`analyser stream --articles` work one record at a time. Event grouping needs every article
at once: `analyser group` reads the article rows (metadata and claims, a few KB each, no
text) in one partition and writes the claims with their events. Spark writes the claims as
Parquet partitioned by month and outlet and computes the comparison with Spark SQL.

usage: crosscheck_job.py --input s3://BUCKET/PREFIX --bin DIR --out DIR
                         [--endpoint-url URL] [--master local[2]] [--partitions N]
"""
import argparse
import os
import shutil
import tempfile

import boto3
from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

# The fields of `analyser claims --format jsonl` (docs/schema/claim.schema.json); the two
# lists (parts, attribution_chain) are kept as their JSON text (Spark's JSON reader does so
# for a string field), as in the Parquet the analyser writes itself.
CLAIM_SCHEMA = T.StructType(
    [T.StructField(n, T.StringType()) for n in (
        "article", "kind", "event", "published", "url", "outlet", "measure", "subject")]
    + [T.StructField("count", T.LongType())]
    + [T.StructField(n, T.StringType()) for n in (
        "qualifier", "location", "attribution", "quote", "value", "mention", "accuser",
        "accused")]
    + [T.StructField("attribution_chain", T.StringType()),
       T.StructField("parts", T.StringType()),
       T.StructField("denial", T.BooleanType()),
       T.StructField("error", T.StringType()),
       T.StructField("stage", T.StringType())]
)

# The comparison per event, measure and outlet: what each outlet reports.
BY_OUTLET_SQL = """
SELECT event, measure, outlet,
       MIN(count) AS min_count, MAX(count) AS max_count, COUNT(*) AS claims
FROM claims
WHERE kind = 'count' AND event IS NOT NULL AND count IS NOT NULL
GROUP BY event, measure, outlet
ORDER BY event, measure, outlet
"""

# The comparison per event and measure: how far the outlets are apart.
BY_EVENT_SQL = """
SELECT event, measure,
       COUNT(DISTINCT outlet) AS outlets,
       MIN(min_count) AS min_count, MAX(max_count) AS max_count,
       MIN(min_count) = MAX(max_count) AS agree,
       SORT_ARRAY(COLLECT_LIST(CONCAT(outlet, ': ', CAST(min_count AS STRING),
           CASE WHEN max_count > min_count THEN CONCAT('-', CAST(max_count AS STRING)) ELSE '' END)))
         AS figures
FROM by_outlet
GROUP BY event, measure
ORDER BY outlets DESC, event, measure
"""


def split_s3(uri):
    assert uri.startswith("s3://"), uri
    bucket, _, prefix = uri[len("s3://"):].partition("/")
    return bucket, prefix


def list_warcs(uri, endpoint_url):
    bucket, prefix = split_s3(uri)
    s3 = boto3.client("s3", endpoint_url=endpoint_url)
    keys = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        keys += [o["Key"] for o in page.get("Contents", [])
                 if o["Key"].endswith((".warc.gz", ".warc"))]
    return bucket, sorted(keys)


def downloader(bucket, endpoint_url, scratch):
    """A partition's WARC files downloaded to the executor's disk, their paths yielded
    (the file keeps its name: the records' ids are made from it)."""
    def download(keys):
        s3 = boto3.client("s3", endpoint_url=endpoint_url)
        folder = tempfile.mkdtemp(prefix="warc-", dir=scratch)
        for key in keys:
            path = os.path.join(folder, os.path.basename(key))
            s3.download_file(bucket, key, path)
            yield path
    return download


def run(spark, args):
    sc = spark.sparkContext
    bucket, keys = list_warcs(args.input, args.endpoint_url)
    if not keys:
        raise SystemExit(f"no WARC files under {args.input}")
    scratch = tempfile.mkdtemp(prefix="crosscheck-spark-")
    b = args.bin
    try:
        paths = sc.parallelize(keys, args.partitions or len(keys)).mapPartitions(
            downloader(bucket, args.endpoint_url, scratch))
        records = paths.pipe(f"xargs -r -d '\\n' {b}/fetcher -q --warc")
        normalised = records.pipe(f"{b}/normaliser stream -q")
        articles = normalised.pipe(f"{b}/analyser stream --articles -q")
        grouped = articles.coalesce(1).pipe(f"{b}/analyser group -q")
        rows = spark.read.schema(CLAIM_SCHEMA).json(grouped)
        rows.cache()
        errors = rows.where(F.col("error").isNotNull())
        claims = (rows.where(F.col("error").isNull()).drop("error", "stage")
                  .withColumn("month", F.when(F.col("published").rlike(r"^\d{4}-\d{2}"),
                                              F.substring("published", 1, 7))
                              .otherwise(F.lit("undated"))))
        out = os.path.abspath(args.out)
        claims.write.mode("overwrite").partitionBy("month", "outlet").parquet(
            os.path.join(out, "claims"))
        errors.write.mode("overwrite").json(os.path.join(out, "errors"))
        spark.read.parquet(os.path.join(out, "claims")).createOrReplaceTempView("claims")
        by_outlet = spark.sql(BY_OUTLET_SQL)
        by_outlet.createOrReplaceTempView("by_outlet")
        by_outlet.coalesce(1).write.mode("overwrite").json(os.path.join(out, "by_outlet"))
        by_event = spark.sql(BY_EVENT_SQL)
        by_event.coalesce(1).write.mode("overwrite").json(os.path.join(out, "by_event"))
        by_event.show(20, truncate=80)
        print(f"crosscheck-spark: {len(keys)} WARC files, {claims.count()} claims, "
              f"{errors.count()} error rows; output in {out}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--input", required=True, help="s3://BUCKET/PREFIX of the WARC files")
    ap.add_argument("--endpoint-url", help="the S3 endpoint (default: AWS)")
    ap.add_argument("--bin", required=True, help="the folder of the crosscheck binaries")
    ap.add_argument("--out", required=True, help="the output folder")
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--partitions", type=int, help="default: one a WARC file")
    args = ap.parse_args()
    args.bin = os.path.abspath(args.bin)
    spark = (SparkSession.builder.master(args.master).appName("crosscheck")
             .config("spark.ui.enabled", "false")
             .config("spark.sql.shuffle.partitions", "4")
             .getOrCreate())
    spark.sparkContext.setLogLevel("WARN")
    try:
        run(spark, args)
    finally:
        spark.stop()


if __name__ == "__main__":
    main()
