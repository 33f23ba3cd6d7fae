package purity_test

import (
	"errors"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// module is the import path prefix of Atelier's packages.
const module = "github.com/atelier/atelier/"

// pure are the packages whose doc comments claim no I/O (the engine, the configure step,
// quote with its business-day calendar, preview, country) and the data and error packages
// they are built on (catalog snapshots, fault). A new pure package is added here.
var pure = []string{
	module + "server/catalog",
	module + "server/engine",
	module + "server/pageview",
	module + "server/country",
	module + "server/fault",
	module + "server/preview",
	module + "server/quote",
}

func TestPurePackagesLinkOnlyTheStandardLibrary(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to list the pure packages' dependencies: %v", err)
	}
	for _, pkg := range pure {
		t.Run(strings.TrimPrefix(pkg, module), func(t *testing.T) {
			t.Parallel()
			out, err := exec.Command(goTool, "list", "-deps", "-f", "{{.ImportPath}} {{.Standard}}",
				pkg).Output()
			if err != nil {
				var stderr string
				if ee := (*exec.ExitError)(nil); errors.As(err, &ee) {
					stderr = string(ee.Stderr)
				}
				t.Fatalf("go list -deps %s: %v\n%s", pkg, err, stderr)
			}
			var bad []string
			for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
				path, standard, _ := strings.Cut(line, " ")
				if standard == "true" || slices.Contains(pure, path) {
					continue
				}
				bad = append(bad, path)
			}
			if len(bad) > 0 {
				t.Errorf("%s claims to be pure but links %d non-standard, non-pure packages:\n  %s",
					pkg, len(bad), strings.Join(bad, "\n  "))
			}
		})
	}
}
