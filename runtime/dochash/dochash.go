// Package dochash computes the XDS "hash" and "size" slot values of a
// document while it streams: the hash is the SHA-1 of the document bytes
// as 40 lower-case hex characters, the size its length in bytes as a decimal
// string (IHE ITI TF-3 4.2.3.2.10 and 4.2.3.2.21). Nothing is buffered
// beyond the copy buffer, so documents of any size are hashed in constant
// memory.
package dochash

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"strconv"
)

// Digest is the XDS hash and size of a document.
type Digest struct {
	SHA1 string // 40 lower-case hex characters
	Size int64  // bytes
}

// SizeString returns the size as the XDS "size" slot value.
func (d Digest) SizeString() string { return strconv.FormatInt(d.Size, 10) }

// Hasher is an io.Writer that accumulates the digest of what is written;
// use it with io.MultiWriter or io.TeeReader while a document is sent.
type Hasher struct {
	h hash.Hash
	n int64
}

// New returns an empty Hasher.
func New() *Hasher { return &Hasher{h: sha1.New()} }

// Write adds p to the digest. It never fails.
func (h *Hasher) Write(p []byte) (int, error) {
	h.h.Write(p)
	h.n += int64(len(p))
	return len(p), nil
}

// Digest returns the digest of the bytes written so far.
func (h *Hasher) Digest() Digest {
	return Digest{SHA1: hex.EncodeToString(h.h.Sum(nil)), Size: h.n}
}

// Sum reads r to the end and returns its digest.
func Sum(r io.Reader) (Digest, error) {
	h := New()
	if _, err := io.Copy(h, r); err != nil {
		return Digest{}, fmt.Errorf("dochash: reading the document after %d bytes: %w", h.n, err)
	}
	return h.Digest(), nil
}

// Code is the stable code of a Verify failure (IPF ValidationMessage names).
type Code string

// Verify failure codes.
const (
	CodeInvalidHash   Code = "INVALID_HASH_CODE"     // the expected hash is not 40 hex characters
	CodeInvalidSize   Code = "INVALID_NUMBER_FORMAT" // the expected size is not a decimal number
	CodeIncorrectHash Code = "INCORRECT_HASH"
	CodeIncorrectSize Code = "INCORRECT_SIZE"
)

// MismatchError reports metadata that does not match the document.
type MismatchError struct {
	Code      Code
	Want, Got string
}

func (e *MismatchError) Error() string {
	return fmt.Sprintf("dochash: %s: metadata says %q, the document has %q", e.Code, e.Want, e.Got)
}

// ValidHash reports whether s is an XDS hash value: 40 hex characters
// (either case, as IPF's HashValidator accepts).
func ValidHash(s string) bool {
	if len(s) != 40 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}

// Verify compares the XDS hash and size slot values with the digest. The
// hash comparison ignores case. It returns a *MismatchError.
func (d Digest) Verify(hashSlot, sizeSlot string) error {
	if !ValidHash(hashSlot) {
		return &MismatchError{Code: CodeInvalidHash, Want: hashSlot, Got: d.SHA1}
	}
	n, err := strconv.ParseInt(sizeSlot, 10, 64)
	if err != nil || n < 0 || strconv.FormatInt(n, 10) != sizeSlot {
		return &MismatchError{Code: CodeInvalidSize, Want: sizeSlot, Got: d.SizeString()}
	}
	if !equalFoldHex(hashSlot, d.SHA1) {
		return &MismatchError{Code: CodeIncorrectHash, Want: hashSlot, Got: d.SHA1}
	}
	if n != d.Size {
		return &MismatchError{Code: CodeIncorrectSize, Want: sizeSlot, Got: d.SizeString()}
	}
	return nil
}

func equalFoldHex(a, b string) bool {
	x, err1 := hex.DecodeString(a)
	y, err2 := hex.DecodeString(b)
	return err1 == nil && err2 == nil && string(x) == string(y)
}
