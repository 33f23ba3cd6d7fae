// Package purity checks the claim that Atelier's domain packages are pure: no I/O, no GraphQL,
// no driver. Its test lists them and fails when one of them links anything but the standard
// library and the other pure packages. It has no code of its own.
package purity
