#!/usr/bin/env bash
# Tools used by the generator tests: xmllint validates what we encode against the official schemas.
set -euo pipefail
need=()
command -v xmllint >/dev/null || need+=(libxml2-utils)
command -v patch >/dev/null || need+=(patch)  # applies dmpgen check -diff back in the cli tests
[ -x /usr/bin/time ] || need+=(time)            # CPU and peak RSS of builds in bench/build-cost.sh
if ((${#need[@]})); then apt-get install -y -qq "${need[@]}" >/dev/null; fi
xmllint --version 2>&1 | sed -n 1p  # sed reads all input: no SIGPIPE under pipefail
