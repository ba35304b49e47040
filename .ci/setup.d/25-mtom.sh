#!/usr/bin/env bash
# runtime/mtom tests use Python's email package as an independent MIME implementation.
set -euo pipefail
if ! command -v python3 >/dev/null || ! python3 -c 'import email.mime.multipart' 2>/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 python3 >/dev/null
fi
python3 --version
