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

# The repository's configuration in a throw-away module of the same path
# (the DMP API it renders needs a go.mod), generated into an empty tree each
# run: best wall time and best CPU time (user+sys, /usr/bin/time) of 5.
mkdir "$tmp/mod"
cp "$root/dmpgen.yaml" "$tmp/mod/"
printf 'module github.com/dmpgen/dmpgen\n\ngo 1.26\n' > "$tmp/mod/go.mod"
kitgen() {
  rm -rf "$tmp/mod/generated" "$tmp/mod/dmp" "$tmp/mod/spec"
  "$@" "$tmp/dmpgen" generate -config "$tmp/mod/dmpgen.yaml" -kit "$kit"
}
wall="" cpu=""
for _ in 1 2 3 4 5; do
  kitgen /usr/bin/time -f '%e %U %S' -o "$tmp/time" >/dev/null 2>&1 || { echo "failed: dmpgen generate on the kit" >&2; exit 1; }
  read -r e u s < "$tmp/time"
  wall=$(awk -v a="$e" -v b="$wall" 'BEGIN{ print (b == "" || a < b) ? a : b }')
  cpu=$(awk -v a="$(awk -v u="$u" -v s="$s" 'BEGIN{ print u + s }')" -v b="$cpu" 'BEGIN{ print (b == "" || a < b) ? a : b }')
done
files=$(find "$tmp/mod" -name '*.go' | wc -l)
lines=$(find "$tmp/mod" -name '*.go' -exec cat {} + | wc -l)
echo "dmpgen, whole kit into an empty tree (${files} files, ${lines} lines), best of 5: ${wall} s wall, ${cpu} s CPU (user+sys)"
rm -rf "$tmp/mod/generated" "$tmp/mod/dmp" "$tmp/mod/spec"
"$tmp/dmpgen" generate -v -config "$tmp/mod/dmpgen.yaml" -kit "$kit" 2>&1 | grep 'stages' | sed 's/^dmpgen: /  /'

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
