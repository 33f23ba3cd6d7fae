package engine

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ParseError is a syntax error in a rule expression, with a 1-based line and column
// (columns count characters).
type ParseError struct {
	Line, Column int
	Msg          string
}

// Error implements error, e.g. "line 1, column 14: expected option after '='".
func (e *ParseError) Error() string {
	return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Column, e.Msg)
}

// Expr is a parsed rule expression: *Lit, *Cmp, *Not or *Binary.
type Expr interface {
	// String prints the expression fully parenthesised, in the rule language.
	String() string
	isExpr()
}

// Lit is the literal true or false.
type Lit struct {
	Value bool
}

// CmpOp is the comparison of an atom.
type CmpOp int

// The comparison operators.
const (
	// OpEq is `group = option`.
	OpEq CmpOp = iota
	// OpNeq is `group != option`.
	OpNeq
	// OpIn is `group in {a, b}`.
	OpIn
	// OpNotIn is `group not in {a, b}`.
	OpNotIn
)

// Cmp is an atom comparing a group with options.
type Cmp struct {
	Group   string
	Op      CmpOp
	Options []string
	// Line and Column locate the group name in the source.
	Line, Column int
}

// Not is the negation of an expression.
type Not struct {
	X Expr
}

// BinOp is a binary connective.
type BinOp int

// The binary connectives, from the tightest to the loosest binding.
const (
	// OpAnd is `and`.
	OpAnd BinOp = iota
	// OpOr is `or`.
	OpOr
	// OpImplies is `->` (right-associative).
	OpImplies
	// OpIff is `<->`.
	OpIff
)

// Binary is a binary connective applied to two expressions.
type Binary struct {
	Op   BinOp
	L, R Expr
}

func (*Lit) isExpr()    {}
func (*Cmp) isExpr()    {}
func (*Not) isExpr()    {}
func (*Binary) isExpr() {}

// String implements Expr.
func (l *Lit) String() string {
	if l.Value {
		return "true"
	}
	return "false"
}

// String implements Expr.
func (c *Cmp) String() string {
	switch c.Op {
	case OpEq:
		return c.Group + " = " + c.Options[0]
	case OpNeq:
		return c.Group + " != " + c.Options[0]
	case OpNotIn:
		return c.Group + " not in {" + strings.Join(c.Options, ", ") + "}"
	}
	return c.Group + " in {" + strings.Join(c.Options, ", ") + "}"
}

// String implements Expr.
func (n *Not) String() string { return "not (" + n.X.String() + ")" }

// String implements Expr.
func (b *Binary) String() string {
	op := [...]string{"and", "or", "->", "<->"}[b.Op]
	return "(" + b.L.String() + " " + op + " " + b.R.String() + ")"
}

type tokKind int

const (
	tEOF tokKind = iota
	tIdent
	tEq
	tNeq
	tLBrace
	tRBrace
	tComma
	tLParen
	tRParen
	tImplies
	tIff
	tNot
	tAnd
	tOr
	tIn
	tTrue
	tFalse
)

var tokNames = [...]string{
	"end of rule", "name", "'='", "'!='", "'{'", "'}'", "','", "'('", "')'", "'->'", "'<->'",
	"'not'", "'and'", "'or'", "'in'", "'true'", "'false'",
}

type token struct {
	kind      tokKind
	text      string
	line, col int
}

func isIdentRune(r rune) bool {
	return r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

// lex splits src into tokens.
func lex(src string) ([]token, error) {
	var toks []token
	line, col := 1, 1
	i := 0
	for i < len(src) {
		r, size := utf8.DecodeRuneInString(src[i:])
		if r == utf8.RuneError && size == 1 {
			return nil, &ParseError{line, col, "invalid UTF-8"}
		}
		if r == '\n' {
			line, col = line+1, 1
			i += size
			continue
		}
		if unicode.IsSpace(r) {
			col++
			i += size
			continue
		}
		t := token{line: line, col: col}
		two := ""
		if i+1 < len(src) {
			two = src[i : i+2]
		}
		switch {
		case strings.HasPrefix(src[i:], "<->"):
			t.kind, t.text = tIff, "<->"
		case two == "->":
			t.kind, t.text = tImplies, "->"
		case two == "!=":
			t.kind, t.text = tNeq, "!="
		case r == '=':
			t.kind, t.text = tEq, "="
		case r == '{':
			t.kind, t.text = tLBrace, "{"
		case r == '}':
			t.kind, t.text = tRBrace, "}"
		case r == ',':
			t.kind, t.text = tComma, ","
		case r == '(':
			t.kind, t.text = tLParen, "("
		case r == ')':
			t.kind, t.text = tRParen, ")"
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			j := i
			for j < len(src) {
				r2, s2 := utf8.DecodeRuneInString(src[j:])
				if !isIdentRune(r2) || (r2 == '-' && strings.HasPrefix(src[j:], "->")) {
					break
				}
				j += s2
			}
			t.kind, t.text = tIdent, src[i:j]
			switch t.text {
			case "not":
				t.kind = tNot
			case "and":
				t.kind = tAnd
			case "or":
				t.kind = tOr
			case "in":
				t.kind = tIn
			case "true":
				t.kind = tTrue
			case "false":
				t.kind = tFalse
			}
		default:
			return nil, &ParseError{line, col, fmt.Sprintf("unexpected character %q", r)}
		}
		toks = append(toks, t)
		n := utf8.RuneCountInString(t.text)
		col += n
		i += len(t.text)
	}
	toks = append(toks, token{kind: tEOF, line: line, col: col})
	return toks, nil
}

type parser struct {
	toks []token
	pos  int
}

func (p *parser) peek() token { return p.toks[p.pos] }

func (p *parser) next() token {
	t := p.toks[p.pos]
	if t.kind != tEOF {
		p.pos++
	}
	return t
}

func (p *parser) errAt(t token, format string, args ...any) error {
	return &ParseError{Line: t.line, Column: t.col, Msg: fmt.Sprintf(format, args...)}
}

// maxDepth bounds nesting so that hostile input cannot exhaust the stack.
const maxDepth = 200

// ParseRule parses a rule expression (syntax only; references are checked by Compile).
// Errors are *ParseError values naming the line and column.
func ParseRule(expr string) (Expr, error) {
	toks, err := lex(expr)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	e, err := p.parseIff(0)
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		return nil, p.errAt(t, "unexpected %s %q after expression", tokNames[t.kind], t.text)
	}
	return e, nil
}

