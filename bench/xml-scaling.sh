#!/usr/bin/env bash
# XML layer scaling benchmark (run by hand, not in CI): each adversarial
# shape (namespace flood, attribute flood, deep nesting, long names, long
# text, many small elements) at n and 2n through the xmltext decoder (limits
# raised, then the defaults), ReadElement (DOM), the encoder, xmldsig
# Parse + c14n, the soap.Server envelope reader and wssec.Verify (shape
# outside and inside the signed token). Prints the time per call at n and
# 2n (each the least of four 300 ms loops of calls, alternated) and the
# ratio per doubling (target <= 2.3; linear code gives about 2), then the 2.9 MB
# namespace-flood request. On a loaded machine, short cases are noisy.
# The operation-count bounds that guard these in `go test` are in
# runtime/xmltext/bounds_test.go and runtime/xmldsig/bounds_test.go.
set -euo pipefail
cd "$(dirname "$0")/.."
go test -run '^$' -bench 'ScalingTable' -benchtime 1x -timeout 60m ./bench/xmlscaling |
  grep -v -E '^(goos|goarch|pkg|cpu|BenchmarkScalingTable|PASS|ok)'
