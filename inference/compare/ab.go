package compare

import (
	"fmt"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/eval"
	"github.com/ecgstation/ecgstation/inference/model"
)

// Classifier is a beat model; *model.Model is one.
type Classifier interface {
	ClassifyBeats(sig annotate.Signal, peaks []int64, index []int) (*model.Result, error)
	BeatLabel(res *model.Result, i int) (annotate.Class, annotate.Provenance)
}

var _ Classifier = (*model.Model)(nil)

// ABRecord is a reviewed record to run both models on: its reader labels
// (RecordLabels.Model is ignored) and its samples.
type ABRecord struct {
	eval.RecordLabels
	Signal annotate.Signal
}

// AB runs models a and b on the reader beats of recs and compares them
// with eval.CompareAB (only whole counts: EC57 or whole records).
func AB(a, b Classifier, recs []ABRecord, whole bool) (*eval.ABResult, error) {
	if len(recs) == 0 {
		return nil, eval.ErrNoRecords
	}
	ra, rb := make([]eval.RecordLabels, len(recs)), make([]eval.RecordLabels, len(recs))
	var idA, idB string
	for i := range recs {
		var err error
		if ra[i], idA, err = classify(a, &recs[i]); err != nil {
			return nil, err
		}
		if rb[i], idB, err = classify(b, &recs[i]); err != nil {
			return nil, err
		}
	}
	res, err := eval.CompareAB(ra, rb, eval.ConfusionOptions{Whole: whole})
	if err != nil {
		return nil, err
	}
	res.A.ID, res.B.ID = idA, idB
	return res, nil
}

// classify labels the QRS beats of r with m.
func classify(m Classifier, r *ABRecord) (eval.RecordLabels, string, error) {
	var peaks []int64
	var index []int
	for _, b := range r.Reader {
		if b.Code.IsBeat() {
			index = append(index, len(peaks))
			peaks = append(peaks, b.Sample)
		}
	}
	out := r.RecordLabels
	out.Model = make([]annotate.Beat, 0, len(peaks))
	if len(peaks) == 0 {
		return out, "", nil
	}
	res, err := m.ClassifyBeats(r.Signal, peaks, index)
	if err != nil {
		return eval.RecordLabels{}, "", fmt.Errorf("compare: classify %s: %w", r.Name, err)
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
