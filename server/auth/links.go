package auth

import (
	"context"
	"fmt"
	"time"

	"github.com/atelier/atelier/ent"
	"github.com/atelier/atelier/ent/accesslink"
	"github.com/atelier/atelier/server/fault"
)

// Secret link prefixes: a private link opens its order as the order token does; a sign-in link
// is redeemed once, before it expires, for a private link.
const (
	LinkTokenPrefix   = "atl_link_"
	SignInTokenPrefix = "atl_signin_"
)

// SignInLifetime is how long a "find my order" link works.
const SignInLifetime = 30 * time.Minute

// IssueLink stores a new private link to order orderID and returns its secret.
func IssueLink(ctx context.Context, client *ent.Client, orderID int) (string, error) {
	secret := NewSecret(LinkTokenPrefix)
	err := client.AccessLink.Create().SetOrderID(orderID).SetPurpose(accesslink.PurposeLink).
		SetTokenHash(Hash(secret)).Exec(ctx)
	if err != nil {
		return "", fmt.Errorf("storing private link: %w", err)
	}
	return secret, nil
}

// IssueSignIn stores a one-time sign-in link to order orderID, valid until now+SignInLifetime,
// and returns its secret and expiry.
func IssueSignIn(ctx context.Context, client *ent.Client, orderID int, now time.Time,
) (string, time.Time, error) {
	secret := NewSecret(SignInTokenPrefix)
	exp := now.Add(SignInLifetime)
	err := client.AccessLink.Create().SetOrderID(orderID).SetPurpose(accesslink.PurposeSignIn).
		SetTokenHash(Hash(secret)).SetExpiresAt(exp).SetCreatedAt(now).Exec(ctx)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("storing sign-in link: %w", err)
	}
	return secret, exp, nil
}

// errLinkInvalid is the one answer for a sign-in link that is unknown, used or expired.
var errLinkInvalid = fault.New(fault.Unauthenticated,
	"this sign-in link has expired or was already used: ask for a new one")

// RedeemSignIn spends sign-in secret (once, before it expires) and returns its order and a new
// private link secret that opens it from now on.
func RedeemSignIn(ctx context.Context, client *ent.Client, secret string, now time.Time,
) (int, string, error) {
	// Possession of the secret is the credential: the lookup itself is System work.
	ctx = System(ctx)
	link, err := client.AccessLink.Query().
		Where(accesslink.TokenHash(Hash(secret)), accesslink.PurposeEQ(accesslink.PurposeSignIn)).
		WithOrder().Only(ctx)
	if ent.IsNotFound(err) {
		return 0, "", errLinkInvalid
	}
	if err != nil {
		return 0, "", err
	}
	// One conditional update spends the link: two concurrent redemptions cannot both win.
	n, err := client.AccessLink.Update().
		Where(accesslink.ID(link.ID), accesslink.UsedAtIsNil(), accesslink.ExpiresAtGT(now)).
		SetUsedAt(now).Save(ctx)
	if err != nil {
		return 0, "", fmt.Errorf("spending sign-in link: %w", err)
	}
	if n == 0 || link.Edges.Order == nil {
		return 0, "", errLinkInvalid
	}
	orderID := link.Edges.Order.ID
	private, err := IssueLink(ctx, client, orderID)
	if err != nil {
		return 0, "", err
	}
	return orderID, private, nil
}

// linkViewer authenticates a private link secret.
func (a *Authenticator) linkViewer(ctx context.Context, token string) (*Viewer, error) {
	ctx = System(ctx) // checking a bearer token acts for no caller yet
	row, err := a.client.AccessLink.Query().
		Where(accesslink.TokenHash(Hash(token)), accesslink.PurposeEQ(accesslink.PurposeLink)).
		WithOrder(func(q *ent.OrderQuery) { q.Select("id") }).
		Only(ctx)
	if ent.IsNotFound(err) {
		return &Viewer{Err: errInvalidToken}, nil
	}
	if err != nil {
		return nil, err
	}
	if row.Edges.Order == nil {
		return &Viewer{Err: errInvalidToken}, nil
	}
	return &Viewer{OrderID: row.Edges.Order.ID}, nil
}
