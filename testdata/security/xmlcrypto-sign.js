// Independent signer for the Go tests: node xml-crypto signs the root
// saml2:Assertion of a document with an enveloped signature placed after
// saml2:Issuer (exc-c14n, RSA-SHA256, SHA-256, KeyInfo/X509Certificate).
// Usage: node xmlcrypto-sign.js in.xml key.pem cert.pem out.xml
"use strict";
const fs = require("fs");
const { SignedXml } = require("xml-crypto");

const [inPath, keyPath, certPath, outPath] = process.argv.slice(2);
const assertion = "/*[local-name(.)='Assertion']";
try {
  const sx = new SignedXml({
    privateKey: fs.readFileSync(keyPath),
    publicCert: fs.readFileSync(certPath),
    canonicalizationAlgorithm: "http://www.w3.org/2001/10/xml-exc-c14n#",
    signatureAlgorithm: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
  });
  sx.addReference({
    xpath: assertion,
    digestAlgorithm: "http://www.w3.org/2001/04/xmlenc#sha256",
    transforms: ["http://www.w3.org/2000/09/xmldsig#enveloped-signature", "http://www.w3.org/2001/10/xml-exc-c14n#"],
  });
  sx.computeSignature(fs.readFileSync(inPath, "utf8"), {
    location: { reference: assertion + "/*[local-name(.)='Issuer']", action: "after" },
  });
  fs.writeFileSync(outPath, sx.getSignedXml());
  console.log("SIGNED");
} catch (e) {
  console.log("FAILED: " + e.message);
  process.exit(1);
}
