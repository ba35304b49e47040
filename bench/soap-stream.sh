#!/usr/bin/env bash
# runtime/soap streaming benchmark (run by hand, not in CI): a SIZE-byte
# document (default 1 GiB) travels as an MTOM attachment from a soap.Client
# to a soap.Server over mutually authenticated HTTPS on loopback, client and
# server in separate processes, each reporting its peak RSS (VmHWM). The
# baseline is the same bytes POSTed over the same kind of HTTPS connection
# and io.Copy'd by the server. Both sides hash the content in both modes.
# Modes run interleaved REPEAT times (default 3); medians are reported.
# Target (checked): peak RSS < 64 MiB on each side. Throughput: reported as
# the ratio soap / copy.
set -euo pipefail
cd "$(dirname "$0")/.."
size=${SIZE:-$((1 << 30))}
repeat=${REPEAT:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/soap-stream" ./bench/soap-stream
"$work/soap-stream" pki -dir "$work"

run() { # mode -> appends "mode seconds client_kib server_kib" to $work/results
  local mode=$1 out="$work/server.$1.out" addr line
  : >"$out"
  "$work/soap-stream" server -dir "$work" -mode "$mode" >"$out" &
  local pid=$!
  for _ in $(seq 100); do
    addr=$(sed -n 's/^listening //p' "$out")
    [ -n "$addr" ] && break
    sleep 0.05
  done
  [ -n "$addr" ] || { echo "server did not start" >&2; kill "$pid"; exit 1; }
  line=$("$work/soap-stream" client -dir "$work" -mode "$mode" -url "https://$addr/" -size "$size")
  wait "$pid"
  echo "  $line"
  echo "  $(grep '^server' "$out")"
  local secs ckib skib
  secs=$(sed -n 's/.*seconds=\([0-9.]*\).*/\1/p' <<<"$line")
  ckib=$(sed -n 's/.*vmhwm_kib=\([0-9]*\).*/\1/p' <<<"$line")
  skib=$(sed -n 's/.*vmhwm_kib=\([0-9]*\).*/\1/p' "$out" | tail -1)
  echo "$mode $secs $ckib $skib" >>"$work/results"
}

echo "soap-stream: $size bytes, $repeat rounds (copy, soap interleaved)"
for _ in $(seq "$repeat"); do
  run copy
  run soap
done

awk -v size="$size" '
  { secs[$1] = secs[$1] " " $2; if ($3 > ck[$1]) ck[$1] = $3; if ($4 > sk[$1]) sk[$1] = $4 }
  function median(list,   a, n, i, j, t) {
    n = split(list, a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  END {
    fail = 0
    for (m in secs) {
      s = median(secs[m])
      printf "%-5s median %.3f s  %.1f MiB/s  peak RSS client %.1f MiB  server %.1f MiB\n", m, s, size / s / 1048576, ck[m] / 1024, sk[m] / 1024
      if (m == "soap" && (ck[m] >= 65536 || sk[m] >= 65536)) fail = 1
    }
    printf "throughput ratio soap / copy = %.3f\n", median(secs["copy"]) / median(secs["soap"])
    if (fail) { print "FAIL: peak RSS >= 64 MiB on a side"; exit 1 }
    print "peak RSS < 64 MiB on each side: OK"
  }' "$work/results"
