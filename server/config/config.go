// Package config loads the server configuration once, from flags with environment fallbacks and
// defaults in code, and validates it so that a bad value fails at start with a clear message.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/atelier/atelier/server/quote"
)

// DefaultDatabaseURL is the embedded default: a SQLite file under ./data/.
const DefaultDatabaseURL = "file:data/atelier.db"

// Config is the whole server configuration.
type Config struct {
	// Addr is the listen address, e.g. `:8080`.
	Addr string
	// DatabaseURL is `postgres://…` for PostgreSQL or `file:PATH` for SQLite.
	DatabaseURL string
	// RedisURL is `redis://…`; empty means an in-process Redis-protocol server.
	RedisURL string
	// RedisPrefix namespaces every Redis key and channel of this deployment.
	RedisPrefix string
	// CORSAllowedOrigins are the browser origins allowed to call the API, for CORS and WebSocket.
	CORSAllowedOrigins []string
	// LogLevel is the slog level.
	LogLevel slog.Level
	// Dev enables the playground and introspection (flag only, never from the environment).
	Dev bool
	// SessionTTL is the sliding lifetime of a configuration session in Redis.
	SessionTTL time.Duration
	// ShutdownTimeout bounds the graceful drain on SIGTERM.
	ShutdownTimeout time.Duration
	// ComplexityLimit is the highest query complexity accepted.
	ComplexityLimit int
	// WebDir holds the built SPA served at `/` (empty: the embedded placeholder page).
	WebDir string
	// Timezone is the workshop's IANA time zone, for ship dates.
	Timezone *time.Location
	// Holidays are the workshop's closed days, YYYY-MM-DD.
	Holidays []string
	// Closures are the workshop's longer closures (Lunar New Year, August): ship dates move
	// past them and customers see why.
	Closures []quote.Closure
	// Limits bound what one request or one client may ask of the server.
	Limits Limits
	// Timeouts are the HTTP server's connection timeouts.
	Timeouts Timeouts
	// TrustedProxies are the peers (IPs or CIDRs) whose X-Forwarded-For and X-Forwarded-Proto
	// are believed; empty: the client address is always the TCP peer.
	TrustedProxies []*net.IPNet
	// ExemptClients are client addresses (IPs or CIDRs) that the per-client limits do not apply
	// to; loopback by default, so local tools, tests and benchmarks are not throttled.
	ExemptClients []*net.IPNet
	// MetricsAddr is a separate listen address for /metrics; empty: /metrics is served on Addr.
	MetricsAddr string
	// FaultKillBeforePublish makes the process kill itself (SIGKILL) after an order event
	// commits and before it is announced. Fault tests only: from the environment variable
	// ATELIER_FAULT_KILL_BEFORE_PUBLISH=1, never a flag.
	FaultKillBeforePublish bool
	// Money configures payments and messages.
	Money Money
	// Photos configures the photos posted to orders.
	Photos Photos
}

// Limits bound GraphQL requests and per-client usage. A zero count disables that limit.
type Limits struct {
	// MaxQueryDepth is the deepest field nesting an operation may have.
	MaxQueryDepth int
	// MaxAliases is the most aliased fields an operation may have, fragments expanded.
	MaxAliases int
	// MaxTokens is the most parser tokens a GraphQL document may have, checked before
	// validation.
	MaxTokens int
	// MaxSelections is the most selections (fields, inline fragments, spreads, as written) a
	// document may have, checked before validation.
	MaxSelections int
	// MaxMutationFields is the most mutation fields one operation may have.
	MaxMutationFields int
	// MaxBodyBytes caps a POST body and a WebSocket message.
	MaxBodyBytes int64
	// APQTTL is how long an automatic persisted query stays in Redis.
	APQTTL time.Duration
	// APQClientQuota is how many bytes of new persisted queries one client address may store
	// per APQTTL.
	APQClientQuota int64
	// RateLimitMutations is how many mutations one client address may send per window.
	RateLimitMutations int
	// RateLimitWindow is the rate-limit window.
	RateLimitWindow time.Duration
	// MaxSubscriptionsPerConnection caps the live subscriptions of one WebSocket connection.
	MaxSubscriptionsPerConnection int
	// MaxSubscriptionsPerClient caps the live subscriptions of one client address on one
	// instance, across its connections.
	MaxSubscriptionsPerClient int
	// MaxWebSocketsPerClient caps the open WebSocket connections of one client address on one
	// instance; more are refused with HTTP 429 before the upgrade.
	MaxWebSocketsPerClient int
}

