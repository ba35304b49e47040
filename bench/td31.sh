#!/usr/bin/env bash
# TD3.1 response decode vs xmllint: the AdhocQueryResponse of the official
# TD3.1 response (212 KB) decoded with generated/xds/query, with and without
# Validate (BenchmarkDecodeTD31 in dmp/xdsrim), against `xmllint --noout
# --nonet --schema <the DMP annex query.xsd>` on the same bytes, per document
# (a --repeat run of 100 minus a single run, median of 5 each). One test
# process per run, each measuring xmllint next to its own decoding; the
# ratios are xmllint's time over ours, wall-clock and CPU (user + system, our
# garbage collector included). Prints each run, then the medians and ranges.
# Usage: DMPGEN_KIT=../shared/spec-corpus bench/td31.sh [count]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export DMPGEN_KIT="${DMPGEN_KIT:-$(cd "$root/.." && pwd)/shared/spec-corpus}"
count=${1:-7}
command -v xmllint >/dev/null || { echo "xmllint is required (.ci/setup.d/10-base.sh installs it)" >&2; exit 1; }
echo "machine: $(nproc) CPU, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load average $(cut -d' ' -f1-3 /proc/loadavg)"

bin=$(mktemp -d)/xdsrim.test
trap 'rm -rf "$(dirname "$bin")"' EXIT
go test -c -o "$bin" ./dmp/xdsrim
out=
for _ in $(seq "$count"); do
  run=$(cd dmp/xdsrim && "$bin" -test.run '^$' -test.bench 'DecodeTD31' -test.benchtime 500x -test.benchmem | grep '^Benchmark')
  echo "$run"
  out+="$run"$'\n'
done

. bench/lib.sh
echo
printf 'over %s runs: median (min-max)\n' "$count"
for s in decode decode+validate; do
  printf '  %-16s %s us/doc; x-xmllint wall %s, CPU %s\n' "$s" \
    "$(stats "BenchmarkDecodeTD31/$s" ns/op | awk '{ printf "%.0f", $1 / 1000 }')" \
    "$(stats "BenchmarkDecodeTD31/$s" x-xmllint)" "$(stats "BenchmarkDecodeTD31/$s" x-xmllint-cpu)"
done
printf '  xmllint parse + XSD validation: %s ms/doc wall, %s CPU\n' \
  "$(stats BenchmarkDecodeTD31/decode xmllint-ms/doc)" "$(stats BenchmarkDecodeTD31/decode xmllint-cpu-ms/doc)"
