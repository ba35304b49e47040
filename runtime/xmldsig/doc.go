// Package xmldsig signs and verifies XML signatures the way the DMP needs them:
// a handwritten exclusive canonicalisation (exc-c14n 1.0, with
// InclusiveNamespaces PrefixList on SignedInfo and on References, including
// prefixes bound on ancestors), an enveloped or same-document signer that goes
// through crypto.SignMessage (so a CPS card key that only signs whole messages
// works), and a strict verifier that resists signature wrapping: one signed
// element, one Reference to its ID, fixed transforms, allow-listed algorithms
// (the SHA-2 family; SHA-1 by opt-in), unique IDs, no DTD, a signer
// certificate meant for signing and chained to a configured pool. Verified
// chains are cached, bounded, only once their signature verified.
//
// Trees are github.com/beevik/etree. Sign the tree, then send Serialize's
// bytes; never re-marshal a signed tree with encoding/xml.
package xmldsig
