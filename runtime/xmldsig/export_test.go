package xmldsig

// CachedChains returns the number of chains v has cached (tests only).
func (v *Verifier) CachedChains() int { return v.chains.len() }
