package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql/handler/transport"

	"github.com/atelier/atelier/server/fault"
	"github.com/atelier/atelier/server/gqlws"
)

// bearer extracts the token of an `Authorization: Bearer …` value.
func bearer(header string) string {
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}

// authenticate puts the viewer of the Authorization header in the request context. A token
// that does not authenticate is left for the operations that need a viewer to report; a failure
// to check it at all answers 503.
func authenticate(auth func(context.Context, string) (context.Context, error), logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token := bearer(r.Header.Get("Authorization"))
		if token == "" || isStream(r) && r.Header.Get("Upgrade") != "" {
			// WebSocket clients authenticate in connection_init instead.
			next.ServeHTTP(w, r)
			return
		}
		ctx, err := auth(r.Context(), token)
		if fault.Is(err, fault.Unavailable) {
			logger.WarnContext(r.Context(), "authenticating request", "err", err)
			writeJSON(w, http.StatusServiceUnavailable, map[string]any{"errors": []map[string]any{{
				"message": "cannot check credentials right now", "extensions": map[string]any{"code": "UNAVAILABLE"},
			}}})
			return
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// websocketAuth authenticates a graphql-transport-ws connection from its connection_init
// payload (`authorization` or `Authorization`: "Bearer …"); a token that does not authenticate
// refuses the connection.
func websocketAuth(auth func(context.Context, string) (context.Context, error)) gqlws.InitFunc {
	if auth == nil {
		return nil
	}
	return func(ctx context.Context, payload map[string]any) (context.Context, error) {
		token := initToken(payload)
		if token == "" {
			return ctx, nil
		}
		ctx, err := auth(ctx, token)
		return withConnAuth(ctx), err
	}
}

// initToken is the bearer token of a connection_init payload.
func initToken(payload transport.InitPayload) string {
	header := payload.Authorization()
	if header == "" {
		header = payload.GetString("authorization")
	}
	return bearer(header)
}

// initCloseCode closes a connection whose credentials were refused with 4403, which tells the
// graphql-ws client not to retry, and one whose credentials could not be checked with 1013
// (try again later), which it retries.
func initCloseCode(err error) (int, string) {
	if fault.Is(err, fault.Unavailable) {
		return gqlws.CloseTryAgainLater, "Try again later: cannot check credentials right now"
	}
	return gqlws.CloseForbidden, "Forbidden: " + err.Error()
}
