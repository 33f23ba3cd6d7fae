package graph_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestGraphDoesNotDependOnTransports: graph meets the transports through server/live only, so
// neither the WebSocket transport nor the HTTP handler is among its dependencies.
func TestGraphDoesNotDependOnTransports(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", ".").CombinedOutput()
	require.NoError(t, err, "%s", out)
	deps := strings.Fields(string(out))
	require.Contains(t, deps, "github.com/atelier/atelier/server/live", "the list is graph's")
	for _, transport := range []string{
		"github.com/atelier/atelier/server/gqlws",
		"github.com/atelier/atelier/server/httpapi",
	} {
		require.NotContains(t, deps, transport)
	}
}
