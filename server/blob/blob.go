// Package blob stores files (the photos of orders) behind one interface: a local folder in the
// embedded default, an S3-compatible bucket (AWS S3, MinIO, versitygw …) when BLOB_URL says so.
package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// ErrNotFound is returned by Get for a key that holds nothing.
var ErrNotFound = errors.New("blob not found")

// Store keeps files by key. Keys are slash-separated paths of letters, digits, '-', '_' and '.'.
type Store interface {
	// Put stores data under key with its content type, replacing what was there.
	Put(ctx context.Context, key string, data []byte, contentType string) error
	// Get opens the file under key; the caller closes it. ErrNotFound when there is none.
	Get(ctx context.Context, key string) (io.ReadCloser, error)
	// Delete removes key; deleting a missing key is not an error.
	Delete(ctx context.Context, key string) error
}

// Open returns the store raw names:
//
//	file:///var/lib/atelier/blobs   a local folder (created if missing)
//	s3://bucket?endpoint=http://127.0.0.1:7070&region=us-east-1
//	                                an S3-compatible bucket; the credentials come from the
//	                                environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)
//	                                through env, never from the URL
//
// Without endpoint the bucket is AWS's. An s3 URL may add prefix=PATH/ to keep the files under a
// folder of a shared bucket, and create=1 to create a missing bucket at start.
func Open(ctx context.Context, raw string, env func(string) string) (Store, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("parsing blob URL: %w", err)
	}
	switch u.Scheme {
	case "file":
		dir := u.Path
		if u.Host != "" && u.Host != "localhost" {
			return nil, fmt.Errorf("file URL must be file:///absolute/path or file:relative/path")
		}
		if dir == "" {
			dir = u.Opaque
		}
		if dir == "" {
			return nil, fmt.Errorf("file URL names no folder")
		}
		return NewDir(dir)
	case "s3":
		return openS3(ctx, u, env)
	default:
		return nil, fmt.Errorf("%q: the blob URL must start with file:// or s3://", u.Scheme)
	}
}

// ValidKey reports whether key is a key Store accepts.
func ValidKey(key string) bool {
	if key == "" || len(key) > 512 || strings.HasPrefix(key, "/") || strings.HasSuffix(key, "/") {
		return false
	}
	for _, part := range strings.Split(key, "/") {
		if part == "" || part == "." || part == ".." {
			return false
		}
	}
	for _, r := range key {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
			r == '-' || r == '_' || r == '.' || r == '/'
		if !ok {
			return false
		}
	}
	return true
}

// Dir is a Store in a local folder.
type Dir struct{ root string }

// NewDir returns the store in folder root, created with the first file.
func NewDir(root string) (*Dir, error) {
	if fi, err := os.Stat(root); err == nil && !fi.IsDir() {
		return nil, fmt.Errorf("blob folder %s is a file", root)
	}
	return &Dir{root: root}, nil
}

func (d *Dir) path(key string) (string, error) {
	if !ValidKey(key) {
		return "", fmt.Errorf("invalid blob key %q", key)
	}
	return filepath.Join(d.root, filepath.FromSlash(key)), nil
}

// Put writes data to a temporary file and renames it into place, so a reader never sees half.
func (d *Dir) Put(_ context.Context, key string, data []byte, _ string) error {
	p, err := d.path(key)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
		return fmt.Errorf("creating blob folder: %w", err)
	}
	f, err := os.CreateTemp(filepath.Dir(p), ".put-*")
	if err != nil {
		return fmt.Errorf("writing blob: %w", err)
	}
	_, werr := f.Write(data)
	cerr := f.Close()
	if werr != nil || cerr != nil {
		_ = os.Remove(f.Name())
		return fmt.Errorf("writing blob: %w", errors.Join(werr, cerr))
	}
	if err := os.Rename(f.Name(), p); err != nil {
		_ = os.Remove(f.Name())
		return fmt.Errorf("writing blob: %w", err)
	}
	return nil
}

// Get opens key's file.
func (d *Dir) Get(_ context.Context, key string) (io.ReadCloser, error) {
	p, err := d.path(key)
	if err != nil {
		return nil, ErrNotFound
	}
	f, err := os.Open(p)
	if errors.Is(err, os.ErrNotExist) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("reading blob: %w", err)
	}
	return f, nil
}

// Delete removes key's file.
func (d *Dir) Delete(_ context.Context, key string) error {
	p, err := d.path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("deleting blob: %w", err)
	}
	return nil
}
