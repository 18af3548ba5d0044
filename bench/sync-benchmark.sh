#!/usr/bin/env bash
# Sync benchmark (issue 5, acceptance item 4): zarrsync sync/apply next to the old system
# (../shared/tools/poc/poc.py, one process per event) and xarray, on the same generated files.
#   bench/sync-benchmark.sh [--quick] [--items bulk,argo,build,latency] [WORKDIR]
# WORKDIR defaults to /tmp/zarrsync-bench; --quick runs smaller sizes; --items runs some items only
# (latency needs the stores of a build of the same mode).
# Generated inputs are cached in WORKDIR/inputs; stores and results are rewritten every run.
# Each item runs in a fresh JVM (options: $BENCH_JAVA_OPTS, default those zarrsync ships with,
# bin/jvm-options), so the peak RSS it prints is that item's alone.
# Needs /usr/bin/python3 with xarray, zarr, netCDF4 and dask (Debian python3-xarray python3-zarr
# python3-netcdf4 python3-dask).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work=/tmp/zarrsync-bench
quick=""
items="bulk argo build latency"
while [ $# -gt 0 ]; do
  a="$1"
  shift
  case "$a" in
    --quick) quick=--quick ;;
    --items) items="${1//,/ }"; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    -*) echo "unknown option $a" >&2; exit 2 ;;
    *) work="$a" ;;
  esac
done
case "$(realpath -m "$work")/" in
  "$root"/*) echo "keep the work directory out of the repository: $work" >&2; exit 2 ;;
esac
/usr/bin/python3 -c 'import xarray, zarr, netCDF4, dask' \
  || { echo "needs /usr/bin/python3 with xarray, zarr, netCDF4 and dask" >&2; exit 2; }
java_opts="${BENCH_JAVA_OPTS:-$(sed -e 's/#.*//' "$root/bin/jvm-options" | xargs)}"
jar="$root/cli/target/zarrsync.jar"
bench="$root/bench/target/zarrsync-bench-0.1.0-SNAPSHOT.jar"
[ -f "$jar" ] && [ -f "$bench" ] || (cd "$root" && mvn -B -ntp -q -DskipTests package)
mkdir -p "$work"
for item in $items; do rm -f "$work/results/$item.properties"; done
echo "bench/sync-benchmark.sh ${quick:+$quick }$work  (java $java_opts; $(nproc) cores;" \
  "$(date -u +%FT%TZ))"
start=$(date +%s)
for item in $items summary; do
  # shellcheck disable=SC2086
  java $java_opts -Dzarrsync.log.level=WARN -cp "$jar:$bench" io.zarrsync.bench.SyncBenchmark \
    "$item" "$work" "$root" $quick
done
echo "total wall time $(( $(date +%s) - start )) s (input generation included when not cached)"
