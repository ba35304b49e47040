package dmp

// RemoveConfidentialityCodes lets the tests build an unmasked entry as the
// client edits one.
var RemoveConfidentialityCodes = removeConfidentialityCodes
