package quote

import (
	"errors"
	"fmt"
)

// ErrInvalidInput is matched by every [*InputError] (errors.Is).
var ErrInvalidInput = errors.New("invalid input")

// ErrOverflow is wrapped by an [*InputError] whose amounts do not fit in an int64.
var ErrOverflow = errors.New("amount overflows int64")

// InputError reports an input field that cannot be priced or scheduled.
type InputError struct {
	// Field names the offending input field, e.g. "Quantity" or "Tiers[1].DiscountBasisPoints".
	Field string
	// Msg says what is wrong with it, in words a staff member can act on.
	Msg string
	// Err is an optional underlying cause such as [ErrOverflow].
	Err error
}

// Error implements error.
func (e *InputError) Error() string {
	return fmt.Sprintf("invalid %s: %s", e.Field, e.Msg)
}

// Unwrap returns the underlying cause, if any.
func (e *InputError) Unwrap() error { return e.Err }

// Is reports whether target is [ErrInvalidInput], so callers can match any input error.
func (e *InputError) Is(target error) bool { return target == ErrInvalidInput }

func inputErr(field, format string, args ...any) *InputError {
	return &InputError{Field: field, Msg: fmt.Sprintf(format, args...)}
}

func overflowErr(field string) *InputError {
	return &InputError{Field: field, Msg: ErrOverflow.Error(), Err: ErrOverflow}
}
