package pageview

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestLRUEvictsTheLeastRecentlyUsed(t *testing.T) {
	c := newLRU[string, int](2)
	c.Add("a", 1)
	c.Add("b", 2)
	_, _ = c.Get("a") // b is now the least recently used
	c.Add("c", 3)
	_, ok := c.Get("b")
	assert.False(t, ok, "b evicted")
	v, ok := c.Get("a")
	assert.True(t, ok)
	assert.Equal(t, 1, v)
	c.Add("a", 10)
	v, _ = c.Get("a")
	assert.Equal(t, 10, v)
	assert.Equal(t, 2, c.Len())
}
