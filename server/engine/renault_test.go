package engine

import (
	"bytes"
	"math/big"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"
)

// renaultPath is the dataset relative to this package directory.
const renaultPath = "../../../shared/datasets/renault-megane/megane.xml"

// loadRenault reads the Renault Mégane model, skipping (or failing when CI=true) if the
// shared dataset directory is absent.
func loadRenault(tb testing.TB) Model {
	tb.Helper()
	path, err := filepath.Abs(renaultPath)
	require.NoError(tb, err)
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("Renault dataset missing at %s (CI=true)", path)
		}
		tb.Skipf("Renault dataset not found at %s: skipping", path)
	}
	require.NoError(tb, err)
	m, err := ImportXCSP(bytes.NewReader(data))
	require.NoError(tb, err)
	return m
}

func TestRenault(t *testing.T) {
	m := loadRenault(t)
	require.Len(t, m.Groups, 99)
	require.Len(t, m.Tables, 113)
	c, err := Compile(m)
	require.NoError(t, err)
	st := c.Stats()
	t.Logf("Renault: %d variables, %d nodes, %d edges", st.Variables, st.Nodes, st.Edges)

	t.Run("count", func(t *testing.T) {
		n, err := c.Count(nil)
		require.NoError(t, err)
		want, _ := new(big.Int).SetString("2835456006272", 10)
		require.Equal(t, want.String(), n.String())
		res, err := c.Propagate(nil)
		require.NoError(t, err)
		require.Equal(t, want.String(), res.Count.String())
		require.True(t, res.Consistent)
		require.False(t, res.Complete)
	})

	t.Run("propagate agrees with reference search", func(t *testing.T) {
		ref := newRefCSP(m, nil)
		r := rand.New(rand.NewPCG(3, 99))
		n := 24
		if testing.Short() || raceEnabled {
			n = 6
		}
		for i := range n {
			var sel []Selection
			if i%4 == 3 {
				// Uniformly random values: often inconsistent.
				for range 1 + r.IntN(3) {
					g := m.Groups[r.IntN(len(m.Groups))]
					sel = append(sel, Selection{g.Key, g.Options[r.IntN(len(g.Options))].Key})
				}
			} else {
				sel = customerPath(t, c, r, 1+r.IntN(12))
			}
			res, err := c.Propagate(sel)
			require.NoError(t, err)
			require.Equal(t, ref.states(sel), engineStates(m, res), "selections %v", sel)
		}
	})

	t.Run("explain and resolve", func(t *testing.T) {
		r := rand.New(rand.NewPCG(5, 5))
		sel := customerPath(t, c, r, 8)
		res, err := c.Propagate(sel)
		require.NoError(t, err)
		done := 0
		for gi, gr := range res.Groups {
			for _, o := range gr.Options {
				if o.State != StateExcluded || done >= 5 {
					continue
				}
				x := Selection{m.Groups[gi].Key, o.Key}
				ex, err := c.Explain(sel, x.Group, x.Option)
				require.NoError(t, err)
				with := append(append([]Selection(nil), ex.Selections...), x)
				n, err := c.Count(with)
				require.NoError(t, err)
				require.Zero(t, n.Sign())
				for i := range ex.Selections {
					rest := append(append([]Selection(nil), ex.Selections[:i]...),
						ex.Selections[i+1:]...)
					n, err := c.Count(append(rest, x))
					require.NoError(t, err)
					require.Positive(t, n.Sign(), "explanation %v of %v not minimal", ex, x)
				}
				rs, err := c.Resolve(sel, x.Group, x.Option)
				if err != nil {
					require.ErrorIs(t, err, ErrImpossible)
					continue
				}
				n, err = c.Count(append(rs.Kept, x))
				require.NoError(t, err)
				require.Positive(t, n.Sign())
				done++
			}
		}
	})
}

// customerPath makes k choices among the AVAILABLE options, like a customer would.
func customerPath(tb testing.TB, c *Compiled, r *rand.Rand, k int) []Selection {
	tb.Helper()
	var sel []Selection
	for range k {
		res, err := c.Propagate(sel)
		require.NoError(tb, err)
		var avail []Selection
		for _, g := range res.Groups {
			for _, o := range g.Options {
				if o.State == StateAvailable {
					avail = append(avail, Selection{g.Key, o.Key})
				}
			}
		}
		if len(avail) == 0 {
			break
		}
		sel = append(sel, avail[r.IntN(len(avail))])
	}
	return sel
}

func TestRenaultCompileMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("measures a full compile")
	}
	m := loadRenault(t)
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	c, err := Compile(m)
	require.NoError(t, err)
	runtime.ReadMemStats(&after)
	alloc := (after.TotalAlloc - before.TotalAlloc) >> 20
	t.Logf("Renault compile allocated %d MB in total; %+v", alloc, c.Stats())
	require.Less(t, alloc, uint64(500))
}
