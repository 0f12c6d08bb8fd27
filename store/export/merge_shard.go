package export

import (
	"errors"
	"fmt"

	"github.com/ecgstation/ecgstation/store"
)

// MergeShard brings into db the model layer of every record of shard (the
// label database of an "ecgstation batch" shard) that has a complete run:
// what the shard's version 2 bundle holds, read from the database instead
// of the bundle's JSON, which is most of a bundle merge's time. Each layer
// goes in by MergeModel's rules. A record db does not know is registered
// as ImportBundle does: only when the file at the shard's path for it still
// has its content (hashed again), else it is skipped and listed.
// opt.From names the shard in messages and opt.ReplaceModel is as for
// ImportBundle; shard's reader label sets (a batch writes none) are not
// read.
func MergeShard(db, shard *store.DB, opt ImportOptions) ([]MergeResult, []Skipped, error) {
	es, err := shard.Records()
	if err != nil {
		return nil, nil, fmt.Errorf("merge %s: %w", opt.From, err)
	}
	var res []MergeResult
	var skipped []Skipped
	for _, e := range es {
		m, ok, err := mergeShardRecord(db, shard, e, opt)
		switch {
		case errors.Is(err, errNotRegistered):
			skipped = append(skipped, Skipped{ID: string(e.ID), Name: e.Info.Name,
				Why: fmt.Sprintf("record not in this database and not at %s with the same content; the model layer not merged", e.Path)})
		case err != nil:
			return res, skipped, err
		case ok:
			res = append(res, m)
		}
	}
	return res, skipped, nil
}

// errNotRegistered says a shard's record could not be registered.
var errNotRegistered = errors.New("record not registered")

// mergeShardRecord merges the model layer of shard's record e, and
// reports whether there was one (a complete run) to merge.
func mergeShardRecord(db, shard *store.DB, e store.RecordEntry, opt ImportOptions) (MergeResult, bool, error) {
	who, err := shard.LastModelRun(e.ID)
	if err != nil || who == "" {
		return MergeResult{}, false, err
	}
	if _, err := db.Record(e.ID); errors.Is(err, store.ErrNoRecord) {
		if _, _, err := registerAs(db, e.Path, e.ID); err != nil {
			return MergeResult{}, false, fmt.Errorf("%w: %v", errNotRegistered, err)
		}
	} else if err != nil {
		return MergeResult{}, false, err
	}
	out, err := shard.Model(e.ID)
	if err != nil {
		return MergeResult{}, false, fmt.Errorf("merge %s: %s: %w", opt.From, e.Info.Name, err)
	}
	in := Incoming{Record: e.ID, Name: e.Info.Name, Reader: store.ModelLayer, From: "shard database " + opt.From}
	m, err := mergeModelOutput(db, in, out, ModelRun{Who: who, Leads: e.Settings.Model(e.Info.Leads), Replace: opt.ReplaceModel})
	return m, true, err
}
