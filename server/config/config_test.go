package config_test

import (
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/server/config"
)

func envOf(m map[string]string) config.Env {
	return func(k string) (string, bool) {
		v, ok := m[k]
		return v, ok
	}
}

func TestDefaults(t *testing.T) {
	t.Parallel()
	c, err := config.Load(nil, envOf(nil), io.Discard)
	require.NoError(t, err)
	assert.Equal(t, ":8080", c.Addr)
	assert.Equal(t, config.DefaultDatabaseURL, c.DatabaseURL)
	assert.Empty(t, c.RedisURL, "empty means the in-process Redis")
	assert.Equal(t, 30*24*time.Hour, c.SessionTTL)
	assert.False(t, c.Dev)
	assert.Equal(t, 100000, c.ComplexityLimit)
	assert.Equal(t, config.Limits{
		MaxQueryDepth:                 12,
		MaxAliases:                    30,
		MaxTokens:                     1500,
		MaxSelections:                 250,
		MaxMutationFields:             5,
		MaxBodyBytes:                  64 << 10,
		APQTTL:                        24 * time.Hour,
		APQClientQuota:                256 << 10,
		RateLimitMutations:            120,
		RateLimitWindow:               time.Minute,
		MaxSubscriptionsPerConnection: 20,
		MaxSubscriptionsPerClient:     200,
		MaxWebSocketsPerClient:        50,
	}, c.Limits)
	assert.Equal(t, config.Timeouts{
		ReadHeader: 5 * time.Second, Read: 30 * time.Second, Write: 30 * time.Second,
		Idle: 120 * time.Second,
	}, c.Timeouts)
	assert.Empty(t, c.TrustedProxies)
	require.Len(t, c.ExemptClients, 2, "loopback is exempt from per-client limits")
	assert.Equal(t, "127.0.0.0/8", c.ExemptClients[0].String())
	assert.Equal(t, "::1/128", c.ExemptClients[1].String())
	assert.Empty(t, c.MetricsAddr, "metrics on the main listener")
}

func TestLimitsFromEnvAndFlags(t *testing.T) {
	t.Parallel()
	env := envOf(map[string]string{
		"MAX_QUERY_DEPTH":                  "8",
		"MAX_ALIASES":                      "0",
		"MAX_BODY_BYTES":                   "65536",
		"APQ_TTL":                          "1h",
		"RATE_LIMIT_MUTATIONS":             "60",
		"RATE_LIMIT_WINDOW":                "30s",
		"MAX_SUBSCRIPTIONS_PER_CONNECTION": "5",
		"MAX_SUBSCRIPTIONS_PER_CLIENT":     "50",
		"READ_TIMEOUT":                     "10s",
		"TRUSTED_PROXIES":                  "10.0.0.0/8, 192.0.2.7, ::1",
		"METRICS_ADDR":                     "127.0.0.1:9090",
	})
	c, err := config.Load([]string{"-rate-limit-mutations", "0", "-write-timeout", "1m",
		"-exempt-clients", ""}, env, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, 8, c.Limits.MaxQueryDepth)
	assert.Equal(t, 0, c.Limits.MaxAliases, "0 switches the alias limit off")
	assert.Equal(t, int64(65536), c.Limits.MaxBodyBytes)
	assert.Equal(t, time.Hour, c.Limits.APQTTL)
	assert.Equal(t, 0, c.Limits.RateLimitMutations, "the flag wins over the env")
	assert.Equal(t, 30*time.Second, c.Limits.RateLimitWindow)
	assert.Equal(t, 5, c.Limits.MaxSubscriptionsPerConnection)
	assert.Equal(t, 50, c.Limits.MaxSubscriptionsPerClient)
	assert.Equal(t, 10*time.Second, c.Timeouts.Read)
	assert.Equal(t, time.Minute, c.Timeouts.Write)
	require.Len(t, c.TrustedProxies, 3)
	assert.Equal(t, "10.0.0.0/8", c.TrustedProxies[0].String())
	assert.Equal(t, "192.0.2.7/32", c.TrustedProxies[1].String())
	assert.Equal(t, "::1/128", c.TrustedProxies[2].String())
	assert.Equal(t, "127.0.0.1:9090", c.MetricsAddr)
	assert.Empty(t, c.ExemptClients, "an empty flag exempts no one")
}

