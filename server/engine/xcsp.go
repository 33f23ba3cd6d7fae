package engine

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

type xcspInstance struct {
	XMLName     xml.Name         `xml:"instance"`
	Domains     []xcspDomain     `xml:"domains>domain"`
	Variables   []xcspVariable   `xml:"variables>variable"`
	Relations   []xcspRelation   `xml:"relations>relation"`
	Constraints []xcspConstraint `xml:"constraints>constraint"`
}

type xcspDomain struct {
	Name     string `xml:"name,attr"`
	NbValues string `xml:"nbValues,attr"`
	Body     string `xml:",chardata"`
}

type xcspVariable struct {
	Name   string `xml:"name,attr"`
	Domain string `xml:"domain,attr"`
}

type xcspRelation struct {
	Name      string `xml:"name,attr"`
	Arity     string `xml:"arity,attr"`
	Semantics string `xml:"semantics,attr"`
	Body      string `xml:",chardata"`
}

type xcspConstraint struct {
	Name      string `xml:"name,attr"`
	Scope     string `xml:"scope,attr"`
	Reference string `xml:"reference,attr"`
}

// maxDomainValues bounds a single XCSP domain so that hostile input cannot exhaust memory.
const maxDomainValues = 1 << 16

// ImportXCSP reads an XCSP 2.1 instance with extensional constraints (domains, variables,
// relations with supports or conflicts semantics, constraints referencing relations). Each
// variable becomes a Required SINGLE group named after it, whose option keys are the value
// strings; each constraint becomes a Table.
func ImportXCSP(r io.Reader) (Model, error) {
	var inst xcspInstance
	dec := xml.NewDecoder(r)
	if err := dec.Decode(&inst); err != nil {
		return Model{}, fmt.Errorf("decoding XCSP instance: %w", err)
	}
	domains := make(map[string][]string)
	for _, d := range inst.Domains {
		vals, err := parseXCSPValues(d.Body)
		if err != nil {
			return Model{}, fmt.Errorf("reading domain %q: %w", d.Name, err)
		}
		if d.NbValues != "" {
			if n, err := strconv.Atoi(d.NbValues); err != nil || n != len(vals) {
				return Model{}, fmt.Errorf("reading domain %q: nbValues=%q but %d values",
					d.Name, d.NbValues, len(vals))
			}
		}
		domains[d.Name] = vals
	}
	var m Model
	varDom := make(map[string]map[string]bool)
	for _, v := range inst.Variables {
		if v.Name == "" {
			return Model{}, errors.New("reading variables: variable without a name")
		}
		if _, dup := varDom[v.Name]; dup {
			return Model{}, fmt.Errorf("reading variable %q: duplicate name", v.Name)
		}
		vals, ok := domains[v.Domain]
		if !ok {
			return Model{}, fmt.Errorf("reading variable %q: unknown domain %q", v.Name, v.Domain)
		}
		g := Group{Key: v.Name, Name: v.Name, Kind: KindSingle, Required: true}
		set := make(map[string]bool, len(vals))
		for _, x := range vals {
			g.Options = append(g.Options, Option{Key: x, Name: x})
			set[x] = true
		}
		varDom[v.Name] = set
		m.Groups = append(m.Groups, g)
	}
	type rel struct {
		arity     int
		conflicts bool
		tuples    [][]string
	}
	rels := make(map[string]*rel)
	for _, r := range inst.Relations {
		arity, err := strconv.Atoi(r.Arity)
		if err != nil || arity < 1 {
			return Model{}, fmt.Errorf("reading relation %q: invalid arity %q", r.Name, r.Arity)
		}
		x := &rel{arity: arity}
		switch r.Semantics {
		case "supports":
		case "conflicts":
			x.conflicts = true
		default:
			return Model{}, fmt.Errorf("reading relation %q: unsupported semantics %q",
				r.Name, r.Semantics)
		}
		for tu := range strings.SplitSeq(r.Body, "|") {
			f := strings.Fields(tu)
			if len(f) == 0 {
				continue
			}
			if len(f) != arity {
				return Model{}, fmt.Errorf("reading relation %q: tuple %q has %d values, arity %d",
					r.Name, strings.TrimSpace(tu), len(f), arity)
			}
			x.tuples = append(x.tuples, f)
		}
		rels[r.Name] = x
	}
	for _, k := range inst.Constraints {
		x, ok := rels[k.Reference]
		if !ok {
			return Model{}, fmt.Errorf("reading constraint %q: unknown relation %q",
				k.Name, k.Reference)
		}
		scope := strings.Fields(k.Scope)
		if len(scope) != x.arity {
			return Model{}, fmt.Errorf("reading constraint %q: scope has %d variables, arity %d",
				k.Name, len(scope), x.arity)
		}
		for _, v := range scope {
			if _, ok := varDom[v]; !ok {
				return Model{}, fmt.Errorf("reading constraint %q: unknown variable %q", k.Name, v)
			}
		}
		t := Table{ID: k.Name, Scope: scope, Conflicts: x.conflicts,
			Message: "constraint " + k.Name}
		// Values outside a variable's domain can never match: drop those tuples.
		for _, tu := range x.tuples {
			ok := true
			for j, v := range tu {
				if !varDom[scope[j]][v] {
					ok = false
					break
				}
			}
			if ok {
				t.Tuples = append(t.Tuples, tu)
			}
		}
		m.Tables = append(m.Tables, t)
	}
	return m, nil
}

// parseXCSPValues reads "0..4", "1 3 5" or a mix of both.
func parseXCSPValues(body string) ([]string, error) {
	var out []string
	seen := make(map[int]bool)
	for _, f := range strings.Fields(body) {
		lo, hi := f, f
		if i := strings.Index(f, ".."); i >= 0 {
			lo, hi = f[:i], f[i+2:]
		}
		a, err := strconv.Atoi(lo)
		if err != nil {
			return nil, fmt.Errorf("parsing value %q: %w", f, err)
		}
		b, err := strconv.Atoi(hi)
		if err != nil {
			return nil, fmt.Errorf("parsing value %q: %w", f, err)
		}
		if b < a {
			return nil, fmt.Errorf("parsing value %q: empty interval", f)
		}
		if b-a >= maxDomainValues || len(out)+(b-a) >= maxDomainValues {
			return nil, fmt.Errorf("parsing value %q: more than %d values", f, maxDomainValues)
		}
		for v := a; v <= b; v++ {
			if seen[v] {
				return nil, fmt.Errorf("parsing value %q: duplicate value %d", f, v)
			}
			seen[v] = true
			out = append(out, strconv.Itoa(v))
		}
	}
	return out, nil
}
