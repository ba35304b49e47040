#!/usr/bin/env bash
# Generation time: dmpgen on the whole kit (every target of dmpgen.yaml, value
# sets included), and dmpgen vs gowsdl v0.5.0 on the 7 DMP WSDLs (the set
# gowsdl processes), one process per WSDL for both tools, measured in the same
# run (best of 5). gowsdl is built in a throw-away module as a benchmark tool
# only. Usage: DMPGEN_KIT=../shared/spec-corpus bench/generate.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
kit=$(cd "${DMPGEN_KIT:-$root/../shared/spec-corpus}" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

go build -o "$tmp/dmpgen" "$root/cmd/dmpgen"
(
  mkdir "$tmp/gw" && cd "$tmp/gw"
  go mod init gowsdlbench >/dev/null 2>&1
  GOFLAGS=-mod=mod go get github.com/hooklift/gowsdl@v0.5.0 >/dev/null 2>&1
  GOFLAGS=-mod=mod go build -o "$tmp/gowsdl" github.com/hooklift/gowsdl/cmd/gowsdl
)

# best N CMD...: the smallest wall time in milliseconds over 5 runs.
best() {
  local min=""
  for _ in 1 2 3 4 5; do
    local t0 t1
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
    t1=$(date +%s%N)
    local ms=$(( (t1 - t0) / 1000000 ))
    if [ -z "$min" ] || [ "$ms" -lt "$min" ]; then min=$ms; fi
  done
  echo "$min"
}

sed "s#out: generated/#out: $tmp/kitout/#" "$root/dmpgen.yaml" > "$tmp/kit.yaml"
kitms=$(best "$tmp/dmpgen" generate -config "$tmp/kit.yaml" -kit "$kit")
files=$(find "$tmp/kitout" -name '*.go' | wc -l)
lines=$(find "$tmp/kitout" -name '*.go' -exec cat {} + | wc -l)
echo "dmpgen, whole kit: ${kitms} ms (${files} files, ${lines} lines)"

wsdls="Habilitations PatientsSpecific patientCertif XDS.b_DocumentRegistry XDS.b_DocumentRepository PDQSupplier GestionDossierPatientPartage"
total_d=0 total_g=0
printf '%-30s %10s %10s %8s\n' WSDL dmpgen_ms gowsdl_ms ratio
for w in $wsdls; do
  f="$kit/dmp/annexe-wsdl-schema/wsdl/$w.wsdl"
  d=$(best "$tmp/dmpgen" generate -kit "$kit" -out "$tmp/d-$w" -module x "$f")
  mkdir -p "$tmp/g-$w"
  g=$(cd "$tmp/g-$w" && best "$tmp/gowsdl" -o out.go -p p "$f")
  total_d=$((total_d + d)) total_g=$((total_g + g))
  printf '%-30s %10s %10s %8s\n' "$w" "$d" "$g" "$(awk -v a="$d" -v b="$g" 'BEGIN{ if (b == 0) b = 1; printf "%.2f", a / b }')"
done
printf '%-30s %10s %10s %8s\n' TOTAL "$total_d" "$total_g" "$(awk -v a="$total_d" -v b="$total_g" 'BEGIN{ printf "%.2f", a / b }')"
echo "ratio = dmpgen time / gowsdl time (gowsdl v0.5.0 drops content these WSDLs need, such as the nested sequence that holds the XDS Document elements)"
