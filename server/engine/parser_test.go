package engine

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseRule(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"atom", "leather = shell-cordovan", "leather = shell-cordovan"},
		{"neq", "stitching != ivory", "stitching != ivory"},
		{"set", "stitching in {natural,black}", "stitching in {natural, black}"},
		{"not in", "colour not in { olive , grey }", "colour not in {olive, grey}"},
		{"number keys", "wrist in {180, 185} -> lug = 22", "(wrist in {180, 185} -> lug = 22)"},
		{"implies binds loosest but iff",
			"leather = shell-cordovan -> stitching in {natural, black}",
			"(leather = shell-cordovan -> stitching in {natural, black})"},
		{"and over or", "a = x or b = y and c = z", "(a = x or (b = y and c = z))"},
		{"not over and", "not a = x and b = y", "(not (a = x) and b = y)"},
		{"or over implies", "a = x -> b = y or c = z", "(a = x -> (b = y or c = z))"},
		{"implies right assoc", "a = x -> b = y -> c = z", "(a = x -> (b = y -> c = z))"},
		{"iff loosest", "a = x -> b = y <-> c = z", "((a = x -> b = y) <-> c = z)"},
		{"iff left assoc", "a = x <-> b = y <-> c = z", "((a = x <-> b = y) <-> c = z)"},
		{"parens", "(a = x or b = y) and c = z", "((a = x or b = y) and c = z)"},
		{"literals", "true and not false", "(true and not (false))"},
		{"none", "monogram = none or monogram = filled", "(monogram = none or monogram = filled)"},
		{"hyphen before arrow", "a = x-y->b = z", "(a = x-y -> b = z)"},
		{"underscores and newlines", "edge_kind = painted_2\n-> b = y",
			"(edge_kind = painted_2 -> b = y)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, err := ParseRule(tc.in)
			require.NoError(t, err)
			assert.Equal(t, tc.want, e.String())
			// Printing round-trips.
			again, err := ParseRule(e.String())
			require.NoError(t, err)
			assert.Equal(t, e.String(), again.String())
		})
	}
}

func TestParseRuleErrors(t *testing.T) {
	tests := []struct {
		name, in  string
		line, col int
		msg       string
	}{
		{"missing option", "leather = shell -> x =", 1, 23, "expected option after '='"},
		{"missing option mid", "leather =  -> stitching = x", 1, 12, "expected option after '='"},
		{"empty", "", 1, 1, "unexpected end of rule, expected a condition"},
		{"bad char", "a = x & b = y", 1, 7, "unexpected character '&'"},
		{"second line", "a = x ->\n  b in {x,", 2, 11, "expected option in set, found end of rule"},
		{"unclosed paren", "(a = x", 1, 7,
			"expected ')' to close '(' at line 1, column 1, found end of rule"},
		{"no operator", "a x", 1, 3, `expected '=', '!=' or 'in' after group "a", found name`},
		{"trailing", "a = x b", 1, 7, `unexpected name "b" after expression`},
		{"set separator", "a in {x y}", 1, 9, "expected ',' or '}' in set, found name"},
		{"not without in", "a not x", 1, 7, "expected 'in' after 'not'"},
		{"operator first", "and a = x", 1, 1, "expected a group name, 'not' or '(', found 'and'"},
		{"deep", strings.Repeat("(", 500) + "a = x" + strings.Repeat(")", 500), 1, 202,
			"expression nested too deeply"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseRule(tc.in)
			var pe *ParseError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, tc.line, pe.Line)
			assert.Equal(t, tc.col, pe.Column)
			assert.Equal(t, tc.msg, pe.Msg)
		})
	}
	_, err := ParseRule("leather = ")
	require.EqualError(t, err, "line 1, column 11: expected option after '='")
}
