// Package configuration keeps customers' configuration sessions in Redis — product, catalog version,
// choices, quantity and a version number — with a sliding TTL and atomic, version-checked
// updates, and computes what each state shows through the pageview package, caching the result.
package configuration

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/atelier/atelier/server/fault"
	"github.com/atelier/atelier/server/outage"
	"github.com/atelier/atelier/server/pageview"
)

// Key names under the configured prefix.
const (
	stateKey      = "cfg:"         // + id: a hash {v: version, s: state JSON}
	updateChannel = "cfg-updated:" // + id: the new version is published here after each update
)

// State is a configuration session.
type State struct {
	ID             string            `json:"id"`
	ProductID      int               `json:"productId"`
	CatalogVersion int               `json:"catalogVersion"`
	Choices        []pageview.Choice `json:"choices"`
	Quantity       int               `json:"quantity"`
	// Destination is the ISO 3166-1 alpha-2 country the customer ships to; empty until chosen.
	Destination string `json:"destination,omitempty"`
	Version     int    `json:"version"`
	// Notices tell the customer what changed without their doing (e.g. after a catalog update);
	// they are kept until the next edit.
	Notices []string `json:"notices,omitempty"`
	// LastTotal is the total price last shown, in minor units, so an order can say if it moved.
	LastTotal int64     `json:"lastTotal"`
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// Store reads and writes session states in Redis.
type Store struct {
	rdb    *redis.Client
	prefix string
	ttl    time.Duration
	// optimistic makes Replace use WATCH/MULTI/EXEC instead of the Lua script.
	optimistic bool
	// known are states this process wrote or read, for ReadAt.
	known knownStates
}

// NewStore returns a store keeping sessions under prefix for ttl after their last use.
func NewStore(rdb *redis.Client, prefix string, ttl time.Duration) *Store {
	return &Store{rdb: rdb, prefix: prefix, ttl: ttl, known: knownStates{max: maxKnownStates}}
}

// maxKnownStates bounds the states a store remembers (~1 KB each); when full it forgets them
// all and starts again.
const maxKnownStates = 8192

// knownStates remembers, by session id, the last state this process wrote or read. A session's
// version names exactly one state (Replace lets one writer have each version), so a remembered
// state at the version an edit expects is the state Redis holds at that version, if Redis
// still holds that version: the edit's Replace checks that, atomically, as it always does.
// Losing any of it costs one Redis read.
type knownStates struct {
	mu     sync.Mutex
	max    int
	states map[string]*State
}

func (k *knownStates) get(id string, version int) *State {
	k.mu.Lock()
	st := k.states[id]
	k.mu.Unlock()
	if st == nil || st.Version != version {
		return nil
	}
	return st.clone()
}

func (k *knownStates) put(st *State) {
	c := st.clone()
	k.mu.Lock()
	if k.states == nil || len(k.states) >= k.max {
		k.states = make(map[string]*State, min(k.max, 1024))
	}
	k.states[st.ID] = c
	k.mu.Unlock()
}

func (k *knownStates) forget(id string) {
	k.mu.Lock()
	delete(k.states, id)
	k.mu.Unlock()
}

// clone copies st deeply enough that neither copy's changes show in the other.
func (st *State) clone() *State {
	c := *st
	c.Choices = slices.Clone(st.Choices)
	c.Notices = slices.Clone(st.Notices)
	return &c
}

// UseOptimisticCAS makes Replace check the version with WATCH/MULTI/EXEC rather than a Lua
// script: the same guarantee (a concurrent writer makes one of the two fail with CONFLICT), one
// more round trip, but no script. Worth it on the embedded Redis (miniredis builds a whole Lua
// interpreter for every EVALSHA: ~190 KB of garbage and ~5% of a configure step's CPU); on a
// real Redis the script is cheaper. Call it before the store is used.
func (s *Store) UseOptimisticCAS() { s.optimistic = true }

// Channel is the Pub/Sub channel announcing new versions of session id.
func (s *Store) Channel(id string) string { return s.prefix + updateChannel + id }

func (s *Store) key(id string) string { return s.prefix + stateKey + id }

// NewID returns a fresh unguessable session id: it is also the share link, so it must not be
// enumerable.
func NewID() string {
	var b [20]byte
	_, _ = rand.Read(b[:])
	return "cfg_" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:]))
}

