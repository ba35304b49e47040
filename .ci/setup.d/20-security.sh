#!/usr/bin/env bash
# Tools used by the security runtime tests (runtime/xmldsig, vihf, pkcs11, xades, wssec):
#   xmlsec1 and node xml-crypto verify our signatures independently, xmlsec1 --sign
#   produces fixtures for our verifier, softhsm2 is the real PKCS#11 token,
#   opensc gives pkcs11-tool, xmllint validates the VIHF against the SAML schema.
# npm packages go into the git-ignored, test-only folder .cache/node.
set -euo pipefail
cd "$(dirname "$0")/../.."
need=()
command -v xmlsec1 >/dev/null || need+=(xmlsec1)
command -v softhsm2-util >/dev/null || need+=(softhsm2)
command -v pkcs11-tool >/dev/null || need+=(opensc)
command -v xmllint >/dev/null || need+=(libxml2-utils)
command -v openssl >/dev/null || need+=(openssl)
command -v node >/dev/null || need+=(nodejs)
command -v npm >/dev/null || need+=(npm)
if ((${#need[@]})); then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 "${need[@]}" >/dev/null
fi
if [ ! -f .cache/node/node_modules/xml-crypto/package.json ] || [ ! -f .cache/node/node_modules/@xmldom/xmldom/package.json ]; then
  mkdir -p .cache/node
  npm install --silent --no-audit --no-fund --prefix .cache/node xml-crypto@6 @xmldom/xmldom >/dev/null
fi
xmlsec1 --version | sed -n 1p
softhsm2-util --version | sed -n 1p
