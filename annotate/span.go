package annotate

import (
	"cmp"
	"slices"
)

// Span is a stretch of a record, [Start, End) in samples.
type Span struct{ Start, End int64 }

// Union returns the union of spans as sorted, disjoint spans; spans that
// touch or overlap are merged. spans is not changed.
func Union(spans []Span) []Span {
	s := slices.Clone(spans)
	slices.SortFunc(s, func(a, b Span) int { return cmp.Compare(a.Start, b.Start) })
	var u []Span
	for _, x := range s {
		if n := len(u); n > 0 && x.Start <= u[n-1].End {
			u[n-1].End = max(u[n-1].End, x.End)
			continue
		}
		u = append(u, x)
	}
	return u
}
