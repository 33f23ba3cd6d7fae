// Package bag keeps customers' bags in Redis beside their configuration sessions: several
// configured pieces, each a configuration with its quantity, from one or several products. It
// prices a bag as a whole (quote.PriceBag: product and bundle tiers, minimums) for the bag page
// and for checkout.
package bag

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/atelier/atelier/server/fault"
	"github.com/atelier/atelier/server/outage"
)

// bagKey + id is a bag's JSON under the configured prefix.
const bagKey = "bag:"

// Bag is a customer's bag.
type Bag struct {
	ID    string `json:"id"`
	Lines []Line `json:"lines"`
	// Destination is the country the bag ships to (ISO 3166-1 alpha-2), "" until chosen.
	Destination string    `json:"destination,omitempty"`
	Version     int       `json:"version"`
	CreatedAt   time.Time `json:"createdAt"`
	UpdatedAt   time.Time `json:"updatedAt"`
}

// Line is one configured piece of a bag, in its own quantity.
type Line struct {
	ID              string `json:"id"`
	ConfigurationID string `json:"configurationId"`
	Quantity        int    `json:"quantity"`
}

// Store reads and writes bags in Redis.
type Store struct {
	rdb    *redis.Client
	prefix string
	ttl    time.Duration
}

// NewStore returns a store keeping bags under prefix for ttl after their last use.
func NewStore(rdb *redis.Client, prefix string, ttl time.Duration) *Store {
	return &Store{rdb: rdb, prefix: prefix, ttl: ttl}
}

func (s *Store) key(id string) string { return s.prefix + bagKey + id }

var idEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// newID returns an unguessable id with prefix: a bag id is its share link.
func newID(prefix string, n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return prefix + strings.ToLower(idEncoding.EncodeToString(b))
}

// validID rejects ids that cannot be bags before they reach Redis.
func validID(id string) bool {
	if !strings.HasPrefix(id, "bag_") || len(id) != 36 {
		return false
	}
	for _, r := range id[4:] {
		if !(r >= 'a' && r <= 'z') && !(r >= '2' && r <= '7') {
			return false
		}
	}
	return true
}

// Create stores a new, empty bag.
func (s *Store) Create(ctx context.Context, now time.Time) (*Bag, error) {
	b := &Bag{ID: newID("bag_", 20), Lines: []Line{}, Version: 1, CreatedAt: now, UpdatedAt: now}
	data, err := json.Marshal(b)
	if err != nil {
		return nil, fmt.Errorf("encoding bag: %w", err)
	}
	if err := s.rdb.Set(ctx, s.key(b.ID), data, s.ttl).Err(); err != nil {
		return nil, unavailable(err)
	}
	return b, nil
}

// Get returns bag id and slides its TTL.
func (s *Store) Get(ctx context.Context, id string) (*Bag, error) {
	if !validID(id) {
		return nil, fault.New(fault.NotFound, "no bag %q", id)
	}
	data, err := s.rdb.GetEx(ctx, s.key(id), s.ttl).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, fault.New(fault.NotFound, "no bag %q (it may have expired)", id)
	}
	if err != nil {
		return nil, unavailable(err)
	}
	return decode(id, data)
}

func decode(id string, data []byte) (*Bag, error) {
	var b Bag
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, fmt.Errorf("decoding bag %s: %w", id, err)
	}
	return &b, nil
}

// Update applies change to bag id atomically (WATCH/MULTI/EXEC, retried when a concurrent
// writer lands first, so no edit is lost) and returns the bag after.
func (s *Store) Update(ctx context.Context, id string, now time.Time, change func(*Bag) error) (*Bag, error) {
	if !validID(id) {
		return nil, fault.New(fault.NotFound, "no bag %q", id)
	}
	key := s.key(id)
	for attempt := range 64 {
		var out *Bag
		err := s.rdb.Watch(ctx, func(tx *redis.Tx) error {
			data, err := tx.Get(ctx, key).Bytes()
			if errors.Is(err, redis.Nil) {
				return fault.New(fault.NotFound, "no bag %q (it may have expired)", id)
			}
			if err != nil {
				return err
			}
			b, err := decode(id, data)
			if err != nil {
				return err
			}
			if err := change(b); err != nil {
				return err
			}
			b.Version++
			b.UpdatedAt = now
			next, err := json.Marshal(b)
			if err != nil {
				return fmt.Errorf("encoding bag: %w", err)
			}
			_, err = tx.TxPipelined(ctx, func(pipe redis.Pipeliner) error {
				pipe.Set(ctx, key, next, s.ttl)
				return nil
			})
			out = b
			return err
		}, key)
		if errors.Is(err, redis.TxFailedErr) {
			// Another writer landed first: read again after a short, random pause so that
			// writers racing on one bag spread out.
			time.Sleep(time.Duration(mrand.Int64N(int64(attempt+1) * int64(time.Millisecond))))
			continue
		}
		if err != nil {
			if _, ok := fault.As(err); ok {
				return nil, err
			}
			return nil, unavailable(err)
		}
		return out, nil
	}
	return nil, fault.New(fault.Conflict, "the bag is too busy to change right now: retry")
}

// unavailable maps a Redis failure to UNAVAILABLE, keeping the cause for logs.
func unavailable(err error) error {
	if outage.Unreachable(err) {
		return fault.Wrap(fault.Unavailable, err, "bags are unavailable right now, try again shortly")
	}
	return fmt.Errorf("redis: %w", err)
}
