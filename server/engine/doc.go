// Package engine is Atelier's configuration engine: it compiles a catalog version
// (option groups, designer rules, table constraints) into a decision diagram once, then
// answers every customer step exactly, in time linear in the diagram.
//
// # Model
//
// Each SINGLE, NUMBER or TEXT group is one variable whose values are its options (TEXT:
// "filled"), plus "none" when the group is optional. A MULTI group is one boolean variable
// per option plus an auxiliary count variable tied to them by a count constraint
// (MinSelect..MaxSelect, or zero when optional); "extras = none" is "count = 0". Every
// customer selection therefore fixes exactly one variable to one value, which keeps
// propagation, explanation and the shortest-path resolution per-variable.
//
// Rules are written in a small language (see ParseRule): `group = option`,
// `group != option`, `group in {a, b}`, `group not in {a, b}`, true, false, not, and, or,
// -> (right-associative) and <->, in that order of precedence.
//
// # Compilation
//
// Two variable orders are computed: FORCE on the constraint hypergraph (several
// deterministic starts, the smallest total scope span wins), and the depth-first order of a
// min-fill tree decomposition (elimination tree, parents before children, smaller subtrees
// first), under which a subtree's levels form one band below its separator. The tree order
// is taken when its width bound (the assignments of each cut) is 2^12 times smaller: wide,
// tree-like models (issue 18); FORCE stays on Mégane, whose functional tables it serves
// better. Every rule, table and count constraint becomes a small reduced ordered
// multi-valued decision diagram (MDD) with skip levels (a node whose children are all equal
// is never created), built by a memoised apply over a unique table. Under FORCE the
// diagrams are conjoined two smallest first; under the tree order bucket by bucket up the
// elimination tree, so that every intermediate covers one subtree. The result is stored in
// flat arrays: nodes sorted by level, each with a range of edges (value, child,
// skipped-span). Mégane (99 variables, 113 tables) compiles to 25,560 nodes; a generated
// model of 268 groups and 332 tables of arity up to 12 (1.5e22 configurations) to 9,818.
//
// # One step
//
// Propagate runs a bottom-up pass (number of completions below every node, scaled by the
// permitted values of skipped levels) in the width Compile chose from the unrestricted
// total, which bounds every count of every step: uint64, or 128 bits (two words), or beyond
// 2^128 saturating uint64 then an exact math/big recount. A top-down pass then marks the
// nodes on valid paths; a value is AVAILABLE when an edge carrying it leaves a reached node
// into a live child, or when a valid edge skips its level. Scratch arrays come from a
// sync.Pool, so PropagateInto does not allocate.
//
// # Explanations and fixes
//
// Explain runs QuickXplain over the selections (each check is one bottom-up pass), then
// QuickXplain over the constraints (each check conjoins the per-constraint diagrams,
// restricted to the conflict, in a private manager), starting from the smallest
// neighbourhood of the conflict's variables in the constraint graph that already conflicts.
// Resolve and Repair compute a shortest root-to-terminal path where taking a value costs
// the selections it contradicts, with lexicographic costs (number dropped, then the
// dropped set as a binary number whose high bits are the most recent selections), so ties
// keep the most recent choices.
//
// # Designer queries
//
// Matrix restricts one group value at a time and reads the other group's valid domain.
// Lint reports empty required groups, an empty solution space (with a minimal contradictory
// rule set), dead and always-forced options, and rules whose removal leaves the diagram
// unchanged (all-but-one conjunctions shared by divide and conquer; diagrams are canonical,
// so equality is a node comparison). Impact recompiles with the extra rule.
package engine