// Timeouts are the HTTP server's timeouts. Read and write apply to ordinary requests only:
// WebSocket and SSE streams are exempt.
type Timeouts struct {
	ReadHeader time.Duration
	Read       time.Duration
	Write      time.Duration
	Idle       time.Duration
}

// Error is a configuration error naming the setting at fault.
type Error struct {
	Setting string
	Msg     string
}

func (e *Error) Error() string { return fmt.Sprintf("invalid %s: %s", e.Setting, e.Msg) }

// Env looks up an environment variable, reporting whether it is set (os.LookupEnv), so that a
// variable set to "" can be told from one that is absent.
type Env func(key string) (string, bool)

// Load parses args (without the program name) with env as the fallback for each flag. A
// variable set to "" means empty for the settings where empty means something (no exempt
// clients, no trusted proxies, no allowed origins, no holidays, the in-process Redis, /metrics
// on the main port, the placeholder page); for the others it means the default.
func Load(args []string, env Env, stderr io.Writer) (Config, error) {
	fs := flag.NewFlagSet("atelier serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	// get is the value of key, or def when key is absent or blank.
	get := func(key, def string) string {
		if v, _ := env(key); strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v)
		}
		return def
	}
	// getOrEmpty is the value of key, blank included, or def when key is absent.
	getOrEmpty := func(key, def string) string {
		if v, ok := env(key); ok {
			return strings.TrimSpace(v)
		}
		return def
	}
	ef := &envFlags{fs: fs, get: get}
	addr := fs.String("addr", get("ADDR", ":8080"), "listen address (env ADDR)")
	dbURL := fs.String("database-url", get("DATABASE_URL", DefaultDatabaseURL),
		"postgres://… or file:PATH for SQLite (env DATABASE_URL)")
	redisURL := fs.String("redis-url", getOrEmpty("REDIS_URL", ""),
		"redis://… (env REDIS_URL; empty: in-process server)")
	redisPrefix := fs.String("redis-prefix", get("REDIS_PREFIX", "atelier:"),
		"prefix of every Redis key and channel (env REDIS_PREFIX)")
	origins := fs.String("cors-allowed-origins",
		getOrEmpty("CORS_ALLOWED_ORIGINS", "http://localhost:8080,http://localhost:5173"),
		"comma-separated browser origins allowed (env CORS_ALLOWED_ORIGINS)")
	level := fs.String("log-level", get("LOG_LEVEL", "info"),
		"debug, info, warn or error (env LOG_LEVEL)")
	dev := fs.Bool("dev", false, "enable the playground and introspection")
	ttl := ef.positiveDuration("session-ttl", "SESSION_TTL", "720h",
		"sliding lifetime of configuration sessions (env SESSION_TTL)")
	shutdown := ef.positiveDuration("shutdown-timeout", "SHUTDOWN_TIMEOUT", "15s",
		"graceful shutdown drain limit (env SHUTDOWN_TIMEOUT)")
	complexity := ef.integer("complexity-limit", "COMPLEXITY_LIMIT", "100000",
		"highest query complexity accepted (env COMPLEXITY_LIMIT)",
		func(n int) bool { return n >= 10 }, "a whole number ≥ 10")
	webDir := fs.String("web-dir", getOrEmpty("WEB_DIR", "web-client/dist"),
		"built SPA to serve at / (env WEB_DIR)")
	tz := fs.String("timezone", get("WORKSHOP_TIMEZONE", "Europe/Paris"),
		"workshop IANA time zone (env WORKSHOP_TIMEZONE)")
	holidays := fs.String("holidays", getOrEmpty("WORKSHOP_HOLIDAYS", ""),
		"comma-separated closed days YYYY-MM-DD (env WORKSHOP_HOLIDAYS)")
	closures := fs.String("closures", getOrEmpty("WORKSHOP_CLOSURES", ""),
		"semicolon-separated closures FROM..TO REASON, e.g. "+
			"\"2027-08-01..2027-08-21 summer holidays\" (env WORKSHOP_CLOSURES)")
	depth := ef.count("max-query-depth", "MAX_QUERY_DEPTH", "12", 2,
		"deepest field nesting of an operation, 0: no limit (env MAX_QUERY_DEPTH)")
	aliases := ef.count("max-aliases", "MAX_ALIASES", "30", 1,
		"most aliased fields in an operation, 0: no limit (env MAX_ALIASES)")
	tokens := ef.count("max-tokens", "MAX_TOKENS", "1500", 100,
		"most parser tokens in a GraphQL document, 0: no limit (env MAX_TOKENS)")
	selections := ef.count("max-selections", "MAX_SELECTIONS", "250", 10,
		"most selections in a GraphQL document, 0: no limit (env MAX_SELECTIONS)")
	mutationFields := ef.count("max-mutation-fields", "MAX_MUTATION_FIELDS", "5", 1,
		"most mutation fields in one operation, 0: no limit (env MAX_MUTATION_FIELDS)")
	body := ef.count("max-body-bytes", "MAX_BODY_BYTES", "65536", 1024,
		"largest POST body or WebSocket message in bytes (env MAX_BODY_BYTES)")
	apqTTL := ef.positiveDuration("apq-ttl", "APQ_TTL", "24h",
		"lifetime of an automatic persisted query in Redis (env APQ_TTL)")
	apqQuota := ef.count("apq-client-quota-bytes", "APQ_CLIENT_QUOTA_BYTES", "262144", 1024,
		"bytes of new persisted queries per client address per APQ_TTL, 0: no limit "+
			"(env APQ_CLIENT_QUOTA_BYTES)")
	rateN := ef.count("rate-limit-mutations", "RATE_LIMIT_MUTATIONS", "120", 1,
		"mutations per client address per window, 0: no limit (env RATE_LIMIT_MUTATIONS)")
	rateWindow := ef.positiveDuration("rate-limit-window", "RATE_LIMIT_WINDOW", "1m",
		"window of the mutation rate limit (env RATE_LIMIT_WINDOW)")
	subsConn := ef.count("max-subscriptions-per-connection", "MAX_SUBSCRIPTIONS_PER_CONNECTION", "20", 1,
		"live subscriptions per WebSocket connection, 0: no limit (env MAX_SUBSCRIPTIONS_PER_CONNECTION)")
	subsClient := ef.count("max-subscriptions-per-client", "MAX_SUBSCRIPTIONS_PER_CLIENT", "200", 1,
		"live subscriptions per client address and instance, 0: no limit (env MAX_SUBSCRIPTIONS_PER_CLIENT)")
	wsClient := ef.count("max-websockets-per-client", "MAX_WEBSOCKETS_PER_CLIENT", "50", 1,
		"open WebSocket connections per client address and instance, 0: no limit (env MAX_WEBSOCKETS_PER_CLIENT)")
	readHeader := ef.positiveDuration("read-header-timeout", "READ_HEADER_TIMEOUT", "5s",
		"time to read request headers (env READ_HEADER_TIMEOUT)")
	read := ef.positiveDuration("read-timeout", "READ_TIMEOUT", "30s",
		"time to read a whole request, streams exempt (env READ_TIMEOUT)")
	write := ef.positiveDuration("write-timeout", "WRITE_TIMEOUT", "30s",
		"time to write a response, streams exempt (env WRITE_TIMEOUT)")
	idle := ef.positiveDuration("idle-timeout", "IDLE_TIMEOUT", "120s",
		"keep-alive idle connection lifetime (env IDLE_TIMEOUT)")
	proxies := fs.String("trusted-proxies", getOrEmpty("TRUSTED_PROXIES", ""),
		"comma-separated proxy IPs/CIDRs whose X-Forwarded-For is believed (env TRUSTED_PROXIES)")
	exempt := fs.String("exempt-clients", getOrEmpty("EXEMPT_CLIENTS", "127.0.0.0/8,::1"),
		"comma-separated client IPs/CIDRs that per-client limits skip; empty: none (env EXEMPT_CLIENTS)")
	metricsAddr := fs.String("metrics-addr", getOrEmpty("METRICS_ADDR", ""),
		"separate listen address for /metrics; empty: served on -addr (env METRICS_ADDR)")
	money := moneyFlags(ef)
	photos := photoFlags(ef)
	if err := ef.parse(args); err != nil {
		return Config{}, fmt.Errorf("parsing flags: %w", err)
	}
	if fs.NArg() > 0 {
		return Config{}, &Error{Setting: "arguments", Msg: fmt.Sprintf("unexpected %q", fs.Args())}
	}
	kill, _ := env("ATELIER_FAULT_KILL_BEFORE_PUBLISH")
	c := Config{
		FaultKillBeforePublish: kill == "1",
		Addr:                   *addr,
		DatabaseURL:            *dbURL,
		RedisURL:               *redisURL,
		RedisPrefix:            *redisPrefix,
		Dev:                    *dev,
		WebDir:                 *webDir,
		MetricsAddr:            *metricsAddr,
	}
	var errs []error
	if err := c.LogLevel.UnmarshalText([]byte(*level)); err != nil {
		errs = append(errs, &Error{"LOG_LEVEL", fmt.Sprintf("%q is not debug, info, warn or error", *level)})
	}
	c.SessionTTL, errs = ttl(errs)
	c.ShutdownTimeout, errs = shutdown(errs)
	c.ComplexityLimit, errs = complexity(errs)
	c.Limits.MaxQueryDepth, errs = depth(errs)
	c.Limits.MaxAliases, errs = aliases(errs)
	maxBody, errs := body(errs)
	if maxBody == 0 {
		errs = append(errs, &Error{"MAX_BODY_BYTES", "must be at least 1024: a body limit cannot be switched off"})
	}
	c.Limits.MaxBodyBytes = int64(maxBody)
	c.Limits.APQTTL, errs = apqTTL(errs)
	c.Limits.MaxTokens, errs = tokens(errs)
	c.Limits.MaxSelections, errs = selections(errs)
	c.Limits.MaxMutationFields, errs = mutationFields(errs)
	quota, errs := apqQuota(errs)
	c.Limits.APQClientQuota = int64(quota)
	c.Limits.RateLimitMutations, errs = rateN(errs)
	c.Limits.RateLimitWindow, errs = rateWindow(errs)
	c.Limits.MaxSubscriptionsPerConnection, errs = subsConn(errs)
	c.Limits.MaxSubscriptionsPerClient, errs = subsClient(errs)
	c.Limits.MaxWebSocketsPerClient, errs = wsClient(errs)
	c.Timeouts.ReadHeader, errs = readHeader(errs)
	c.Timeouts.Read, errs = read(errs)
	c.Timeouts.Write, errs = write(errs)
	c.Timeouts.Idle, errs = idle(errs)
	c.TrustedProxies, errs = networks(errs, "TRUSTED_PROXIES", splitList(*proxies))
	c.ExemptClients, errs = networks(errs, "EXEMPT_CLIENTS", splitList(*exempt))
	if loc, err := time.LoadLocation(*tz); err != nil {
		errs = append(errs, &Error{"WORKSHOP_TIMEZONE", fmt.Sprintf("%q is not an IANA time zone", *tz)})
	} else {
		c.Timezone = loc
	}
	c.CORSAllowedOrigins = splitList(*origins)
	c.Holidays = splitList(*holidays)
	if cs, err := ParseClosures(*closures); err != nil {
		errs = append(errs, &Error{"WORKSHOP_CLOSURES", err.Error()})
	} else {
		c.Closures = cs
	}
	var moneyErrs []error
	c.Money, moneyErrs = money()
	errs = append(errs, moneyErrs...)
	var photoErrs []error
	c.Photos, photoErrs = photos()
	errs = append(errs, photoErrs...)
	errs = append(errs, c.validate()...)
	if len(errs) > 0 {
		return Config{}, errors.Join(errs...)
	}
	return c, nil
}

