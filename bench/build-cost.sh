#!/usr/bin/env bash
# Build cost of the generated code: what a vendor CI with a cold cache pays.
# In a fresh GOCACHE each (mktemp), measures with /usr/bin/time -v the CPU
# time (user+sys, every process of the build) and the peak RSS (the largest
# single process, in practice the compiler on the biggest package) of
#   - go build ./dmp                (cold: the standard library included)
#   - go build ./dmp, std cached    (the standard library deps built first,
#                                    not measured: the cost of our own code)
#   - go build ./generated/...      (cold)
# then the Go lines and bytes under each generated/ target, and the TD3.1
# decode benchmark (go test -bench DecodeTD31 ./dmp/xdsrim, needs the
# kit) in the same run, so that a cheaper build is checked not to cost
# decoding throughput. Names the machine and its load first.
# With BASELINE=<commit>, the three builds of that commit (extracted with
# git archive) are measured first in the same run, and the ratios printed.
# Usage: DMPGEN_KIT=../shared/spec-corpus [BASELINE=595902f] bench/build-cost.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export DMPGEN_KIT="${DMPGEN_KIT:-$(cd "$root/.." && pwd)/shared/spec-corpus}"
[ -x /usr/bin/time ] || { echo "/usr/bin/time is required (apt-get install time; .ci/setup.d/10-base.sh installs it)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT

echo "machine: $(nproc) CPUs, $(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(go version | cut -d' ' -f3-)"
echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- generated dmp internal || echo ' (with uncommitted changes)')"

# measure LABEL CACHE CMD...: runs CMD with GOCACHE=CACHE under /usr/bin/time
# and prints CPU seconds (user+sys), wall seconds and peak RSS; appends
# "label cpu rss" to $tmp/figures.
measure() {
  local label=$1 cache=$2
  shift 2
  GOCACHE="$cache" /usr/bin/time -v -o "$tmp/time" "$@" >"$tmp/out" 2>&1 || { cat "$tmp/out" "$tmp/time" >&2; exit 1; }
  awk -v label="$label" -v figures="$tmp/figures" -F': ' '
    /User time/ { u = $2 } /System time/ { s = $2 } /Maximum resident set size/ { r = $2 }
    /Elapsed \(wall clock\)/ { n = split($2, p, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + p[i] }
    END { printf "%-44s CPU %7.1f s (user+sys)  wall %6.1f s  peak RSS %6.0f MiB\n", label, u + s, w, r / 1024
          printf "%s\t%.1f\t%.0f\n", label, u + s, r / 1024 >> figures }' "$tmp/time"
}

# builds DIR TAG: the three builds of the tree at DIR, in fresh caches.
builds() {
  local dir=$1 tag=$2
  (
    cd "$dir"
    measure "$tag go build ./dmp (cold)" "$tmp/c1$tag" go build -o /dev/null ./dmp
    std=$(GOCACHE="$tmp/c2$tag" go list -deps -f '{{if .Standard}}{{.ImportPath}}{{end}}' ./dmp)
    # shellcheck disable=SC2086 # one argument per package
    GOCACHE="$tmp/c2$tag" go build $std
    measure "$tag go build ./dmp (std cached)" "$tmp/c2$tag" go build -o /dev/null ./dmp
    measure "$tag go build ./generated/... (cold)" "$tmp/c3$tag" go build ./generated/...
  )
}

if [ -n "${BASELINE:-}" ]; then
  mkdir "$tmp/base"
  git archive "$BASELINE" | tar -x -C "$tmp/base"
  builds "$tmp/base" "baseline"
fi
builds "$root" "this"
echo "load after the builds: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "${BASELINE:-}" ]; then
  awk -F'\t' '{ split($1, w, " "); k = substr($1, length(w[1]) + 2); if (w[1] == "baseline") { bc[k] = $2; br[k] = $3 } else { tc[k] = $2; tr[k] = $3; order[++n] = k } }
    END { for (i = 1; i <= n; i++) { k = order[i]; printf "%-36s baseline/this: CPU %.2fx, peak RSS %.2fx\n", k, bc[k] / tc[k], br[k] / tr[k] } }' "$tmp/figures"
fi

printf '%-22s %6s %10s %10s\n' target files lines bytes
tf=0 tl=0 tb=0
for d in generated/*/; do
  d=${d%/}
  f=$(find "$d" -name '*.go' | wc -l)
  [ "$f" -gt 0 ] || continue
  l=$(find "$d" -name '*.go' -exec cat {} + | wc -l)
  b=$(find "$d" -name '*.go' -exec cat {} + | wc -c)
  tf=$((tf + f)) tl=$((tl + l)) tb=$((tb + b))
  printf '%-22s %6d %10d %10d\n' "$d" "$f" "$l" "$b"
done
printf '%-22s %6d %10d %10d\n' total "$tf" "$tl" "$tb"

if [ -d "$DMPGEN_KIT" ]; then
  go test ./dmp/xdsrim -run '^$' -bench DecodeTD31 -benchtime 200x -count 3 | grep '^Benchmark'
else
  echo "TD3.1 decode: not measured, the kit is not at \$DMPGEN_KIT ($DMPGEN_KIT)"
fi
