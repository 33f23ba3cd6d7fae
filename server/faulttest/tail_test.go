package faulttest_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/server/testutil"
)

// An instance killed (SIGKILL) after an order event commits and before it is announced through
// Redis: the live subscribers on another instance still receive it within 2 s, exactly once
// and in order, through the tail check (issue 12, item 6). Before the tail check they stayed
// one event behind until the order's next event.
func TestEventCommittedByAKilledInstanceReachesLiveSubscribers(t *testing.T) {
	dbURL := testutil.DatabaseURL(t)
	redisURL := os.Getenv("REDIS_URL")
	if redisURL == "" {
		// Both processes must share Redis: the in-process one lives in one process only.
		redisURL = testutil.StartRedisServer(t).URL
	}
	pfx := prefix(t)
	token := staffToken(t, dbURL)
	b := startChild(t, dbURL, redisURL, pfx)
	a := startChild(t, dbURL, redisURL, pfx, "ATELIER_FAULT_KILL_BEFORE_PUBLISH=1")

	o := placeOrder(t, b.URL)
	r, err := step(context.Background(), b.URL, token, o, "PAY")
	require.NoError(t, err)
	require.Empty(t, r.Errors)
	// Subscribers of the SPA's shape (served by graph.Direct) and of a shape gqlgen executes.
	const n = 5
	subs := make([]*subscriber, n)
	for i := range subs {
		subs[i] = subscribe(t, b.URL, o.Token, o.ID, 0)
	}
	subs = append(subs, subscribeWith(t, b.URL, o.Token, o.ID, 0, `subscription($id: ID!, $after: Int) {
	  orderEvents(orderId: $id, after: $after) { seq status @include(if: true) } }`))
	for _, s := range subs {
		s.waitSeq(t, 1+eventsOf("PAY"), 10*time.Second)
	}

	// Instance A commits MATERIALS (seq 4: placed, paid, confirmed) and dies before announcing it.
	_, err = step(context.Background(), a.URL, token, o, "MATERIALS")
	require.Error(t, err, "instance A dies before it answers")
	require.Error(t, a.wait(10*time.Second), "instance A was killed")
	var cur struct {
		Order struct {
			Status string `json:"status"`
		} `json:"order"`
	}
	must(t, b.URL, token, `query($id: ID!) { order(id: $id) { status } }`,
		map[string]any{"id": o.ID}, &cur)
	require.Equal(t, "MATERIALS", cur.Order.Status, "the event was committed")

	for _, s := range subs {
		s.waitSeq(t, 4, 2*time.Second)
	}
	// Nothing twice: the next event, announced as usual, follows without a repeat.
	r, err = step(context.Background(), b.URL, token, o, "CRAFTING")
	require.NoError(t, err)
	require.Empty(t, r.Errors)
	for _, s := range subs {
		s.waitSeq(t, 5, 10*time.Second)
		requireExactly(t, s.events(), 5)
	}
}
