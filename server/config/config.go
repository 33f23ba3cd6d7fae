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
	"strconv"
	"strings"
	"time"
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
}

// Error is a configuration error naming the setting at fault.
type Error struct {
	Setting string
	Msg     string
}

func (e *Error) Error() string { return fmt.Sprintf("invalid %s: %s", e.Setting, e.Msg) }

// Load parses args (without the program name) with env as the fallback for each flag.
func Load(args []string, env func(string) string, stderr io.Writer) (Config, error) {
	fs := flag.NewFlagSet("atelier serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	get := func(key, def string) string {
		if v := strings.TrimSpace(env(key)); v != "" {
			return v
		}
		return def
	}
	addr := fs.String("addr", get("ADDR", ":8080"), "listen address (env ADDR)")
	dbURL := fs.String("database-url", get("DATABASE_URL", DefaultDatabaseURL),
		"postgres://… or file:PATH for SQLite (env DATABASE_URL)")
	redisURL := fs.String("redis-url", get("REDIS_URL", ""),
		"redis://… (env REDIS_URL; empty: in-process server)")
	redisPrefix := fs.String("redis-prefix", get("REDIS_PREFIX", "atelier:"),
		"prefix of every Redis key and channel (env REDIS_PREFIX)")
	origins := fs.String("cors-allowed-origins",
		get("CORS_ALLOWED_ORIGINS", "http://localhost:8080,http://localhost:5173"),
		"comma-separated browser origins allowed (env CORS_ALLOWED_ORIGINS)")
	level := fs.String("log-level", get("LOG_LEVEL", "info"),
		"debug, info, warn or error (env LOG_LEVEL)")
	dev := fs.Bool("dev", false, "enable the playground and introspection")
	ttl := fs.String("session-ttl", get("SESSION_TTL", "720h"),
		"sliding lifetime of configuration sessions (env SESSION_TTL)")
	shutdown := fs.String("shutdown-timeout", get("SHUTDOWN_TIMEOUT", "15s"),
		"graceful shutdown drain limit (env SHUTDOWN_TIMEOUT)")
	complexity := fs.String("complexity-limit", get("COMPLEXITY_LIMIT", "2000"),
		"highest query complexity accepted (env COMPLEXITY_LIMIT)")
	webDir := fs.String("web-dir", get("WEB_DIR", "web-client/dist"),
		"built SPA to serve at / (env WEB_DIR)")
	tz := fs.String("timezone", get("WORKSHOP_TIMEZONE", "Europe/Paris"),
		"workshop IANA time zone (env WORKSHOP_TIMEZONE)")
	holidays := fs.String("holidays", get("WORKSHOP_HOLIDAYS", ""),
		"comma-separated closed days YYYY-MM-DD (env WORKSHOP_HOLIDAYS)")
	if err := fs.Parse(args); err != nil {
		return Config{}, fmt.Errorf("parsing flags: %w", err)
	}
	if fs.NArg() > 0 {
		return Config{}, &Error{Setting: "arguments", Msg: fmt.Sprintf("unexpected %q", fs.Args())}
	}
	c := Config{
		Addr:        *addr,
		DatabaseURL: *dbURL,
		RedisURL:    *redisURL,
		RedisPrefix: *redisPrefix,
		Dev:         *dev,
		WebDir:      *webDir,
	}
	var errs []error
	if err := c.LogLevel.UnmarshalText([]byte(*level)); err != nil {
		errs = append(errs, &Error{"LOG_LEVEL", fmt.Sprintf("%q is not debug, info, warn or error", *level)})
	}
	c.SessionTTL, errs = duration(errs, "SESSION_TTL", *ttl)
	c.ShutdownTimeout, errs = duration(errs, "SHUTDOWN_TIMEOUT", *shutdown)
	n, err := strconv.Atoi(*complexity)
	if err != nil || n < 10 {
		errs = append(errs, &Error{"COMPLEXITY_LIMIT", fmt.Sprintf("%q is not a whole number ≥ 10", *complexity)})
	}
	c.ComplexityLimit = n
	if loc, err := time.LoadLocation(*tz); err != nil {
		errs = append(errs, &Error{"WORKSHOP_TIMEZONE", fmt.Sprintf("%q is not an IANA time zone", *tz)})
	} else {
		c.Timezone = loc
	}
	c.CORSAllowedOrigins = splitList(*origins)
	c.Holidays = splitList(*holidays)
	errs = append(errs, c.validate()...)
	if len(errs) > 0 {
		return Config{}, errors.Join(errs...)
	}
	return c, nil
}

func duration(errs []error, setting, v string) (time.Duration, []error) {
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, append(errs, &Error{setting, fmt.Sprintf("%q is not a positive duration like 30s or 720h", v)})
	}
	return d, errs
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
