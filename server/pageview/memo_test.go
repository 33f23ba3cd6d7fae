package pageview

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestDerivedValuesAreBuiltOncePerCatalogAndTyped(t *testing.T) {
	names := NewDerivation[[]string]("names")
	count := NewDerivation[int]("count")
	a, b := &Published{}, &Published{}
	builds := 0
	build := func() []string { builds++; return []string{"x"} }
	assert.Equal(t, []string{"x"}, DerivedFromCatalog(a, names, build))
	assert.Equal(t, []string{"x"}, DerivedFromCatalog(a, names, build))
	assert.Equal(t, 1, builds)
	DerivedFromCatalog(b, names, build)
	assert.Equal(t, 2, builds, "each catalog has its own")
	assert.Equal(t, 7, DerivedFromCatalog(a, count, func() int { return 7 }), "distinct derivations")
}