func TestFlagsOverrideEnv(t *testing.T) {
	t.Parallel()
	env := envOf(map[string]string{
		"ADDR":                 ":9000",
		"DATABASE_URL":         "postgres://u@db:5432/atelier",
		"REDIS_URL":            "redis://cache:6379/1",
		"CORS_ALLOWED_ORIGINS": "https://shop.example, https://admin.example",
		"LOG_LEVEL":            "debug",
	})
	c, err := config.Load([]string{"-addr", "127.0.0.1:9100", "-dev"}, env, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, "127.0.0.1:9100", c.Addr)
	assert.Equal(t, "postgres://u@db:5432/atelier", c.DatabaseURL)
	assert.Equal(t, "redis://cache:6379/1", c.RedisURL)
	assert.Equal(t, []string{"https://shop.example", "https://admin.example"}, c.CORSAllowedOrigins)
	assert.Equal(t, []string{"shop.example", "admin.example"}, c.OriginHosts())
	assert.True(t, c.Dev)
}

func TestInvalidConfigFailsClearly(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"bad addr", map[string]string{"ADDR": "8080"}, nil, `invalid ADDR: "8080" is not host:port`},
		{"bad database", map[string]string{"DATABASE_URL": "mysql://x"}, nil,
			`invalid DATABASE_URL: "mysql://x" must start with postgres:// or file:`},
		{"password redacted", map[string]string{"DATABASE_URL": "mysql://u:hunter2@x"}, nil,
			"xxxxx"},
		{"bad redis", map[string]string{"REDIS_URL": "localhost:6379"}, nil, "invalid REDIS_URL"},
		{"wildcard origin", map[string]string{"CORS_ALLOWED_ORIGINS": "*"}, nil,
			`invalid CORS_ALLOWED_ORIGINS: "*" is not allowed`},
		{"origin with path", map[string]string{"CORS_ALLOWED_ORIGINS": "https://a.example/x"}, nil,
			"invalid CORS_ALLOWED_ORIGINS"},
		{"bad level", map[string]string{"LOG_LEVEL": "loud"}, nil, "invalid LOG_LEVEL"},
		{"bad ttl", map[string]string{"SESSION_TTL": "forever"}, nil, "invalid SESSION_TTL"},
		{"bad zone", map[string]string{"WORKSHOP_TIMEZONE": "Mars/Olympus"}, nil,
			"invalid WORKSHOP_TIMEZONE"},
		{"bad holiday", map[string]string{"WORKSHOP_HOLIDAYS": "2026-13-01"}, nil,
			"invalid WORKSHOP_HOLIDAYS"},
		{"bad depth", map[string]string{"MAX_QUERY_DEPTH": "-1"}, nil, "invalid MAX_QUERY_DEPTH"},
		{"depth of one", map[string]string{"MAX_QUERY_DEPTH": "1"}, nil, "invalid MAX_QUERY_DEPTH"},
		{"bad aliases", map[string]string{"MAX_ALIASES": "many"}, nil, "invalid MAX_ALIASES"},
		{"body limit off", map[string]string{"MAX_BODY_BYTES": "0"}, nil,
			"invalid MAX_BODY_BYTES: must be at least 1024"},
		{"tiny body", map[string]string{"MAX_BODY_BYTES": "10"}, nil, "invalid MAX_BODY_BYTES"},
		{"bad apq ttl", map[string]string{"APQ_TTL": "0s"}, nil, "invalid APQ_TTL"},
		{"bad rate", map[string]string{"RATE_LIMIT_MUTATIONS": "1.5"}, nil,
			"invalid RATE_LIMIT_MUTATIONS"},
		{"bad window", map[string]string{"RATE_LIMIT_WINDOW": "60"}, nil, "invalid RATE_LIMIT_WINDOW"},
		{"bad subs per conn", map[string]string{"MAX_SUBSCRIPTIONS_PER_CONNECTION": "x"}, nil,
			"invalid MAX_SUBSCRIPTIONS_PER_CONNECTION"},
		{"bad subs per client", map[string]string{"MAX_SUBSCRIPTIONS_PER_CLIENT": "-2"}, nil,
			"invalid MAX_SUBSCRIPTIONS_PER_CLIENT"},
		{"bad read timeout", map[string]string{"READ_TIMEOUT": "-1s"}, nil, "invalid READ_TIMEOUT"},
		{"bad write timeout", map[string]string{"WRITE_TIMEOUT": "x"}, nil, "invalid WRITE_TIMEOUT"},
		{"bad idle timeout", map[string]string{"IDLE_TIMEOUT": "0"}, nil, "invalid IDLE_TIMEOUT"},
		{"bad header timeout", map[string]string{"READ_HEADER_TIMEOUT": "x"}, nil,
			"invalid READ_HEADER_TIMEOUT"},
		{"bad proxy", map[string]string{"TRUSTED_PROXIES": "10.0.0.0/33"}, nil,
			`invalid TRUSTED_PROXIES: "10.0.0.0/33" is not an IP address or CIDR`},
		{"bad exempt", map[string]string{"EXEMPT_CLIENTS": "localhost"}, nil, "invalid EXEMPT_CLIENTS"},
		{"bad metrics addr", map[string]string{"METRICS_ADDR": "9090"}, nil, "invalid METRICS_ADDR"},
		{"unknown flag", nil, []string{"-nope"}, "flag provided but not defined"},
		{"stray argument", nil, []string{"extra"}, "invalid arguments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := config.Load(tt.args, envOf(tt.env), io.Discard)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.NotContains(t, err.Error(), "hunter2")
		})
	}
}

