package photo

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// ErrSignature is returned by Verify for a URL that is forged, altered or expired.
var ErrSignature = errors.New("the photo link is invalid or has expired")

// Signer mints and checks the expiring URLs photos are served through: an HMAC-SHA256 over the
// stored file's key and the expiry. Whoever holds a URL may fetch the photo until it expires,
// so URLs are minted only for the order's customer and staff.
type Signer struct {
	// Key is the HMAC key.
	Key []byte
	// TTL is how long a URL lives at least.
	TTL time.Duration
	// Base is the path the photo handler serves, e.g. /photos/.
	Base string
}

// granularity rounds expiries up, so that the same photo gets the same URL for a while and the
// browser's cache keeps working across re-renders and live updates.
const granularity = 10 * time.Minute

// URL returns the signed URL of the stored file key, valid from now for at least TTL.
func (s Signer) URL(key string, now time.Time) string {
	exp := now.Add(s.TTL).Add(granularity - 1).Truncate(granularity).Unix()
	q := url.Values{"exp": {strconv.FormatInt(exp, 10)}, "sig": {s.mac(key, exp)}}
	return s.Base + key + "?" + q.Encode()
}

// Verify checks the signature and expiry of key's URL query q at now and returns the expiry.
func (s Signer) Verify(key string, q url.Values, now time.Time) (time.Time, error) {
	exp, err := strconv.ParseInt(q.Get("exp"), 10, 64)
	if err != nil || key == "" || strings.Contains(key, "..") {
		return time.Time{}, ErrSignature
	}
	want := s.mac(key, exp)
	if !hmac.Equal([]byte(want), []byte(q.Get("sig"))) || now.Unix() >= exp {
		return time.Time{}, ErrSignature
	}
	return time.Unix(exp, 0), nil
}

func (s Signer) mac(key string, exp int64) string {
	m := hmac.New(sha256.New, s.Key)
	m.Write([]byte("photo\x00" + key + "\x00" + strconv.FormatInt(exp, 10)))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}
