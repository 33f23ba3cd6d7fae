package config_test

import (
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/server/config"
)

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
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