// A variable set to "" means empty where empty means something, and the default elsewhere;
// an absent variable always means the default (issue 12, item 7).
func TestSetButEmptyEnvironment(t *testing.T) {
	t.Parallel()
	tests := []struct {
		key string
		// got reads the setting the variable fills.
		got func(config.Config) any
		// unset is the value when the variable is absent; empty when it is set to "".
		unset, empty any
	}{
		{"EXEMPT_CLIENTS", func(c config.Config) any { return len(c.ExemptClients) }, 2, 0},
		{"TRUSTED_PROXIES", func(c config.Config) any { return len(c.TrustedProxies) }, 0, 0},
		{"CORS_ALLOWED_ORIGINS", func(c config.Config) any { return len(c.CORSAllowedOrigins) }, 2, 0},
		{"WORKSHOP_HOLIDAYS", func(c config.Config) any { return len(c.Holidays) }, 0, 0},
		{"REDIS_URL", func(c config.Config) any { return c.RedisURL }, "", ""},
		{"METRICS_ADDR", func(c config.Config) any { return c.MetricsAddr }, "", ""},
		{"WEB_DIR", func(c config.Config) any { return c.WebDir }, "web-client/dist", ""},
		// Empty means nothing for these: they keep their defaults.
		{"ADDR", func(c config.Config) any { return c.Addr }, ":8080", ":8080"},
		{"REDIS_PREFIX", func(c config.Config) any { return c.RedisPrefix }, "atelier:", "atelier:"},
		{"LOG_LEVEL", func(c config.Config) any { return c.LogLevel.String() }, "INFO", "INFO"},
		{"MAX_ALIASES", func(c config.Config) any { return c.Limits.MaxAliases }, 30, 30},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			t.Parallel()
			c, err := config.Load(nil, envOf(nil), io.Discard)
			require.NoError(t, err)
			assert.Equal(t, tt.unset, tt.got(c), "%s absent", tt.key)
			c, err = config.Load(nil, envOf(map[string]string{tt.key: ""}), io.Discard)
			require.NoError(t, err)
			assert.Equal(t, tt.empty, tt.got(c), "%s set to \"\"", tt.key)
			c, err = config.Load(nil, envOf(map[string]string{tt.key: "  "}), io.Discard)
			require.NoError(t, err)
			assert.Equal(t, tt.empty, tt.got(c), "%s set to blanks", tt.key)
		})
	}
}

