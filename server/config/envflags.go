package config

import (
	"flag"
	"fmt"
	"strconv"
	"time"
)

// envFlags defines typed flags (fs.Duration, fs.Int) whose defaults come from environment
// variables. A variable that does not parse leaves the flag's zero default and is reported,
// naming the variable, only when no flag overrides it, as when the defaults were strings.
type envFlags struct {
	fs  *flag.FlagSet
	get func(key, def string) string
	// given holds the names of the flags on the command line, known after parse.
	given map[string]bool
}

// parse parses args and records which flags were given.
func (e *envFlags) parse(args []string) error {
	if err := e.fs.Parse(args); err != nil {
		return err
	}
	e.given = map[string]bool{}
	e.fs.Visit(func(f *flag.Flag) { e.given[f.Name] = true })
	return nil
}

// shown is what an error quotes: the flag's value as given, or the environment's text.
func (e *envFlags) shown(name, envText string) string {
	if e.given[name] {
		return e.fs.Lookup(name).Value.String()
	}
	return envText
}

// setting is a typed flag with an environment fallback: after parse, get returns its value
// or appends an *Error naming the variable.
type setting[T any] func(errs []error) (T, []error)

// positiveDuration is a duration flag that must be above zero.
func (e *envFlags) positiveDuration(name, key, def, usage string) setting[time.Duration] {
	text := e.get(key, def)
	d, perr := time.ParseDuration(text)
	p := e.fs.Duration(name, d, usage)
	return func(errs []error) (time.Duration, []error) {
		if (perr != nil && !e.given[name]) || *p <= 0 {
			return 0, append(errs, &Error{key, fmt.Sprintf("%q is not a positive duration like 30s or 720h",
				e.shown(name, text))})
		}
		return *p, errs
	}
}

// integer is a whole-number flag that must satisfy ok, described by want in errors.
func (e *envFlags) integer(name, key, def, usage string, ok func(int) bool, want string) setting[int] {
	text := e.get(key, def)
	n, perr := strconv.Atoi(text)
	p := e.fs.Int(name, n, usage)
	return func(errs []error) (int, []error) {
		if (perr != nil && !e.given[name]) || !ok(*p) {
			return 0, append(errs, &Error{key, fmt.Sprintf("%q is not %s", e.shown(name, text), want)})
		}
		return *p, errs
	}
}

// count is a whole number that is 0 (off) or at least lowest.
func (e *envFlags) count(name, key, def string, lowest int, usage string) setting[int] {
	return e.integer(name, key, def, usage, func(n int) bool { return n == 0 || n >= lowest },
		fmt.Sprintf("0 or a whole number ≥ %d", lowest))
}
