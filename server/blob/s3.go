package blob

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3 is a Store in an S3-compatible bucket.
type S3 struct {
	client *minio.Client
	bucket string
	prefix string
}

// openS3 opens s3://bucket?endpoint=…&region=…&prefix=…&create=1 (see Open).
func openS3(ctx context.Context, u *url.URL, env func(string) string) (*S3, error) {
	if env == nil {
		env = func(string) string { return "" }
	}
	bucket := u.Host
	if bucket == "" {
		return nil, fmt.Errorf("the s3 URL names no bucket (s3://BUCKET?endpoint=…)")
	}
	q := u.Query()
	endpoint, secure := "s3.amazonaws.com", true
	if e := q.Get("endpoint"); e != "" {
		eu, err := url.Parse(e)
		if err != nil || (eu.Scheme != "http" && eu.Scheme != "https") || eu.Host == "" {
			return nil, fmt.Errorf("endpoint %q must be an http(s) URL", e)
		}
		endpoint, secure = eu.Host, eu.Scheme == "https"
	}
	key, secret := env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY")
	if key == "" || secret == "" {
		return nil, fmt.Errorf("an s3 blob store needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
	}
	client, err := minio.New(endpoint, &minio.Options{
		Creds:  credentials.NewStaticV4(key, secret, env("AWS_SESSION_TOKEN")),
		Secure: secure,
		Region: q.Get("region"),
		// Path-style requests work with every S3-compatible server (no per-bucket DNS).
		BucketLookup: minio.BucketLookupPath,
	})
	if err != nil {
		return nil, fmt.Errorf("creating s3 client: %w", err)
	}
	prefix := strings.Trim(q.Get("prefix"), "/")
	if prefix != "" {
		prefix += "/"
	}
	s := &S3{client: client, bucket: bucket, prefix: prefix}
	exists, err := client.BucketExists(ctx, bucket)
	if err != nil {
		return nil, fmt.Errorf("checking s3 bucket %s at %s: %w", bucket, endpoint, err)
	}
	if !exists {
		if q.Get("create") != "1" {
			return nil, fmt.Errorf("s3 bucket %s does not exist at %s (add create=1 to create it)",
				bucket, endpoint)
		}
		if err := client.MakeBucket(ctx, bucket, minio.MakeBucketOptions{Region: q.Get("region")}); err != nil {
			return nil, fmt.Errorf("creating s3 bucket %s: %w", bucket, err)
		}
	}
	return s, nil
}

// Put uploads data.
func (s *S3) Put(ctx context.Context, key string, data []byte, contentType string) error {
	if !ValidKey(key) {
		return fmt.Errorf("invalid blob key %q", key)
	}
	_, err := s.client.PutObject(ctx, s.bucket, s.prefix+key, bytes.NewReader(data), int64(len(data)),
		minio.PutObjectOptions{ContentType: contentType})
	if err != nil {
		return fmt.Errorf("uploading blob: %w", err)
	}
	return nil
}

// Get downloads key; the body streams from the bucket.
func (s *S3) Get(ctx context.Context, key string) (io.ReadCloser, error) {
	if !ValidKey(key) {
		return nil, ErrNotFound
	}
	obj, err := s.client.GetObject(ctx, s.bucket, s.prefix+key, minio.GetObjectOptions{})
	if err == nil {
		// GetObject is lazy: Stat makes the request, so a missing key is known now.
		_, err = obj.Stat()
	}
	if err != nil {
		if obj != nil {
			_ = obj.Close()
		}
		if minio.ToErrorResponse(err).Code == minio.NoSuchKey {
			return nil, ErrNotFound
		}
		return nil, fmt.Errorf("downloading blob: %w", err)
	}
	return obj, nil
}

// Delete removes key.
func (s *S3) Delete(ctx context.Context, key string) error {
	if !ValidKey(key) {
		return fmt.Errorf("invalid blob key %q", key)
	}
	if err := s.client.RemoveObject(ctx, s.bucket, s.prefix+key, minio.RemoveObjectOptions{}); err != nil {
		return fmt.Errorf("deleting blob: %w", err)
	}
	return nil
}
