package configure

import "sync"

// memo holds values derived from an immutable catalog or view by other layers (e.g. their
// GraphQL models), so that they are built once rather than per request. The zero value is
// ready; it must not be copied after first use.
type memo struct {
	m sync.Map
}

func (m *memo) derived(key any, build func() any) any {
	if v, ok := m.m.Load(key); ok {
		return v
	}
	v, _ := m.m.LoadOrStore(key, build())
	return v
}

// Derived returns build() for key, calling it once per catalog (two racing first callers may
// both build; one result wins). The value must be immutable: it is shared by every request on
// this catalog version. Use a private key type, as with context keys.
func (c *Catalog) Derived(key any, build func() any) any { return c.memo.derived(key, build) }

// Derived is Catalog.Derived for one view: views are cached and shared, so what is derived
// from them must be immutable too.
func (v *View) Derived(key any, build func() any) any { return v.memo.derived(key, build) }
