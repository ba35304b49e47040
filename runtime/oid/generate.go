package oid

import (
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"io"
	"math/big"
	"strconv"
	"time"

	"github.com/dmpgen/dmpgen/runtime/uuid"
)

// UUIDRoot is the arc of OIDs derived from UUIDs (ITU-T X.667 / ISO 9834-8).
const UUIDRoot = "2.25"

// FromUUID returns the OID "2.25.<the UUID as an unsigned 128-bit decimal>".
func FromUUID(u uuid.UUID) string {
	n := new(big.Int).SetBytes(u[:])
	return UUIDRoot + "." + n.String()
}

// ToUUID is the inverse of FromUUID.
func ToUUID(s string) (uuid.UUID, error) {
	if err := Validate(s); err != nil {
		return uuid.UUID{}, err
	}
	if len(s) <= len(UUIDRoot)+1 || s[:len(UUIDRoot)+1] != UUIDRoot+"." {
		return uuid.UUID{}, fmt.Errorf("oid: %q is not under %s", s, UUIDRoot)
	}
	n, ok := new(big.Int).SetString(s[len(UUIDRoot)+1:], 10)
	if !ok || n.BitLen() > 128 {
		return uuid.UUID{}, fmt.Errorf("oid: %q: the arc after %s is not a 128-bit number", s, UUIDRoot)
	}
	var u uuid.UUID
	n.FillBytes(u[:])
	return u, nil
}

// Generator mints XDS uniqueIds (submission set and document uniqueIds)
// under a root OID: "<root>.<UTC milliseconds since 1970>.<48-bit random + 1>".
// The clock and the random source are injectable so that tests are
// deterministic; nil means time.Now and crypto/rand.
type Generator struct {
	Root  string           // the organisation's OID root
	Clock func() time.Time // nil: time.Now
	Rand  io.Reader        // nil: crypto/rand
}

// New returns a new uniqueId. It fails when the root is not a valid OID or
// is too long for the result to fit MaxLen characters.
func (g Generator) New() (string, error) {
	if err := Validate(g.Root); err != nil {
		return "", fmt.Errorf("oid: generator root: %w", err)
	}
	now := time.Now
	if g.Clock != nil {
		now = g.Clock
	}
	r := g.Rand
	if r == nil {
		r = rand.Reader
	}
	var b [8]byte
	if _, err := io.ReadFull(r, b[2:]); err != nil { // 48 random bits
		return "", fmt.Errorf("oid: reading random bytes: %w", err)
	}
	// +1 keeps the random arc non-zero.
	rnd := binary.BigEndian.Uint64(b[:]) + 1
	t := now()
	ms := t.UnixMilli()
	if ms < 0 {
		return "", fmt.Errorf("oid: clock before 1970: %v", t)
	}
	id := g.Root + "." + strconv.FormatInt(ms, 10) + "." + strconv.FormatUint(rnd, 10)
	if err := Validate(id); err != nil {
		return "", fmt.Errorf("oid: root %q is too long for a uniqueId: %w", g.Root, err)
	}
	return id, nil
}

// NewFromUUID returns a uniqueId under 2.25 from a random UUID read from r
// (crypto/rand when nil), for callers without an OID root of their own.
func NewFromUUID(r io.Reader) (string, error) {
	u, err := uuid.New(r)
	if err != nil {
		return "", err
	}
	return FromUUID(u), nil
}
