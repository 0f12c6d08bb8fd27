package eval

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/ecgstation/ecgstation/annotate"
)

// FlipKind says whether a flip helps or hurts.
type FlipKind uint8

// The kinds of flip: B fixes A's label (B agrees with the reader, A did
// not), B breaks it (A agreed, B does not), or neither agrees.
const (
	Fixed FlipKind = iota
	Broken
	Other
)

var flipNames = [...]string{"fixed", "broken", "other"}

// String returns the kind's name.
func (k FlipKind) String() string {
	if int(k) < len(flipNames) {
		return flipNames[k]
	}
	return "?"
}

// Flip is a beat two models label differently: BeatRef holds the reader's
// label and model A's (Model, Confidence), B and ConfidenceB model B's.
type Flip struct {
	BeatRef
	Kind        FlipKind
	B           annotate.Code
	ConfidenceB float32
}

// Side is one model's result against the readers.
type Side struct {
	ID     string // the model's identity, "name@version"
	Matrix *Confusion
}

// ABResult is the comparison of two models on reviewed records.
type ABResult struct {
	A, B  Side
	Beats int    // scored beats both models labelled
	Flips []Flip // by kind, then B's confidence, highest first
	Count [3]int // flips by kind
}

// ByKind returns the flips of kind k.
func (r *ABResult) ByKind(k FlipKind) []Flip {
	var out []Flip
	for _, f := range r.Flips {
		if f.Kind == k {
			out = append(out, f)
		}
	}
	return out
}

// CompareAB compares models A and B on the same records: a[i] and b[i]
// hold one record's reader beats and the labels A and B gave to the same
// beats (the same positions in the same order), as model A/B classifies
// the reader's beats. Only opt.Whole counts (AAMI classes, every beat).
func CompareAB(a, b []RecordLabels, opt ConfusionOptions) (*ABResult, error) {
	if len(a) != len(b) {
		return nil, fmt.Errorf("%w: %d records for model A, %d for model B", ErrRecord, len(a), len(b))
	}
	byRec := map[annotate.RecordID][]annotate.Beat{}
	for i := range a {
		if len(a[i].Model) != len(b[i].Model) || a[i].ID != b[i].ID {
			return nil, fmt.Errorf("%w %s: models A and B labelled different beats", ErrRecord, a[i].Name)
		}
		byRec[b[i].ID] = b[i].Model
	}
	opt = ConfusionOptions{Whole: opt.Whole}
	res := &ABResult{}
	var err error
	if res.A.Matrix, err = ConfusionOf(a, opt); err != nil {
		return nil, err
	}
	if res.B.Matrix, err = ConfusionOf(b, opt); err != nil {
		return nil, err
	}
	res.flips(byRec)
	return res, nil
}

// flips lists the scored beats whose class differs between the models.
func (r *ABResult) flips(byRec map[annotate.RecordID][]annotate.Beat) {
	for _, row := range r.A.Matrix.Cells {
		for _, cell := range row {
			for _, a := range cell.Beats {
				if a.Reader == annotate.NotQRS || a.Model == annotate.NotQRS {
					continue
				}
				r.Beats++
				b := byRec[a.Record][a.ModelIndex]
				if b.Code.Class() == a.Model.Class() {
					continue
				}
				f := Flip{BeatRef: a, B: b.Code, ConfidenceB: b.Prov.Confidence, Kind: Other}
				switch rc := a.Reader.Class(); {
				case b.Code.Class() == rc:
					f.Kind = Fixed
				case a.Model.Class() == rc:
					f.Kind = Broken
				}
				r.Count[f.Kind]++
				r.Flips = append(r.Flips, f)
			}
		}
	}
	slices.SortStableFunc(r.Flips, func(x, y Flip) int {
		return cmp.Or(cmp.Compare(x.Kind, y.Kind), cmp.Compare(y.ConfidenceB, x.ConfidenceB),
			cmp.Compare(x.Name, y.Name), cmp.Compare(x.Sample, y.Sample))
	})
}
