#!/usr/bin/env bash
# Instructions per TD3.1 decode+Validate (BenchmarkDecodeTD31Alone in
# dmp/xdsrim) counted by valgrind's cachegrind: the difference between runs
# of 25 and 5 iterations, divided by 20. Repeatable within about 1% (the Go
# runtime's own work varies a little), unlike times on a shared machine: use
# it to compare two versions of the decoder. The garbage
# collector is off (GOGC=off) and one thread runs Go code (GOMAXPROCS=1), so
# the count is the decoder's own work; bench/td31.sh measures times with the
# collector. Needs valgrind (apt-get install valgrind).
# Usage: DMPGEN_KIT=../shared/spec-corpus bench/td31-instructions.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export DMPGEN_KIT="${DMPGEN_KIT:-$(cd "$root/.." && pwd)/shared/spec-corpus}"
command -v valgrind >/dev/null || { echo "valgrind is required (apt-get install valgrind)" >&2; exit 1; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
CGO_ENABLED=0 go test -c -o "$dir/xdsrim.test" ./dmp/xdsrim
count() {
  local out
  out=$(cd dmp/xdsrim && GOGC=off GOMAXPROCS=1 GODEBUG=asyncpreemptoff=1 valgrind --tool=cachegrind --cache-sim=no \
    --cachegrind-out-file=/dev/null "$dir/xdsrim.test" -test.run '^$' -test.bench 'DecodeTD31Alone' -test.benchtime "$1x" 2>&1)
  if ! grep -q '^BenchmarkDecodeTD31Alone' <<<"$out"; then
    echo "the benchmark did not run (is the kit at \$DMPGEN_KIT=$DMPGEN_KIT?):" >&2
    echo "$out" | grep -v '^==' >&2
    exit 1
  fi
  awk '/I *refs:/ { gsub(",", "", $4); print $4 }' <<<"$out"
}
a=$(count 5)
b=$(count 25)
if [ -z "$a" ] || [ -z "$b" ] || [ "$b" -le "$a" ]; then
  echo "valgrind did not count both runs (5: '$a', 25: '$b'); run it again" >&2
  exit 1
fi
echo "instructions per TD3.1 decode+Validate: $(( (b - a) / 20 ))"
