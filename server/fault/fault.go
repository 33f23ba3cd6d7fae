// Package fault defines the errors a client may see, each with a stable code that the GraphQL
// layer puts in `extensions.code`. Domain packages return them; graph/errors.go presents them.
// Pure: standard library only (whether an error means a service is down is server/outage's).
package fault

import (
	"errors"
	"fmt"
)

// Code classifies an error for clients.
type Code string

// The codes clients can act on.
const (
	BadUserInput    Code = "BAD_USER_INPUT"
	NotFound        Code = "NOT_FOUND"
	Unauthenticated Code = "UNAUTHENTICATED"
	Forbidden       Code = "FORBIDDEN"
	Conflict        Code = "CONFLICT"
	Unavailable     Code = "UNAVAILABLE"
	SoldOut         Code = "SOLD_OUT"
	RateLimited     Code = "RATE_LIMITED"
)

// Error is an error a client may see.
type Error struct {
	// Code is the machine-readable class.
	Code Code
	// Msg is the human-readable message.
	Msg string
	// Field names the input at fault, if any.
	Field string
	// Extensions are extra details for the client (e.g. the current version on a CONFLICT).
	Extensions map[string]any
	// Err is the cause, kept for logs and errors.Is; never shown to clients.
	Err error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Msg + ": " + e.Err.Error()
	}
	return e.Msg
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// With returns a copy of e with one more extension.
func (e *Error) With(key string, value any) *Error {
	c := *e
	c.Extensions = make(map[string]any, len(e.Extensions)+1)
	for k, v := range e.Extensions {
		c.Extensions[k] = v
	}
	c.Extensions[key] = value
	return &c
}

// New returns an error with code and a formatted message.
func New(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Msg: fmt.Sprintf(format, args...)}
}

// BadInput returns a BAD_USER_INPUT error naming field.
func BadInput(field, format string, args ...any) *Error {
	return &Error{Code: BadUserInput, Field: field, Msg: fmt.Sprintf(format, args...)}
}

// Wrap returns an error with code and message that keeps cause for logs.
func Wrap(code Code, cause error, format string, args ...any) *Error {
	return &Error{Code: code, Msg: fmt.Sprintf(format, args...), Err: cause}
}

// As returns the *Error in err's chain, if any.
func As(err error) (*Error, bool) {
	var fe *Error
	ok := errors.As(err, &fe)
	return fe, ok
}

// Is reports whether err carries code.
func Is(err error, code Code) bool {
	fe, ok := As(err)
	return ok && fe.Code == code
}
