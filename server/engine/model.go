package engine

import (
	"errors"
	"fmt"
)

// Kind is the kind of an option group.
type Kind int

// The kinds of option groups.
const (
	// KindSingle is a group where exactly one option is chosen (or none when optional).
	KindSingle Kind = iota
	// KindMulti is a group where several options may be chosen together.
	KindMulti
	// KindText is a free-text group (the monogram): modelled as empty or filled.
	KindText
	// KindNumber is a numeric group, already discretised into options with decimal keys.
	KindNumber
)

// String returns the upper-case name of the kind.
func (k Kind) String() string {
	switch k {
	case KindSingle:
		return "SINGLE"
	case KindMulti:
		return "MULTI"
	case KindText:
		return "TEXT"
	case KindNumber:
		return "NUMBER"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// NoneKey is the option key of the "none" value of an optional group.
const NoneKey = "none"

// FilledKey is the option key of a filled TEXT group.
const FilledKey = "filled"

// Option is one choice of a group.
type Option struct {
	Key, Name string
}

// Group is an option group of a product: one variable of the configuration problem.
type Group struct {
	Key, Name string
	Kind      Kind
	Required  bool
	// MinSelect and MaxSelect bound the number of chosen options of a MULTI group
	// (MaxSelect 0 means no upper bound).
	MinSelect, MaxSelect int
	// Options are the choices of SINGLE, MULTI and NUMBER groups; ignored for TEXT.
	Options []Option
}

// Rule is a designer rule written in the expression language (see ParseRule).
type Rule struct {
	ID, Expr string
	// Message is what customers see when the rule excludes an option.
	Message string
}

// Table is a table constraint: the allowed (or, with Conflicts, the forbidden) tuples of
// option keys over a scope of groups.
type Table struct {
	ID        string
	Scope     []string
	Tuples    [][]string
	Conflicts bool
	Message   string
}

// Model is a catalog version: groups, rules and tables.
type Model struct {
	Groups []Group
	Rules  []Rule
	Tables []Table
}

// clone returns a deep copy of the model so that a Compiled never shares memory with callers.
func (m Model) clone() Model {
	out := Model{
		Groups: make([]Group, len(m.Groups)),
		Rules:  append([]Rule(nil), m.Rules...),
		Tables: make([]Table, len(m.Tables)),
	}
	for i, g := range m.Groups {
		g.Options = append([]Option(nil), g.Options...)
		out.Groups[i] = g
	}
	for i, t := range m.Tables {
		t.Scope = append([]string(nil), t.Scope...)
		tuples := make([][]string, len(t.Tuples))
		for j, tu := range t.Tuples {
			tuples[j] = append([]string(nil), tu...)
		}
		t.Tuples = tuples
		out.Tables[i] = t
	}
	return out
}

// Selection is one customer choice. Selections are passed oldest first; a MULTI group may
// appear several times with different options; TEXT groups use FilledKey; optional groups
// may select NoneKey explicitly.
type Selection struct {
	Group, Option string
}

// State is the state of an option after propagation.
type State int

// The option states.
const (
	// StateAvailable means some valid complete configuration extends the selections with it.
	StateAvailable State = iota
	// StateSelected means the customer selected it.
	StateSelected
	// StateExcluded means no valid complete configuration extends the selections with it.
	StateExcluded
	// StateForced means it is the only possibility left (every valid configuration has it).
	StateForced
)

// String returns the GraphQL enum name of the state.
func (s State) String() string {
	switch s {
	case StateAvailable:
		return "AVAILABLE"
	case StateSelected:
		return "SELECTED"
	case StateExcluded:
		return "EXCLUDED"
	case StateForced:
		return "FORCED"
	}
	return fmt.Sprintf("State(%d)", int(s))
}

// ErrNotExcluded is returned by Explain when the option is not excluded.
var ErrNotExcluded = errors.New("option is not excluded")

// ErrImpossible is returned by Resolve when no valid configuration contains the option,
// whatever is dropped, and by Repair when the catalog has no valid configuration.
var ErrImpossible = errors.New("no valid configuration contains the option")

// InputError reports a selection or query that names an unknown group or option.
type InputError struct {
	Group, Option string
	Msg           string
}

// Error implements error.
func (e *InputError) Error() string {
	if e.Option == "" {
		return fmt.Sprintf("group %q: %s", e.Group, e.Msg)
	}
	return fmt.Sprintf("group %q, option %q: %s", e.Group, e.Option, e.Msg)
}

// CompileError reports a model that cannot be compiled (bad references, bad rule syntax).
type CompileError struct {
	// RuleID names the rule or table at fault ("" for group errors).
	RuleID string
	// Key is the group or option key at fault, if any.
	Key string
	Msg string
	// Err is the underlying error (for example a *ParseError), if any.
	Err error
}

// Error implements error.
func (e *CompileError) Error() string {
	s := "compiling model: "
	if e.RuleID != "" {
		s += fmt.Sprintf("rule %q: ", e.RuleID)
	}
	if e.Key != "" {
		s += fmt.Sprintf("%q: ", e.Key)
	}
	s += e.Msg
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the underlying error.
func (e *CompileError) Unwrap() error { return e.Err }
