// Package ent is the generated data layer of Atelier; only schema/, entc.go and this file are
// written by hand.
package ent

//go:generate sh -c "cd .. && go run ./ent/entc.go"