// Typed flags: a flag overrides an environment value that does not parse, a flag value out of
// range names its setting, and one that does not parse is refused by the flag package.
func TestTypedFlagsKeepTheEnvironmentFallback(t *testing.T) {
	t.Parallel()
	c, err := config.Load([]string{"-session-ttl", "2h", "-max-aliases", "7"},
		envOf(map[string]string{"SESSION_TTL": "forever", "MAX_ALIASES": "many"}), io.Discard)
	require.NoError(t, err)
	assert.Equal(t, 2*time.Hour, c.SessionTTL)
	assert.Equal(t, 7, c.Limits.MaxAliases)

	_, err = config.Load([]string{"-session-ttl", "-1s"}, envOf(nil), io.Discard)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `invalid SESSION_TTL: "-1s" is not a positive duration`)

	_, err = config.Load([]string{"-max-query-depth", "1"}, envOf(nil), io.Discard)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `invalid MAX_QUERY_DEPTH: "1" is not 0 or a whole number ≥ 2`)

	_, err = config.Load([]string{"-max-aliases", "many"}, envOf(nil), io.Discard)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `invalid value "many" for flag -max-aliases`)
}

func TestPhotoSettings(t *testing.T) {
	t.Parallel()
	c, err := config.Load(nil, envOf(nil), io.Discard)
	require.NoError(t, err)
	assert.Equal(t, "file:data/photos", c.Photos.BlobURL)
	assert.Equal(t, int64(10<<20), c.Photos.MaxBytes)
	assert.Equal(t, time.Hour, c.Photos.URLTTL)
	assert.Empty(t, c.Photos.URLSecret)

	c, err = config.Load([]string{"-photo-max-bytes", "2097152"}, envOf(map[string]string{
		"BLOB_URL":              "s3://photos?endpoint=http://127.0.0.1:7070&region=eu-west-3",
		"AWS_ACCESS_KEY_ID":     "key",
		"AWS_SECRET_ACCESS_KEY": "secret",
		"PHOTO_URL_TTL":         "15m",
		"PHOTO_URL_SECRET":      "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
	}), io.Discard)
	require.NoError(t, err)
	assert.Equal(t, int64(2<<20), c.Photos.MaxBytes)
	assert.Equal(t, 15*time.Minute, c.Photos.URLTTL)
	assert.Len(t, c.Photos.URLSecret, 32)
	assert.Equal(t, "secret", c.Photos.S3Credentials["AWS_SECRET_ACCESS_KEY"])

	_, err = config.Load(nil, envOf(map[string]string{
		"BLOB_URL": "ftp://x", "PHOTO_MAX_BYTES": "1", "PHOTO_URL_SECRET": "short",
	}), io.Discard)
	require.Error(t, err)
	for _, want := range []string{"invalid BLOB_URL", "invalid PHOTO_MAX_BYTES", "invalid PHOTO_URL_SECRET"} {
		assert.ErrorContains(t, err, want)
	}
}

func TestParseClosures(t *testing.T) {
	t.Parallel()
	cs, err := config.ParseClosures(" 2027-08-01..2027-08-21 summer holidays ; 2027-02-05..2027-02-14;")
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 2 || cs[0].Reason != "summer holidays" || cs[1].Reason != "" ||
		cs[0].From.String() != "2027-08-01" || cs[1].To.String() != "2027-02-14" {
		t.Fatalf("got %+v", cs)
	}
	for _, bad := range []string{"2027-08-01", "2027-08-21..2027-08-01", "2027-02-30..2027-03-01 x"} {
		if _, err := config.ParseClosures(bad); err == nil {
			t.Errorf("%q was accepted", bad)
		}
	}
}
