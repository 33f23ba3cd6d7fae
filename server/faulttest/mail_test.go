package faulttest_test

import (
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/server/testutil"
)

// A server killed between the commit of an order and the sending of its emails: the emails were
// queued in the order's transaction, so the next process sends each of them, once.
func TestEmailGoesOutOnceAfterACrashBetweenCommitAndSend(t *testing.T) {
	dbURL := testutil.DatabaseURL(t)
	redisURL := os.Getenv("REDIS_URL")
	if redisURL == "" {
		redisURL = testutil.StartRedisServer(t).URL
	}
	mp := testutil.StartMailpit(t)
	pfx := prefix(t)

	// The first process's SMTP server accepts and never answers: when a worker connects, the
	// order has committed and its email is being sent — the moment to kill the process.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	connected := make(chan struct{}, 8)
	var held sync.WaitGroup
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			connected <- struct{}{}
			held.Go(func() {
				buf := make([]byte, 1)
				_, _ = c.Read(buf) // until the client dies
				_ = c.Close()
			})
		}
	}()
	t.Cleanup(func() { _ = l.Close(); held.Wait() })

	rescue := "JOB_RESCUE_AFTER=3s"
	c1 := startChild(t, dbURL, redisURL, pfx, "SMTP_URL=smtp://"+l.Addr().String()+"?tls=none", rescue)
	placeOrder(t, c1.URL)
	select {
	case <-connected:
	case <-time.After(60 * time.Second):
		t.Fatalf("no worker tried to send\n%s", c1.logText())
	}
	require.NoError(t, c1.cmd.Process.Kill())
	_ = c1.wait(10 * time.Second)
	require.Empty(t, mp.Messages(), "nothing was sent before the crash")

	c2 := startChild(t, dbURL, redisURL, pfx, "SMTP_URL="+mp.SMTPURL, rescue)
	mp.WaitFor(2, 120*time.Second)
	time.Sleep(3 * time.Second) // a second copy would arrive by now
	msgs := mp.Messages()
	var customer, workshop int
	for _, m := range msgs {
		switch {
		case strings.HasPrefix(m.Subject, "Your Atelier order "):
			customer++
		case strings.HasPrefix(m.Subject, "New order "):
			workshop++
		}
	}
	require.Equal(t, 1, customer, "the customer's email, once: %+v\n%s", msgs, c2.logText())
	require.Equal(t, 1, workshop, "the workshop's email, once: %+v", msgs)
	require.Len(t, msgs, 2)
}
