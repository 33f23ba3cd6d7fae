package bag_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/server/bag"
	"github.com/atelier/atelier/server/fault"
	"github.com/atelier/atelier/server/testutil"
)

func TestStoreUpdatesNeverLoseALine(t *testing.T) {
	r := testutil.OpenRedis(t)
	s := bag.NewStore(r.Client, r.Prefix, time.Hour)
	ctx := context.Background()
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	b, err := s.Create(ctx, now)
	require.NoError(t, err)
	assert.Regexp(t, `^bag_[a-z2-7]{32}$`, b.ID)

	const writers = 20
	var wg sync.WaitGroup
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.Update(ctx, b.ID, now, func(b *bag.Bag) error {
				b.Lines = append(b.Lines, bag.Line{ID: fmt.Sprintf("ln_%d", i), ConfigurationID: "cfg", Quantity: 1})
				return nil
			})
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
	got, err := s.Get(ctx, b.ID)
	require.NoError(t, err)
	assert.Len(t, got.Lines, writers, "every concurrent add is kept")
	assert.Equal(t, 1+writers, got.Version)

	_, err = s.Get(ctx, "bag_nope")
	assert.True(t, fault.Is(err, fault.NotFound))
	_, err = s.Update(ctx, "bag_"+strings.Repeat("a", 32), now, func(*bag.Bag) error { return nil })
	assert.True(t, fault.Is(err, fault.NotFound))
	// A change that fails changes nothing.
	_, err = s.Update(ctx, b.ID, now, func(b *bag.Bag) error {
		b.Lines = nil
		return fault.BadInput("quantity", "no")
	})
	assert.True(t, fault.Is(err, fault.BadInput("", "").Code))
	got, err = s.Get(ctx, b.ID)
	require.NoError(t, err)
	assert.Len(t, got.Lines, writers)
}

func TestStoreBagsExpireAfterTheirLastUse(t *testing.T) {
	r := testutil.OpenRedis(t)
	if r.Mini == nil {
		t.Skip("time travel needs the in-process Redis")
	}
	s := bag.NewStore(r.Client, r.Prefix, time.Hour)
	ctx := context.Background()
	b, err := s.Create(ctx, time.Now())
	require.NoError(t, err)
	r.Mini.FastForward(50 * time.Minute)
	_, err = s.Get(ctx, b.ID) // slides the TTL
	require.NoError(t, err)
	r.Mini.FastForward(50 * time.Minute)
	_, err = s.Get(ctx, b.ID)
	require.NoError(t, err)
	r.Mini.FastForward(61 * time.Minute)
	_, err = s.Get(ctx, b.ID)
	assert.True(t, fault.Is(err, fault.NotFound))
}
