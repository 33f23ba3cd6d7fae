package country_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/atelier/atelier/server/country"
)

func TestValid(t *testing.T) {
	t.Parallel()
	for _, c := range []string{"FR", "DE", "US", "JP", "GB", "CH", "SS", "AX", "BQ"} {
		assert.True(t, country.Valid(c), c)
	}
	unassigned := []string{"XX", "AA", "ZZ", "QM", "XA", "UK", "EU", "fr", "F", "FRA", "", "F\x00"}
	for _, c := range unassigned {
		assert.False(t, country.Valid(c), c)
	}
	assert.Equal(t, 249, country.Count())
}
