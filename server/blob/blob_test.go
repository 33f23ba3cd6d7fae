package blob_test

import (
	"context"
	"io"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/server/blob"
	"github.com/atelier/atelier/server/testutil"
)

// contract checks what every Store promises.
func contract(t *testing.T, s blob.Store) {
	t.Helper()
	ctx := context.Background()
	key := "orders/1/abc-display.jpg"
	_, err := s.Get(ctx, key)
	require.ErrorIs(t, err, blob.ErrNotFound)

	require.NoError(t, s.Put(ctx, key, []byte("first"), "image/jpeg"))
	require.NoError(t, s.Put(ctx, key, []byte("second"), "image/jpeg"))
	r, err := s.Get(ctx, key)
	require.NoError(t, err)
	got, err := io.ReadAll(r)
	require.NoError(t, err)
	require.NoError(t, r.Close())
	assert.Equal(t, "second", string(got))

	require.NoError(t, s.Delete(ctx, key))
	_, err = s.Get(ctx, key)
	require.ErrorIs(t, err, blob.ErrNotFound)
	require.NoError(t, s.Delete(ctx, key), "deleting twice")

	for _, bad := range []string{"", "../x", "a/../../b", "/abs", "a//b", "sp ace", "a/"} {
		require.Error(t, s.Put(ctx, bad, []byte("x"), "text/plain"), "key %q", bad)
		_, err := s.Get(ctx, bad)
		require.ErrorIs(t, err, blob.ErrNotFound, "key %q", bad)
	}
}

func TestDir(t *testing.T) {
	s, err := blob.Open(context.Background(), "file://"+filepath.Join(t.TempDir(), "blobs"), nil)
	require.NoError(t, err)
	contract(t, s)
}

func TestS3(t *testing.T) {
	srv := testutil.StartS3(t)
	env := srv.Env()
	get := func(k string) string { return env[k] }
	ctx := context.Background()

	_, err := blob.Open(ctx, "s3://photos?endpoint="+srv.Endpoint+"&region=us-east-1", get)
	require.ErrorContains(t, err, "s3 bucket photos does not exist")
	_, err = blob.Open(ctx, srv.BlobURL("photos"), nil)
	require.ErrorContains(t, err, "needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")

	s, err := blob.Open(ctx, srv.BlobURL("photos"), get)
	require.NoError(t, err)
	contract(t, s)

	prefixed, err := blob.Open(ctx, srv.BlobURL("photos")+"&prefix=shop-a/", get)
	require.NoError(t, err)
	require.NoError(t, prefixed.Put(ctx, "k.jpg", []byte("a"), "image/jpeg"))
	_, err = s.Get(ctx, "k.jpg")
	require.ErrorIs(t, err, blob.ErrNotFound, "the prefix keeps the files apart")
	r, err := s.Get(ctx, "shop-a/k.jpg")
	require.NoError(t, err)
	_ = r.Close()
}

func TestOpenRefuses(t *testing.T) {
	for raw, want := range map[string]string{
		"http://x/y":              "must start with file:// or s3://",
		"s3://?endpoint=http://x": "names no bucket",
		"s3://b?endpoint=ftp://x": "must be an http(s) URL",
		"file://otherhost/var/x":  "file:///absolute/path",
	} {
		_, err := blob.Open(context.Background(), raw, func(string) string { return "x" })
		require.ErrorContains(t, err, want, raw)
	}
}