// networks parses IPs (as one-address networks) and CIDRs.
func networks(errs []error, setting string, vs []string) ([]*net.IPNet, []error) {
	var out []*net.IPNet
	for _, v := range vs {
		if _, n, err := net.ParseCIDR(v); err == nil {
			out = append(out, n)
			continue
		}
		ip := net.ParseIP(v)
		if ip == nil {
			errs = append(errs, &Error{setting, fmt.Sprintf("%q is not an IP address or CIDR", v)})
			continue
		}
		bits := 128
		if ip4 := ip.To4(); ip4 != nil {
			ip, bits = ip4, 32
		}
		out = append(out, &net.IPNet{IP: ip, Mask: net.CIDRMask(bits, bits)})
	}
	return out, errs
}

func splitList(v string) []string {
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// ParseClosures reads workshop closures: entries "FROM..TO REASON" separated by semicolons,
// dates YYYY-MM-DD, the reason optional ("2027-08-01..2027-08-21 summer holidays").
func ParseClosures(v string) ([]quote.Closure, error) {
	var out []quote.Closure
	for _, entry := range strings.Split(v, ";") {
		if entry = strings.TrimSpace(entry); entry == "" {
			continue
		}
		span, reason, _ := strings.Cut(entry, " ")
		from, to, ok := strings.Cut(span, "..")
		if !ok {
			return nil, fmt.Errorf("%q is not FROM..TO REASON", entry)
		}
		c := quote.Closure{Reason: strings.TrimSpace(reason)}
		var err error
		if c.From, err = quote.ParseDate(from); err != nil {
			return nil, fmt.Errorf("%q: %w", entry, err)
		}
		if c.To, err = quote.ParseDate(to); err != nil {
			return nil, fmt.Errorf("%q: %w", entry, err)
		}
		if err := c.Validate(); err != nil {
			return nil, fmt.Errorf("%q: %w", entry, err)
		}
		out = append(out, c)
	}
	return out, nil
}

// validate checks the settings that need more than parsing.
func (c Config) validate() []error {
	var errs []error
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, &Error{"ADDR", fmt.Sprintf("%q is not host:port (e.g. :8080)", c.Addr)})
	}
	if err := ValidateDatabaseURL(c.DatabaseURL); err != nil {
		errs = append(errs, err)
	}
	if c.RedisURL != "" {
		u, err := url.Parse(c.RedisURL)
		if err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") || u.Host == "" {
			errs = append(errs, &Error{"REDIS_URL", "must look like redis://host:6379/0 (or be empty for the in-process server)"})
		}
	}
	if c.RedisPrefix == "" || strings.ContainsAny(c.RedisPrefix, " *?[]") {
		errs = append(errs, &Error{"REDIS_PREFIX", "must be non-empty, without spaces or glob characters"})
	}
	for _, o := range c.CORSAllowedOrigins {
		if o == "*" {
			errs = append(errs, &Error{"CORS_ALLOWED_ORIGINS", `"*" is not allowed: list the origins`})
			continue
		}
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" {
			errs = append(errs, &Error{"CORS_ALLOWED_ORIGINS", fmt.Sprintf("%q is not an origin like https://shop.example", o)})
		}
	}
	if c.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			errs = append(errs, &Error{"METRICS_ADDR", fmt.Sprintf("%q is not host:port (e.g. 127.0.0.1:9090)", c.MetricsAddr)})
		}
	}
	for _, h := range c.Holidays {
		if _, err := time.Parse(time.DateOnly, h); err != nil {
			errs = append(errs, &Error{"WORKSHOP_HOLIDAYS", fmt.Sprintf("%q is not a date YYYY-MM-DD", h)})
		}
	}
	return errs
}

// ValidateDatabaseURL checks that url names PostgreSQL or a SQLite file.
func ValidateDatabaseURL(raw string) error {
	switch {
	case strings.HasPrefix(raw, "postgres://"), strings.HasPrefix(raw, "postgresql://"):
		if _, err := url.Parse(raw); err != nil {
			return &Error{"DATABASE_URL", "not a valid postgres:// URL"}
		}
		return nil
	case strings.HasPrefix(raw, "file:") && len(raw) > len("file:"):
		return nil
	default:
		return &Error{"DATABASE_URL", fmt.Sprintf("%q must start with postgres:// or file:", redact(raw))}
	}
}

// OriginHosts returns the host[:port] of each allowed origin, the form WebSocket origin patterns take.
func (c Config) OriginHosts() []string {
	out := make([]string, 0, len(c.CORSAllowedOrigins))
	for _, o := range c.CORSAllowedOrigins {
		if u, err := url.Parse(o); err == nil {
			out = append(out, u.Host)
		}
	}
	return out
}

// redact hides a password in a URL-ish string before it is shown.
func redact(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.User != nil {
		return u.Redacted()
	}
	return raw
}
