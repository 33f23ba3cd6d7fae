package engine

import (
	"bytes"
	"errors"
	"os"
	"testing"
)

func FuzzParseRule(f *testing.F) {
	for _, s := range []string{
		"leather = shell-cordovan -> stitching in {natural, black}",
		"not (a = x and b != y) <-> c not in {p, q}",
		"a = x -> b = y -> c = z", "(((", "a in {", "true or false", "180 = 185",
		"a = x-y->b=z", "\xff", "a = \n\n b",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := ParseRule(s)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Line < 1 || pe.Column < 1 || pe.Msg == "" {
				t.Fatalf("bad error %v for %q", err, s)
			}
			return
		}
		again, err := ParseRule(e.String())
		if err != nil || again.String() != e.String() {
			t.Fatalf("round trip of %q: %q -> %v", s, e.String(), err)
		}
	})
}

func FuzzImportXCSP(f *testing.F) {
	f.Add([]byte(`<instance><domains><domain name="D" nbValues="2">0..1</domain></domains>
<variables><variable name="a" domain="D"/><variable name="b" domain="D"/></variables>
<relations><relation name="R" arity="2" semantics="supports">0 1|1 0</relation></relations>
<constraints><constraint name="C" arity="2" scope="a b" reference="R"/></constraints>
</instance>`))
	f.Add([]byte(`<instance><domains><domain name="D">0 2 5..7</domain></domains>
<variables><variable name="x" domain="D"/></variables>
<relations><relation name="R" arity="1" semantics="conflicts">2|6</relation></relations>
<constraints><constraint name="C" scope="x" reference="R"/></constraints></instance>`))
	f.Add([]byte(`<instance><domains><domain name="D">0..99999999</domain></domains></instance>`))
	f.Add([]byte(`<instance><variables><variable name="x" domain="Q"/></variables></instance>`))
	f.Add([]byte(`<instance`))
	if data, err := os.ReadFile(renaultPath); err == nil {
		f.Add(data[:4096])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ImportXCSP(bytes.NewReader(data))
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		// Whatever imports must compile without panicking when it is small.
		if len(m.Groups) <= 8 && len(m.Tables) <= 8 {
			if _, err := Compile(m); err != nil {
				t.Fatalf("compiling imported model: %v", err)
			}
		}
	})
}
