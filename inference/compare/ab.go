package compare

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/inference/model"
)

// Classifier is a beat model; *model.Model is one.
type Classifier interface {
	ClassifyBeats(sig annotate.Signal, peaks []int64, index []int) (*model.Result, error)
	BeatLabel(res *model.Result, i int) (annotate.Class, annotate.Provenance)
}

var _ Classifier = (*model.Model)(nil)

// ABRecord is a reviewed record to run both models on: its reader labels
// (Record.Model is ignored) and its samples.
type ABRecord struct {
	Record
	Signal annotate.Signal
}

// FlipKind says whether a flip helps or hurts.
type FlipKind uint8

// The kinds of flip (see the package comment).
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

// Flip is a beat the two models label differently: BeatRef holds the
// reader's label and model A's (Model, Confidence), B and ConfidenceB model B's.
type Flip struct {
	BeatRef
	Kind        FlipKind
	B           annotate.Code
	ConfidenceB float32
}

// Side is one model's result against the readers.
type Side struct {
	ID     string // the model's identity, "name@version"
	Matrix *Matrix
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

// AB runs models a and b on the reader beats of recs and compares them.
func AB(a, b Classifier, recs []ABRecord, opt Options) (*ABResult, error) {
	if len(recs) == 0 {
		return nil, ErrNoRecords
	}
	ra, rb := make([]Record, len(recs)), make([]Record, len(recs))
	res := &ABResult{}
	for i := range recs {
		var err error
		if ra[i], res.A.ID, err = classify(a, &recs[i]); err != nil {
			return nil, err
		}
		if rb[i], res.B.ID, err = classify(b, &recs[i]); err != nil {
			return nil, err
		}
	}
	var err error
	if res.A.Matrix, err = Confusion(ra, opt); err != nil {
		return nil, err
	}
	if res.B.Matrix, err = Confusion(rb, opt); err != nil {
		return nil, err
	}
	res.flips(rb)
	return res, nil
}

// classify labels the QRS beats of r with m.
func classify(m Classifier, r *ABRecord) (Record, string, error) {
	var peaks []int64
	var index []int
	for _, b := range r.Reader {
		if b.Code.IsBeat() {
			index = append(index, len(peaks))
			peaks = append(peaks, b.Sample)
		}
	}
	out := r.Record
	out.Model = make([]annotate.Beat, 0, len(peaks))
	if len(peaks) == 0 {
		return out, "", nil
	}
	res, err := m.ClassifyBeats(r.Signal, peaks, index)
	if err != nil {
		return Record{}, "", fmt.Errorf("compare: classify %s: %w", r.Name, err)
	}
	var who string
	for j, t := range peaks {
		k, prov := m.BeatLabel(res, j)
		who = prov.Who
		prov.Probs = nil
		out.Model = append(out.Model, annotate.Beat{Sample: t, Code: k.Code(), Prov: prov})
	}
	return out, who, nil
}

// flips lists the scored beats whose class differs between the models.
func (r *ABResult) flips(rb []Record) {
	byRec := map[annotate.RecordID][]annotate.Beat{}
	for _, rec := range rb {
		byRec[rec.ID] = rec.Model
	}
	for _, row := range r.A.Matrix.Cells {
		for _, cell := range row {
			for _, a := range cell.Beats {
				if a.Reader == annotate.NotQRS || a.Model == annotate.NotQRS {
					continue
				}
				r.Beats++
				b := find(byRec[a.Record], a.ModelSample)
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
