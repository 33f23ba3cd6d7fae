package main

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCeilingBody(t *testing.T) {
	t.Parallel()
	a, b, c := []byte(`{"a":1}`), []byte(`{"bb":22}`), []byte(`{"ccc":333}`) // 7, 9, 11 bytes
	tests := []struct {
		name     string
		samples  [][]byte
		mean     int
		wantFrom []byte
		wantLen  int
	}{
		{"exact size", [][]byte{a, b, c}, 9, b, 9},
		{"largest that fits, padded", [][]byte{c, a, b}, 10, b, 10},
		{"all bigger: the smallest", [][]byte{c, b}, 8, b, 9},
		{"one sample", [][]byte{a}, 12, a, 12},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ceilingBody(tt.samples, tt.mean)
			require.NoError(t, err)
			assert.Len(t, got, tt.wantLen)
			assert.Equal(t, tt.wantFrom, bytes.TrimRight(got, " "))
			assert.True(t, json.Valid(got), "padding keeps the body valid JSON")
		})
	}
	t.Run("no samples", func(t *testing.T) {
		t.Parallel()
		_, err := ceilingBody(nil, 10)
		assert.Error(t, err)
	})
}
