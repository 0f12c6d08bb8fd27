package review

import (
	"fmt"
	"slices"

	"github.com/ecgstation/ecgstation/annotate"
)

// LookAlikes finds the beats that look like the beat at sample (same
// morphology and rhythm), nearest first, the beat itself left out. The
// clustering (inference/cluster) is one.
type LookAlikes interface {
	LookAlikes(sample int64) []int64
}

// Propagate copies the reader's corrections at corrected to their
// look-alikes that nobody has reviewed, through s.Propagate, one undoable
// command per code. A look-alike claimed by corrections of different codes
// is left alone. Corrected samples without a beat, or whose beat is not the
// reader's own (annotate.ReaderOwned), are skipped. It returns the number of
// beats re-labelled.
func Propagate(s *annotate.Session, la LookAlikes, corrected []int64, why string) (int, error) {
	claims := map[int64]annotate.Code{}
	conflict := map[int64]bool{}
	for _, at := range corrected {
		b, ok := s.Beat(at)
		if !ok || !annotate.ReaderOwned(b.Prov, b.Review) || !b.Code.IsBeat() {
			continue
		}
		for _, x := range la.LookAlikes(at) {
			if c, seen := claims[x]; seen && c != b.Code {
				conflict[x] = true
			}
			claims[x] = b.Code
		}
	}
	byCode := map[annotate.Code][]int64{}
	for x, c := range claims {
		if t, ok := s.Beat(x); ok && !conflict[x] && annotate.Propagatable(t) && t.Code != c {
			byCode[c] = append(byCode[c], x)
		}
	}
	n := 0
	for _, c := range sortedCodes(byCode) {
		xs := byCode[c]
		slices.Sort(xs)
		m, err := s.Propagate(xs, c, why)
		if err != nil {
			return n, fmt.Errorf("review: propagate %s: %w", c, err)
		}
		n += m
	}
	return n, nil
}

func sortedCodes(m map[annotate.Code][]int64) []annotate.Code {
	var cs []annotate.Code
	for c := range m {
		cs = append(cs, c)
	}
	slices.Sort(cs)
	return cs
}
