#!/usr/bin/env bash
# Queue benchmark (issue 7, acceptance item 4): events/s from an SQS queue to a committed Zarr
# store in S3, for `zarrsync serve --sqs-queue` and for the Lambda handler, against an S3 server
# (s3proxy) and an SQS server (ElasticMQ) started inside the benchmark's JVM on 127.0.0.1.
#   bench/queue-benchmark.sh [--quick] [FILES]
# FILES small grid days are uploaded and notified (default 1000; --quick: 200). Java options:
# $BENCH_JAVA_OPTS (default -Xmx1g). Needs no Python and no network beyond 127.0.0.1.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bench="$root/bench/target/zarrsync-bench-0.1.0-SNAPSHOT.jar"
cp_file="$root/bench/target/classpath.txt"
[ -f "$bench" ] && [ -f "$cp_file" ] || (cd "$root" && mvn -B -ntp -q -DskipTests package)
echo "bench/queue-benchmark.sh $*  (java ${BENCH_JAVA_OPTS:--Xmx1g}; $(nproc) cores; $(date -u +%FT%TZ))"
# shellcheck disable=SC2086
exec java ${BENCH_JAVA_OPTS:--Xmx1g} -cp "$bench:$(cat "$cp_file")" io.zarrsync.bench.QueueBenchmark "$@"
