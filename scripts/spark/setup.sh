#!/usr/bin/env bash
# The Python side of the Spark recipe in a virtualenv of its own (default target/spark-venv):
# pyspark (which brings Spark's jars; Java 17 or later must be on the PATH), moto[server]
# (an S3 served on 127.0.0.1 for the test), boto3 and pyarrow. Does nothing when they are
# there. Usage: bash scripts/spark/setup.sh [VENV]
set -euo pipefail
venv=${1:-target/spark-venv}
if ! command -v java >/dev/null 2>&1; then
    echo "java is missing: Spark needs Java 17 or later (Debian: apt-get install openjdk-17-jre-headless)" >&2
    exit 2
fi
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c "import pyspark, moto, boto3, pyarrow" 2>/dev/null; then
    "$venv/bin/pip" install --quiet --disable-pip-version-check \
        "pyspark>=4.0,<5" "moto[server]>=5,<6" "boto3>=1.34" "pyarrow>=15"
fi
