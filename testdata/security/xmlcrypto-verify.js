// Independent verifier for the Go tests: node xml-crypto checks the (only)
// Signature of a document against a given certificate and requires exactly
// one signed reference. Usage: node xmlcrypto-verify.js doc.xml cert.pem [idAttr]
// Prints VALID and exits 0, or prints the reason and exits 1.
"use strict";
const fs = require("fs");
const { DOMParser } = require("@xmldom/xmldom");
const { SignedXml } = require("xml-crypto");

const [docPath, certPath, idAttr] = process.argv.slice(2);
const xml = fs.readFileSync(docPath, "utf8");
const cert = fs.readFileSync(certPath, "utf8");
try {
  const doc = new DOMParser().parseFromString(xml, "text/xml");
  const sigs = doc.getElementsByTagNameNS("http://www.w3.org/2000/09/xmldsig#", "Signature");
  if (sigs.length !== 1) throw new Error("want exactly one Signature, found " + sigs.length);
  const opts = { publicCert: cert };
  // ID, Id and id are xml-crypto defaults; naming one again makes it count every element twice.
  if (idAttr && !["ID", "Id", "id"].includes(idAttr)) opts.idAttribute = idAttr;
  const sx = new SignedXml(opts);
  sx.loadSignature(sigs[0]);
  const ok = sx.checkSignature(xml);
  const refs = sx.getSignedReferences();
  if (!ok) throw new Error("checkSignature returned false");
  if (refs.length !== 1) throw new Error("signed references: " + refs.length);
  console.log("VALID");
} catch (e) {
  console.log("INVALID: " + e.message);
  process.exit(1);
}