func (p *parser) parseIff(depth int) (Expr, error) {
	if depth > maxDepth {
		return nil, p.errAt(p.peek(), "expression nested too deeply")
	}
	l, err := p.parseImplies(depth)
	if err != nil {
		return nil, err
	}
	for p.peek().kind == tIff {
		p.next()
		r, err := p.parseImplies(depth)
		if err != nil {
			return nil, err
		}
		l = &Binary{Op: OpIff, L: l, R: r}
	}
	return l, nil
}

func (p *parser) parseImplies(depth int) (Expr, error) {
	l, err := p.parseOr(depth)
	if err != nil {
		return nil, err
	}
	if p.peek().kind == tImplies {
		p.next()
		if depth > maxDepth {
			return nil, p.errAt(p.peek(), "expression nested too deeply")
		}
		r, err := p.parseImplies(depth + 1)
		if err != nil {
			return nil, err
		}
		return &Binary{Op: OpImplies, L: l, R: r}, nil
	}
	return l, nil
}

func (p *parser) parseOr(depth int) (Expr, error) {
	l, err := p.parseAnd(depth)
	if err != nil {
		return nil, err
	}
	for p.peek().kind == tOr {
		p.next()
		r, err := p.parseAnd(depth)
		if err != nil {
			return nil, err
		}
		l = &Binary{Op: OpOr, L: l, R: r}
	}
	return l, nil
}

func (p *parser) parseAnd(depth int) (Expr, error) {
	l, err := p.parseUnary(depth)
	if err != nil {
		return nil, err
	}
	for p.peek().kind == tAnd {
		p.next()
		r, err := p.parseUnary(depth)
		if err != nil {
			return nil, err
		}
		l = &Binary{Op: OpAnd, L: l, R: r}
	}
	return l, nil
}

func (p *parser) parseUnary(depth int) (Expr, error) {
	if depth > maxDepth {
		return nil, p.errAt(p.peek(), "expression nested too deeply")
	}
	if p.peek().kind == tNot {
		p.next()
		x, err := p.parseUnary(depth + 1)
		if err != nil {
			return nil, err
		}
		return &Not{X: x}, nil
	}
	return p.parsePrimary(depth)
}

func (p *parser) parsePrimary(depth int) (Expr, error) {
	t := p.next()
	switch t.kind {
	case tLParen:
		e, err := p.parseIff(depth + 1)
		if err != nil {
			return nil, err
		}
		if c := p.next(); c.kind != tRParen {
			return nil, p.errAt(c, "expected ')' to close '(' at line %d, column %d, found %s",
				t.line, t.col, tokNames[c.kind])
		}
		return e, nil
	case tTrue:
		return &Lit{Value: true}, nil
	case tFalse:
		return &Lit{Value: false}, nil
	case tIdent:
		return p.parseAtom(t)
	case tEOF:
		return nil, p.errAt(t, "unexpected end of rule, expected a condition")
	}
	return nil, p.errAt(t, "expected a group name, 'not' or '(', found %s", tokNames[t.kind])
}

func (p *parser) parseAtom(g token) (Expr, error) {
	c := &Cmp{Group: g.text, Line: g.line, Column: g.col}
	op := p.next()
	switch op.kind {
	case tEq, tNeq:
		c.Op = OpEq
		if op.kind == tNeq {
			c.Op = OpNeq
		}
		o := p.next()
		if o.kind != tIdent {
			return nil, p.errAt(o, "expected option after '%s'", op.text)
		}
		c.Options = []string{o.text}
		return c, nil
	case tIn:
		c.Op = OpIn
	case tNot:
		if in := p.next(); in.kind != tIn {
			return nil, p.errAt(in, "expected 'in' after 'not'")
		}
		c.Op = OpNotIn
	default:
		return nil, p.errAt(op, "expected '=', '!=' or 'in' after group %q, found %s",
			g.text, tokNames[op.kind])
	}
	if b := p.next(); b.kind != tLBrace {
		return nil, p.errAt(b, "expected '{' after 'in'")
	}
	for {
		o := p.next()
		if o.kind != tIdent {
			return nil, p.errAt(o, "expected option in set, found %s", tokNames[o.kind])
		}
		c.Options = append(c.Options, o.text)
		s := p.next()
		if s.kind == tRBrace {
			return c, nil
		}
		if s.kind != tComma {
			return nil, p.errAt(s, "expected ',' or '}' in set, found %s", tokNames[s.kind])
		}
	}
}