// validID rejects ids that cannot be ours before they reach Redis.
func validID(id string) bool {
	if !strings.HasPrefix(id, "cfg_") || len(id) != 36 {
		return false
	}
	for _, r := range id[4:] {
		if !(r >= 'a' && r <= 'z') && !(r >= '2' && r <= '7') {
			return false
		}
	}
	return true
}

// Create stores a new session (version 1).
func (s *Store) Create(ctx context.Context, st *State) error {
	st.Version = 1
	data, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("encoding session: %w", err)
	}
	pipe := s.rdb.TxPipeline()
	pipe.HSet(ctx, s.key(st.ID), "v", st.Version, "s", data)
	pipe.PExpire(ctx, s.key(st.ID), s.ttl)
	if _, err := pipe.Exec(ctx); err != nil {
		return unavailable(err)
	}
	s.known.put(st)
	return nil
}

// Get returns session id and slides its TTL.
func (s *Store) Get(ctx context.Context, id string) (*State, error) {
	return s.get(ctx, id, true)
}

// Read returns session id without sliding its TTL: for an edit, whose Replace slides it.
func (s *Store) Read(ctx context.Context, id string) (*State, error) {
	return s.get(ctx, id, false)
}

// ReadAt is Read for an edit at version expected: when this process last wrote or read
// session id at that version, it returns that state without asking Redis. The edit's Replace
// then finds out, atomically as always, whether the session is still at that version (else
// CONFLICT with the current one) and still there (else NOT_FOUND): exactly what a Read
// would have answered first. A customer editing through one instance saves a round trip per
// step: with the Lua compare-and-set, the step's only one is the Replace.
func (s *Store) ReadAt(ctx context.Context, id string, expected int) (*State, error) {
	if st := s.known.get(id, expected); st != nil {
		return st, nil
	}
	return s.Read(ctx, id)
}

func (s *Store) get(ctx context.Context, id string, slide bool) (*State, error) {
	if !validID(id) {
		return nil, fault.New(fault.NotFound, "no configuration %q", id)
	}
	var get *redis.StringCmd
	if slide {
		pipe := s.rdb.TxPipeline()
		get = pipe.HGet(ctx, s.key(id), "s")
		pipe.PExpire(ctx, s.key(id), s.ttl)
		if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
			return nil, unavailable(err)
		}
	} else {
		get = s.rdb.HGet(ctx, s.key(id), "s")
	}
	data, err := get.Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, fault.New(fault.NotFound, "no configuration %q (it may have expired)", id)
	}
	if err != nil {
		return nil, unavailable(err)
	}
	var st State
	if err := json.Unmarshal(data, &st); err != nil {
		return nil, fmt.Errorf("decoding session %s: %w", id, err)
	}
	s.known.put(&st)
	return &st, nil
}

// casScript replaces a session only if its version is still ARGV[1], slides its TTL and
// announces the new version, all atomically. It returns -2 on success, -1 when the session is
// gone, or the current version on a mismatch.
var casScript = redis.NewScript(`
local v = redis.call('HGET', KEYS[1], 'v')
if not v then return -1 end
if tonumber(v) ~= tonumber(ARGV[1]) then return tonumber(v) end
redis.call('HSET', KEYS[1], 'v', ARGV[2], 's', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('PUBLISH', ARGV[5], ARGV[2])
return -2
`)

