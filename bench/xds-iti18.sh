#!/usr/bin/env bash
# ITI-18 response pipeline vs xmllint: a 1,000-entry AdhocQueryResponse
# (the first TD3.1 entry that meets every rule, replicated with distinct
# ids, ~9.9 MB) decoded with generated/xds/query, checked with ValidateXSD,
# mapped to runtime/xds and checked with the metadata rules and the DMP
# value sets; against `xmllint --noout --nonet --schema <wrapper importing
# the DMP annex query.xsd>` on the same bytes, per document (a --repeat run
# of 100 minus a single run, median of 3 each: start-up and schema
# compilation cancel out), measured by the same benchmark process, in
# wall-clock and CPU time (user + system, our garbage collector included).
# Prints the machine and its load average before and after, each run (one
# test process each), then the medians, and for the
# ratios the median and range over the processes.
# Usage: DMPGEN_KIT=../shared/spec-corpus bench/xds-iti18.sh [count] [cpu-profile-file]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export DMPGEN_KIT="${DMPGEN_KIT:-$(cd "$root/.." && pwd)/shared/spec-corpus}"
count=${1:-5}
profile=()
if [ -n "${2:-}" ]; then profile=(yes); fi
command -v xmllint >/dev/null || { echo "xmllint is required (.ci/setup.d/10-base.sh installs it)" >&2; exit 1; }
machine() { echo "machine: $(nproc) CPU, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load average $(cut -d' ' -f1-3 /proc/loadavg)"; }
machine

# One process per run: each measures xmllint next to its own runs, so that
# a ratio compares two measurements minutes apart at most.
bin=$(mktemp -d)/xdsrim.test
trap 'rm -rf "$(dirname "$bin")"' EXIT
go test -c -o "$bin" ./dmp/xdsrim
out=
for i in $(seq "$count"); do
  prof=()
  if [ ${#profile[@]} -gt 0 ] && [ "$i" = 1 ]; then prof=(-test.cpuprofile "$(realpath -m "$2")"); fi
  run=$(cd dmp/xdsrim && "$bin" -test.run '^$' -test.bench 'ITI18Response1000$|ITI18Stages|ITI18Model' \
    -test.benchtime 20x -test.benchmem "${prof[@]}" | grep '^Benchmark')
  echo "$run"
  out+="$run"$'\n'
done

. bench/lib.sh
ours=$(median BenchmarkITI18Response1000 ns/op)
lint=$(median BenchmarkITI18Response1000 xmllint-ms/doc)
ratio=$(median BenchmarkITI18Response1000 x-xmllint)
lintcpu=$(median BenchmarkITI18Response1000 xmllint-cpu-ms/doc)
ratiocpu=$(median BenchmarkITI18Response1000 x-xmllint-cpu)
echo
machine
printf 'medians over %s runs (1,000 entries):\n' "$count"
printf '  dmpgen decode + ValidateXSD + map + rules: %8.1f ms\n' "$(awk -v n="$ours" 'BEGIN { print n / 1e6 }')"
for s in decode 'decode+xsd' 'decode+xsd+map'; do
  printf '    stage %-18s %8.1f ms\n' "$s" "$(awk -v n="$(median "BenchmarkITI18Stages/$s" ns/op)" 'BEGIN { print n / 1e6 }')"
done
for s in map rules rules-distinct; do
  printf '    model %-18s %8.1f ms\n' "$s" "$(awk -v n="$(median "BenchmarkITI18Model/$s" ns/op)" 'BEGIN { print n / 1e6 }')"
done
printf '  xmllint parse + XSD validation:            %8.1f ms (CPU %.1f ms)\n' "$lint" "$lintcpu"
printf '  ratio xmllint / dmpgen, wall-clock:        %8.2f (> 1: dmpgen is faster); processes: %s\n' "$ratio" "$(stats BenchmarkITI18Response1000 x-xmllint)"
printf '  ratio xmllint / dmpgen, CPU time:          %8.2f (our garbage collector included); processes: %s\n' "$ratiocpu" "$(stats BenchmarkITI18Response1000 x-xmllint-cpu)"
