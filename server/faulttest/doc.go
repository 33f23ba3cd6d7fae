// Package faults holds the fault tests of issue 8 and nothing else: Redis stopped and restarted
// under load, the database made unreachable through a TCP proxy, a server process killed with
// SIGKILL in the middle of placeOrder and advanceOrder, and a graceful shutdown under load.
//
// They run against the PostgreSQL and Redis of DATABASE_URL and REDIS_URL when those are set
// (as in CI) and the embedded defaults otherwise. A test that stops Redis starts a redis-server
// of its own on a spare loopback port and stops only that one; the shared servers are never
// stopped. Run them with
//
//	go test ./server/faulttest/
//	DATABASE_URL=postgres://postgres@127.0.0.1:5432/test?sslmode=disable \
//	  REDIS_URL=redis://127.0.0.1:6379/0 go test ./server/faulttest/
package faulttest
