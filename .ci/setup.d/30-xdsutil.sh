#!/usr/bin/env bash
# Independent oracles for the runtime helpers: openssl and sha1sum (dochash),
# bc (UUID -> 2.25 OID big-integer conversion).
set -euo pipefail
need=()
command -v openssl >/dev/null || need+=(openssl)
command -v sha1sum >/dev/null || need+=(coreutils)
command -v bc >/dev/null || need+=(bc)
if ((${#need[@]})); then apt-get install -y -qq "${need[@]}" >/dev/null; fi
