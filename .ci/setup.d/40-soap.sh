#!/usr/bin/env bash
# runtime/soap interoperability test: python3-zeep, an independent SOAP 1.2
# stack, loads the WSDL our soap.Server publishes and calls an operation.
# Debian's interpreter (/usr/bin/python3) is the one that sees the package.
set -euo pipefail
if ! /usr/bin/python3 -c 'import zeep' 2>/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 python3-zeep >/dev/null
fi
/usr/bin/python3 -c 'import zeep, sys; print("zeep", zeep.__version__, "on python", sys.version.split()[0])'
