#!/usr/bin/env bash
# Convert benchmark (issue: foundation): one real-size GHRSST-like day, zarrsync vs xarray.
#   bench/convert-benchmark.sh [WORKDIR] [DAYS]
# Needs /usr/bin/python3 with xarray/zarr/netCDF4 and ../shared/tools/gen_synthetic.py.
# JVM options: $BENCH_JAVA_OPTS (default: bin/jvm-options, those zarrsync ships with).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-/tmp/zarrsync-convert-bench}"
days="${2:-1}"
mkdir -p "$work/sst"
if [ "$(ls "$work/sst"/*.nc 2>/dev/null | wc -l)" -lt "$days" ]; then
  /usr/bin/python3 "$root/../shared/tools/gen_synthetic.py" sst "$work/sst" --days "$days" --lat 4500 --lon 6000 >/dev/null
fi
[ -f "$root/cli/target/zarrsync.jar" ] && [ -f "$root/bench/target/zarrsync-bench-0.1.0-SNAPSHOT.jar" ] \
  || (cd "$root" && mvn -B -ntp -q -DskipTests package)
java_opts="${BENCH_JAVA_OPTS:-$(sed -e 's/#.*//' "$root/bin/jvm-options" | xargs)}"
files=$(ls "$work/sst"/*.nc | head -n "$days")
# shellcheck disable=SC2086
exec java $java_opts -cp "$root/cli/target/zarrsync.jar:$root/bench/target/zarrsync-bench-0.1.0-SNAPSHOT.jar" \
  io.zarrsync.bench.ConvertBenchmark "$work/out" $files
