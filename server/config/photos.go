package config

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Photos configures the photos the workshop posts to orders.
type Photos struct {
	// BlobURL is where photo files are kept: file:PATH (a local folder) or
	// s3://BUCKET?endpoint=…&region=… (credentials from AWS_ACCESS_KEY_ID and
	// AWS_SECRET_ACCESS_KEY).
	BlobURL string
	// MaxBytes is the largest photo file accepted.
	MaxBytes int64
	// URLTTL is how long a signed photo URL lives at least.
	URLTTL time.Duration
	// URLSecret signs photo URLs (environment only); empty: a random key per process, which
	// suits one instance (URLs minted by another instance are then refused).
	URLSecret []byte
	// S3Credentials are AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN
	// (environment only), for an s3 BLOB_URL.
	S3Credentials map[string]string
}

// photoFlags registers the photo settings and returns a function that reads them after parsing.
func photoFlags(ef *envFlags) func() (Photos, []error) {
	fs, get := ef.fs, ef.get
	blobURL := fs.String("blob-url", get("BLOB_URL", "file:data/photos"),
		"where photos are kept: file:PATH or s3://BUCKET?endpoint=…&region=… (env BLOB_URL)")
	maxMB := ef.integer("photo-max-bytes", "PHOTO_MAX_BYTES", "10485760",
		"largest photo file accepted, in bytes (env PHOTO_MAX_BYTES)",
		func(n int) bool { return n >= 64<<10 && n <= 100<<20 }, "a whole number of bytes from 65536 to 104857600")
	ttl := ef.positiveDuration("photo-url-ttl", "PHOTO_URL_TTL", "1h",
		"lifetime of a signed photo URL (env PHOTO_URL_TTL)")
	return func() (Photos, []error) {
		p := Photos{BlobURL: *blobURL, S3Credentials: map[string]string{}}
		for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"} {
			if v := get(k, ""); v != "" {
				p.S3Credentials[k] = v
			}
		}
		var errs []error
		var n int
		n, errs = maxMB(errs)
		p.MaxBytes = int64(n)
		p.URLTTL, errs = ttl(errs)
		if secret := get("PHOTO_URL_SECRET", ""); secret != "" {
			key, err := base64.StdEncoding.DecodeString(secret)
			if err != nil || len(key) < 32 {
				errs = append(errs, &Error{"PHOTO_URL_SECRET",
					"must be at least 32 random bytes in base64 (e.g. openssl rand -base64 32)"})
			}
			p.URLSecret = key
		}
		u, err := url.Parse(p.BlobURL)
		switch {
		case err != nil:
			errs = append(errs, &Error{"BLOB_URL", "not a URL"})
		case u.Scheme == "file":
		case u.Scheme == "s3":
			if u.Host == "" {
				errs = append(errs, &Error{"BLOB_URL", "an s3 URL names its bucket: s3://BUCKET?endpoint=…"})
			}
		default:
			errs = append(errs, &Error{"BLOB_URL", fmt.Sprintf("%q must start with file: or s3://",
				redact(strings.SplitN(p.BlobURL, "?", 2)[0]))})
		}
		return p, errs
	}
}
