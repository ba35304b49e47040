#!/usr/bin/env bash
# Security runtime benchmark (run by hand, not in CI): VIHF build + sign with a
# software RSA-2048 key against a bare crypto/rsa SignPKCS1v15 with the same
# key, measured interleaved in one run, and VIHF verification time.
# Targets (reported, not asserted): ratio <= 1.15, verify-ns/op < 300000.
set -euo pipefail
cd "$(dirname "$0")/.."
go test -run '^$' -bench 'Security|Verify' -benchtime "${BENCHTIME:-3s}" -count "${COUNT:-3}" ./runtime/wssec |
  awk '/^Benchmark/ {print} /ratio/ { for (i=1;i<=NF;i++) if ($(i)=="ratio") r=$(i-1); for (i=1;i<=NF;i++) if ($(i)=="verify-ns/op") v=$(i-1);
       printf "  -> VIHF build+sign / bare RSA = %.3f (target <= 1.15); verify = %.0f us (target < 300)\n", r, v/1000 }'