// Replace stores st as the successor of version expected; a concurrent writer that got there
// first makes it fail with CONFLICT, so no update is ever silently lost.
func (s *Store) Replace(ctx context.Context, st *State, expected int) error {
	st.Version = expected + 1
	data, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("encoding session: %w", err)
	}
	var res int
	if s.optimistic {
		res, err = s.replaceWatched(ctx, st, expected, data)
	} else {
		res, err = casScript.Run(ctx, s.rdb, []string{s.key(st.ID)},
			expected, st.Version, data, s.ttl.Milliseconds(), s.Channel(st.ID)).Int()
	}
	if err != nil || res != -2 {
		s.known.forget(st.ID)
	}
	if fault.Is(err, fault.Conflict) {
		return err
	}
	if err != nil {
		return unavailable(err)
	}
	switch res {
	case -2:
		s.known.put(st)
		return nil
	case -1:
		return fault.New(fault.NotFound, "no configuration %q (it may have expired)", st.ID)
	default:
		return Conflict(res)
	}
}

// replaceWatched is casScript with WATCH/MULTI/EXEC; it returns the script's codes.
func (s *Store) replaceWatched(ctx context.Context, st *State, expected int, data []byte) (int, error) {
	key := s.key(st.ID)
	// A reader sliding the TTL (PEXPIRE) also aborts the transaction: retry a few times.
	for range 16 {
		res, err := s.replaceWatchedOnce(ctx, key, st, expected, data)
		if errors.Is(err, redis.TxFailedErr) {
			// The session changed between the check and the write: check again, which reports
			// the new version as a conflict (or the session as gone).
			continue
		}
		return res, err
	}
	return 0, fault.New(fault.Conflict, "the configuration is too busy to change right now: retry").
		With("currentVersion", expected)
}

// replaceWatchedOnce is one try, in two round trips on one connection: WATCH with the version
// read, then MULTI…EXEC. (go-redis's Watch takes four: WATCH, the read, the transaction, and an
// UNWATCH when it gives the connection back.) EXEC ends the watch whether it runs or aborts, so
// only a try that stops before EXEC sends UNWATCH.
func (s *Store) replaceWatchedOnce(ctx context.Context, key string, st *State, expected int, data []byte,
) (res int, err error) {
	conn := s.rdb.Conn()
	watching := true
	defer func() {
		if watching {
			// Sent even when ctx has ended. Should it fail, the connection is broken, and
			// go-redis closes it instead of pooling it.
			_ = conn.Do(context.WithoutCancel(ctx), "unwatch").Err()
		}
		_ = conn.Close()
	}()
	var v *redis.StringCmd
	if _, err := conn.Pipelined(ctx, func(p redis.Pipeliner) error {
		p.Do(ctx, "watch", key)
		v = p.HGet(ctx, key, "v")
		return nil
	}); err != nil && !errors.Is(err, redis.Nil) {
		return 0, err
	}
	switch cur, err := v.Int(); {
	case errors.Is(err, redis.Nil):
		return -1, nil
	case err != nil:
		return 0, err
	case cur != expected:
		return cur, nil
	}
	watching = false
	if _, err := conn.TxPipelined(ctx, func(pipe redis.Pipeliner) error {
		pipe.HSet(ctx, key, "v", st.Version, "s", data)
		pipe.PExpire(ctx, key, s.ttl)
		pipe.Publish(ctx, s.Channel(st.ID), st.Version)
		return nil
	}); err != nil {
		return 0, err
	}
	return -2, nil
}

// Conflict is the error for a stale version; it carries the current one.
func Conflict(current int) error {
	return fault.New(fault.Conflict, "the configuration changed meanwhile (now version %d): reload it", current).
		With("currentVersion", current)
}

// unavailable maps a Redis failure to UNAVAILABLE, keeping the cause for logs.
func unavailable(err error) error {
	if outage.Unreachable(err) {
		return fault.Wrap(fault.Unavailable, err, "configuration sessions are unavailable right now, try again shortly")
	}
	return fmt.Errorf("redis: %w", err)
}
