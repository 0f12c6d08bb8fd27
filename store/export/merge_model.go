package export

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/store"
)

// A model layer set (a shard of "ecgstation batch") comes into a database
// whole or not at all: the model layer is what one run of the models
// suggested, so it is never mixed with another run's. For a record
//
//	here                                              result
//	model leads chosen other than the run's           CONFLICT: listed, local kept (rerun here)
//	no complete run (none, unfinished, or stale        incoming written (SaveModelOutput, with its who)
//	  since the model leads changed)
//	a complete run with the same labels               unchanged
//	a complete run with other labels (another model)  CONFLICT: listed, local kept
//	  ... with ModelRun.Replace                        incoming written (a newer model's run)
//
// Reader label sets are untouched, as every model run leaves them.

// ModelRun says who made an incoming model layer and on which leads (nil:
// not stated, the record's default model leads), and whether it replaces
// another complete run.
type ModelRun struct {
	Who     string
	Leads   []int
	Replace bool
}

// setName names a bundle set in messages: "labels of READER" or "the
// model layer".
func setName(s BundleSet) string {
	if s.Model {
		return "the model layer"
	}
	return "labels of " + string(s.Reader)
}

// MergeModel brings in the model layer of in's record, made by run, as the
// table above says. in.Reader is store.ModelLayer.
func MergeModel(db *store.DB, in Incoming, run ModelRun) (MergeResult, error) {
	return mergeModelOutput(db, in, modelOutput(in.Labels), run)
}

// mergeModelOutput brings in out, the model layer of in's record (in's
// labels are not read), as MergeModel says.
func mergeModelOutput(db *store.DB, in Incoming, out annotate.ModelOutput, run ModelRun) (MergeResult, error) {
	res := MergeResult{Record: in.Record, Name: in.Name, Reader: store.ModelLayer}
	n := len(out.Beats) + len(out.Episodes) + len(out.Noise)
	e, local, localWho, err := localRun(db, in.Record)
	if err != nil {
		return res, fmt.Errorf("import %s: %w", in.From, err)
	}
	here, theirs := e.Settings.Model(e.Info.Leads), run.Leads
	if theirs == nil {
		theirs = annotate.ModelLeads(e.Info.Leads)
	}
	switch {
	case !slices.Equal(here, theirs):
		res.Kept = n
		res.Conflicts = []Conflict{{Record: in.Record, Name: in.Name, Kind: "model leads",
			Local:    "models read " + leadNames(e.Info.Leads, here) + " (chosen here: rerun the models on this record)",
			Incoming: run.Who + " read " + leadNames(e.Info.Leads, theirs)}}
	case sameModelOutput(local, out) && localWho != "":
		res.Unchanged = n
	case localWho == "" || run.Replace:
		if err := db.SaveModelOutput(in.Record, out, run.Who); err != nil {
			return res, fmt.Errorf("import %s: %w", in.From, err)
		}
		res.Rev = 1
		if localWho != "" {
			res.Replaced = localWho
		}
		if len(local.Beats)+len(local.Episodes)+len(local.Noise) == 0 {
			res.Added = n
		} else {
			res.Updated = n
		}
	default:
		res.Kept = n
		res.Conflicts = []Conflict{{Record: in.Record, Name: in.Name, Kind: "model layer", Start: 0, End: 0,
			Local: describeModel(localWho, local), Incoming: describeModel(run.Who, out)}}
	}
	return res, nil
}

// localRun returns what db holds of rec: its entry, its model layer and
// the model run that made it ("" when no complete run on the record's
// model leads did).
func localRun(db *store.DB, rec annotate.RecordID) (store.RecordEntry, annotate.ModelOutput, string, error) {
	e, err := db.Record(rec)
	if err != nil {
		return e, annotate.ModelOutput{}, "", err
	}
	local, err := db.Model(rec)
	if err != nil {
		return e, local, "", err
	}
	who, err := db.LastModelRun(rec)
	return e, local, who, err
}

// leadNames names leads idx of leads ("MLII, V1"), by number when one is
// out of range.
func leadNames(leads []annotate.Lead, idx []int) string {
	names := make([]string, len(idx))
	for i, k := range idx {
		names[i] = fmt.Sprintf("lead %d", k+1)
		if k >= 0 && k < len(leads) && leads[k].Name != "" {
			names[i] = leads[k].Name
		}
	}
	return strings.Join(names, ", ")
}

// modelOutput is the model layer held in a label set.
func modelOutput(ls annotate.LabelSet) annotate.ModelOutput {
	out := annotate.ModelOutput{Beats: ls.Beats}
	for _, e := range ls.Episodes {
		out.Episodes = append(out.Episodes, e.Episode)
	}
	for _, n := range ls.Noise {
		out.Noise = append(out.Noise, n.Noise)
	}
	return out
}

// describeModel says whose a model layer is and how many labels it holds.
func describeModel(who string, m annotate.ModelOutput) string {
	if who == "" {
		who = "an unfinished run"
	}
	return fmt.Sprintf("%s (%d beats, %d episodes, %d noise)", who, len(m.Beats), len(m.Episodes), len(m.Noise))
}

// sameModelOutput reports whether a and b hold the same labels, with the
// same provenance (probabilities included) and review states.
func sameModelOutput(a, b annotate.ModelOutput) bool {
	return slices.EqualFunc(a.Beats, b.Beats, func(x, y annotate.Beat) bool {
		return x.Sample == y.Sample && x.Code == y.Code && x.Chan == y.Chan && x.Flags == y.Flags &&
			x.Review == y.Review && sameProv(x.Prov, y.Prov)
	}) && slices.EqualFunc(a.Episodes, b.Episodes, func(x, y annotate.Episode) bool {
		return x.Start == y.Start && x.End == y.End && x.Rhythm == y.Rhythm && x.Review == y.Review && sameProv(x.Prov, y.Prov)
	}) && slices.EqualFunc(a.Noise, b.Noise, func(x, y annotate.Noise) bool {
		return x.Start == y.Start && x.End == y.End && x.Lead == y.Lead && x.Reason == y.Reason && sameProv(x.Prov, y.Prov)
	})
}

func sameProv(x, y annotate.Provenance) bool {
	return x.Source == y.Source && x.Who == y.Who && x.Confidence == y.Confidence && slices.Equal(x.Probs, y.Probs)
}
