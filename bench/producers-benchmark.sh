#!/usr/bin/env bash
# Producers benchmark (issue 6, acceptance item 5): commit throughput (files/s) of one committer
# fed by 1, 4 and 16 producers; it must not fall as producers are added.
#   bench/producers-benchmark.sh [--quick] [--files N] [--reps N] [--producers 1,4,16] [--window 1s] [WORKDIR]
# WORKDIR defaults to /tmp/zarrsync-bench. The committer runs in-process (what 'zarrsync serve'
# runs: Committer + Spool + SyncEngine on a durable FileSystemStore); producers are threads of the
# same JVM. Input days are made by ../shared/tools/gen_synthetic.py (180 x 360 grid) and cached in
# WORKDIR/inputs; runs go to WORKDIR/producers (deleted at the end), figures to
# WORKDIR/results/producers.properties. JVM options: $BENCH_JAVA_OPTS (default: bin/jvm-options,
# those zarrsync ships with).
# Needs /usr/bin/python3 with netCDF4 and numpy (Debian python3-netcdf4) for the inputs.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work=/tmp/zarrsync-bench
args=()
while [ $# -gt 0 ]; do
  a="$1"
  shift
  case "$a" in
    --quick) args+=(--quick) ;;
    --files|--reps|--producers|--window|--lat|--lon) args+=("$a" "$1"); shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    -*) echo "unknown option $a" >&2; exit 2 ;;
    *) work="$a" ;;
  esac
done
case "$(realpath -m "$work")/" in
  "$root"/*) echo "keep the work directory out of the repository: $work" >&2; exit 2 ;;
esac
/usr/bin/python3 -c 'import netCDF4, numpy' \
  || { echo "needs /usr/bin/python3 with netCDF4 and numpy (Debian python3-netcdf4)" >&2; exit 2; }
java_opts="${BENCH_JAVA_OPTS:-$(sed -e 's/#.*//' "$root/bin/jvm-options" | xargs)}"
jar="$root/cli/target/zarrsync.jar"
bench="$root/bench/target/zarrsync-bench-0.1.0-SNAPSHOT.jar"
[ -f "$jar" ] && [ -f "$bench" ] || (cd "$root" && mvn -B -ntp -q -DskipTests package)
mkdir -p "$work"
echo "bench/producers-benchmark.sh ${args[*]:-} $work  (java $java_opts; $(nproc) cores;" \
  "$(date -u +%FT%TZ))"
start=$(date +%s)
# shellcheck disable=SC2086
java $java_opts -Dzarrsync.log.level=WARN -cp "$jar:$bench" io.zarrsync.bench.ProducersBenchmark \
  "$work" "$root" "${args[@]}"
echo "total wall time $(( $(date +%s) - start )) s (input generation included when not cached)"
