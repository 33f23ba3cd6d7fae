package pageview

import "sync"

// Derivation names one kind of value that another layer derives from an immutable Published
// (e.g. its GraphQL models) and wants built once rather than per request: the value lives, and
// is dropped, with the catalog it was derived from. Its type parameter
// makes every read typed; make one with NewDerivation and keep it in a package variable.
type Derivation[T any] struct {
	name string
}

// NewDerivation returns a new, distinct Derivation of values of type T; name is for
// debugging.
func NewDerivation[T any](name string) *Derivation[T] { return &Derivation[T]{name: name} }

// String is the derivation's name.
func (d *Derivation[T]) String() string { return d.name }

// memo holds the values derived from one catalog, by Derivation. The zero value is
// ready; it must not be copied after first use.
type memo struct {
	m sync.Map // *Derivation[T] -> T
}

func derived[T any](m *memo, d *Derivation[T], build func() T) T {
	if v, ok := m.m.Load(d); ok {
		return v.(T) // stored under d, so of type T
	}
	v, _ := m.m.LoadOrStore(d, build())
	return v.(T)
}

// DerivedFromCatalog returns build() for d, calling it once per catalog (two racing first
// callers may both build; one result wins). The value must be immutable: it is shared by
// every request on this catalog version.
func DerivedFromCatalog[T any](c *Published, d *Derivation[T], build func() T) T {
	return derived(&c.memo, d, build)
}
