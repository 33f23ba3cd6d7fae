// Package redisconn opens the Redis behind REDIS_URL, or, when it is empty, an in-process
// Redis-protocol server (miniredis with real-time TTLs) so that a fresh machine needs nothing.
package redisconn

import (
	"context"
	"fmt"
	"net"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// Conn is an open Redis connection pool.
type Conn struct {
	// Client is the go-redis client every package uses.
	Client *redis.Client
	// Embedded is the in-process server, nil when a real Redis is used.
	Embedded *miniredis.Miniredis
}

// Open connects to rawURL, or starts the in-process server when rawURL is empty.
func Open(ctx context.Context, rawURL string) (*Conn, error) {
	if rawURL == "" {
		m := miniredis.NewMiniRedis()
		m.ClockTTL(true)
		// Dial in process rather than over TCP: miniredis stops accepting for good after one
		// accept error (EMFILE under many subscribers), a pipe never hits that. Its own Dial
		// starts its server and returns a net.Pipe; connections are then served over mem
		// pipes instead (newMemPipe says why).
		first, err := m.Dial()
		if err != nil {
			return nil, fmt.Errorf("starting the embedded Redis: %w", err)
		}
		_ = first.Close()
		srv := m.Server()
		client := redis.NewClient(&redis.Options{
			Addr: "embedded",
			Dialer: func(context.Context, string, string) (net.Conn, error) {
				c, s := newMemPipe()
				srv.ServeConn(s)
				return c, nil
			},
			PoolSize:     64,
			DialTimeout:  time.Second,
			ReadTimeout:  3 * time.Second,
			WriteTimeout: 3 * time.Second,
		})
		return &Conn{Client: client, Embedded: m}, nil
	}
	opts, err := redis.ParseURL(rawURL)
	if err != nil {
		return nil, fmt.Errorf("parsing REDIS_URL: %w", err)
	}
	opts.DialTimeout = 2 * time.Second
	opts.ReadTimeout = 3 * time.Second
	opts.WriteTimeout = 3 * time.Second
	// Fail fast while Redis is down rather than queueing requests behind retries.
	opts.MaxRetries = 1
	opts.PoolTimeout = 2 * time.Second
	client := redis.NewClient(opts)
	pingCtx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	if err := client.Ping(pingCtx).Err(); err != nil {
		// Not fatal: the server starts and reports Redis down on /readyz until it comes back.
		return &Conn{Client: client}, fmt.Errorf("pinging redis: %w", err)
	}
	return &Conn{Client: client}, nil
}

// Close closes the client and the in-process server.
func (c *Conn) Close() error {
	err := c.Client.Close()
	if c.Embedded != nil {
		c.Embedded.Close()
	}
	return err
}
