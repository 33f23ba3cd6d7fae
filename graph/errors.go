package graph

import (
	"context"
	"errors"
	"log/slog"
	"runtime/debug"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/atelier/atelier/ent"
	"github.com/atelier/atelier/server/fault"
	"github.com/atelier/atelier/server/outage"
	"github.com/atelier/atelier/server/reqlog"
)

// internalMessage replaces every error that is not meant for clients.
const internalMessage = "internal error"

// ErrorPresenter maps domain and ent errors to GraphQL errors with `extensions.code`; anything
// unexpected is logged once, with the request id, and replaced by a generic message.
func ErrorPresenter(logger *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gqlErr := graphql.DefaultErrorPresenter(ctx, err)
		var already *gqlerror.Error
		if errors.As(err, &already) && already.Err == nil {
			// Parse and validation errors from gqlgen itself: they carry their own code.
			return gqlErr
		}
		code, msg, ext := classify(err)
		if code == "" || code == string(fault.Unavailable) {
			// By where the error arose, not by its text: a bad argument value or an
			// introspection field, both the client's doing.
			if c, m, e := classifyField(ctx, gqlErr); c != "" {
				code, msg, ext = c, m, e
			}
		}
		if code == codeCancelled {
			// The client went away; nobody reads this answer and it is no server fault.
			return &gqlerror.Error{Message: "request cancelled", Extensions: map[string]any{"code": code}}
		}
		if code == "" {
			logger.ErrorContext(ctx, "resolver failed", "err", err, "path", gqlErr.Path.String(),
				"request_id", reqlog.ID(ctx))
			code, msg = "INTERNAL", internalMessage
		}
		gqlErr.Message = msg
		if gqlErr.Extensions == nil {
			gqlErr.Extensions = map[string]any{}
		}
		for k, v := range ext {
			gqlErr.Extensions[k] = v
		}
		gqlErr.Extensions["code"] = code
		return gqlErr
	}
}

// classify returns the client code, message and extensions of err, or an empty code when err
// must not be shown.
func classify(err error) (string, string, map[string]any) {
	if fe, ok := fault.As(err); ok {
		ext := map[string]any{}
		for k, v := range fe.Extensions {
			ext[k] = v
		}
		if fe.Field != "" {
			ext["field"] = fe.Field
		}
		return string(fe.Code), fe.Msg, ext
	}
	var nf *ent.NotFoundError
	if errors.As(err, &nf) {
		return string(fault.NotFound), "not found", nil
	}
	var ve *ent.ValidationError
	if errors.As(err, &ve) {
		return string(fault.BadUserInput), "invalid value for " + ve.Name,
			map[string]any{"field": ve.Name}
	}
	var ce *ent.ConstraintError
	if errors.As(err, &ce) {
		return string(fault.Conflict), "conflicts with an existing record", nil
	}
	if errors.Is(err, context.Canceled) {
		return codeCancelled, "", nil
	}
	if outage.Unreachable(err) {
		return string(fault.Unavailable), "a backing service is unavailable, try again shortly", nil
	}
	return "", "", nil
}

// classifyField classifies an error by the field it arose in: an error whose path runs past
// the field into its arguments is a value gqlgen could not decode (an ID that is no number, a
// cursor that is no cursor), BAD_USER_INPUT naming the argument; an error of __schema or __type
// is gqlgen refusing introspection outside -dev, FORBIDDEN.
func classifyField(ctx context.Context, e *gqlerror.Error) (string, string, map[string]any) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil {
		return "", "", nil
	}
	if fc.Field.Field != nil && (fc.Field.Name == "__schema" || fc.Field.Name == "__type") {
		return string(fault.Forbidden), "introspection is disabled on this server", nil
	}
	at := fc.Path()
	if len(e.Path) <= len(at) || e.Path[:len(at)].String() != at.String() {
		return "", "", nil
	}
	var arg []string
	for _, p := range e.Path[len(at):] {
		if name, ok := p.(ast.PathName); ok {
			arg = append(arg, string(name))
		}
	}
	field := strings.Join(arg, ".")
	return string(fault.BadUserInput), "invalid value for " + field, map[string]any{"field": field}
}

// codeCancelled marks a request whose client went away.
const codeCancelled = "CANCELLED"

// RecoverFunc turns a panic in a resolver into the generic internal error, logging its stack.
func RecoverFunc(logger *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		logger.ErrorContext(ctx, "resolver panicked", "panic", p, "stack", string(debug.Stack()),
			"request_id", reqlog.ID(ctx))
		return &gqlerror.Error{
			Message:    internalMessage,
			Extensions: map[string]any{"code": "INTERNAL"},
		}
	}
}
