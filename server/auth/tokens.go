// Package auth holds staff access: bearer tokens with roles (stored only as SHA-256 hashes and
// compared in constant time), and the viewer that requests carry in their context.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"github.com/atelier/atelier/ent"
	"github.com/atelier/atelier/ent/stafftoken"
	"github.com/atelier/atelier/server/fault"
)

// staffTokenPrefix marks staff tokens so they are recognisable in a leaked-secret scan.
const staffTokenPrefix = "atl_staff_"

// NewSecret returns a fresh random token with prefix.
func NewSecret(prefix string) string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return prefix + base64.RawURLEncoding.EncodeToString(b[:])
}

// Hash returns the SHA-256 of a token: what is stored and looked up, never the token itself.
func Hash(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// ParseRole maps `designer` / `workshop` (any case) to a role.
func ParseRole(s string) (stafftoken.Role, error) {
	r := stafftoken.Role(strings.ToUpper(strings.TrimSpace(s)))
	if err := stafftoken.RoleValidator(r); err != nil {
		return "", fault.BadInput("role", "role must be designer or workshop, not %q", s)
	}
	return r, nil
}

// CreateStaffToken stores a new token for name with role and returns the token, shown once.
func CreateStaffToken(ctx context.Context, client *ent.Client, name string, role stafftoken.Role) (string, *ent.StaffToken, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", nil, fault.BadInput("name", "a token needs the name of who holds it")
	}
	secret := NewSecret(staffTokenPrefix)
	row, err := client.StaffToken.Create().
		SetName(name).SetRole(role).SetTokenHash(Hash(secret)).
		Save(ctx)
	if err != nil {
		return "", nil, fmt.Errorf("storing staff token: %w", err)
	}
	return secret, row, nil
}

// ListStaffTokens returns every token record, newest first.
func ListStaffTokens(ctx context.Context, client *ent.Client) ([]*ent.StaffToken, error) {
	return client.StaffToken.Query().Order(ent.Desc(stafftoken.FieldID)).All(System(ctx))
}

// RevokeStaffToken revokes token id; revoking twice keeps the first revocation time.
func RevokeStaffToken(ctx context.Context, client *ent.Client, id int, now time.Time) error {
	n, err := client.StaffToken.Update().
		Where(stafftoken.ID(id), stafftoken.RevokedAtIsNil()).
		SetRevokedAt(now).
		Save(ctx)
	if err != nil {
		return fmt.Errorf("revoking staff token: %w", err)
	}
	if n == 0 {
		exists, err := client.StaffToken.Query().Where(stafftoken.ID(id)).Exist(System(ctx))
		if err != nil {
			return fmt.Errorf("looking up staff token: %w", err)
		}
		if !exists {
			return fault.New(fault.NotFound, "no staff token %d", id)
		}
	}
	return nil
}
