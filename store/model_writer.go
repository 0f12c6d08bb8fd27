package store

import (
	"cmp"
	"errors"
	"fmt"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	bolt "go.etcd.io/bbolt"
)

// bucketStaging holds, inside a record's bucket, the model layer a
// ModelWriter is writing (staging/model/, laid out as model/) until Commit
// moves it into place.
var bucketStaging = []byte("staging")

// flushBlocks is how many full blocks of beats a ModelWriter gathers
// before it writes them in a transaction of their own: 64 blocks of 512
// beats, about 8 hours of beats and 3.5 MB in memory, so a 14-day record
// takes about 45 transactions.
const flushBlocks = 64

// ErrWriterOrder is returned by ModelWriter.Write for beats that do not
// come strictly after the beats written before.
var ErrWriterOrder = errors.New("store: model writer: beats out of sample order")

// ModelWriter writes the model layer of a record that comes in pieces in
// sample order (a long record's pipeline chunks) without holding it whole.
// Its beats go as blocks, a few thousand beats per transaction, into a
// staging bucket of the record; Commit then moves that bucket into place as
// the model layer, with the episodes, the noise, the revision and the
// audit entry, in one transaction. Until Commit the old model layer stays
// as it was, and so it does after a crash or Abort (the next ModelWriter
// drops what was staged). The layer it commits is the one SaveModelOutput
// writes for the same labels, block for block.
type ModelWriter struct {
	db    *DB
	rec   annotate.RecordID
	tail  []annotate.Beat // beats not yet written
	last  int64           // sample of the last beat given, -1 before the first
	beats int             // beats given so far
	relab []annotate.Beat // relabels of written beats, applied at Commit
	err   error           // the first error: the writer is spoilt
}

// NewModelWriter starts writing a new model layer of rec (which must be
// in the database), dropping whatever an earlier writer left staged.
func (db *DB) NewModelWriter(rec annotate.RecordID) (*ModelWriter, error) {
	err := db.update("start the model output of "+string(rec), func(tx *bolt.Tx) error {
		r, err := openRec(tx, rec)
		if err != nil {
			return err
		}
		if err := dropStaging(r.rb); err != nil {
			return err
		}
		st, err := r.rb.CreateBucket(bucketStaging)
		if err != nil {
			return err
		}
		lb, err := st.CreateBucket(bucketModel)
		if err != nil {
			return err
		}
		_, err = lb.CreateBucket(bucketBlocks)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &ModelWriter{db: db, rec: rec, last: -1}, nil
}

// dropStaging deletes rb's staging bucket, if any.
func dropStaging(rb *bolt.Bucket) error {
	if rb.Bucket(bucketStaging) == nil {
		return nil
	}
	return rb.DeleteBucket(bucketStaging)
}

// Write adds beats, in strict sample order and after every beat given
// before, to the layer. It writes them once enough have come; their
// values are copied.
func (w *ModelWriter) Write(beats []annotate.Beat) error {
	if w.err != nil {
		return w.err
	}
	for _, b := range beats {
		if b.Sample <= w.last || b.Sample < 0 {
			w.err = fmt.Errorf("%w: beat at sample %d after one at %d (record %s)", ErrWriterOrder, b.Sample, w.last, w.rec)
			return w.err
		}
		w.last = b.Sample
	}
	w.tail = append(w.tail, beats...)
	w.beats += len(beats)
	if len(w.tail) >= flushBlocks*blockBeats {
		n := len(w.tail) / blockBeats * blockBeats
		w.err = w.flush(w.tail[:n])
		w.tail = append(w.tail[:0], w.tail[n:]...)
	}
	return w.err
}

// Relabel relabels beats given before (annotate.RelabelBeats: code and
// provenance, the beat's probabilities kept when a relabel has none) when
// the layer is committed; a relabel at a sample no beat was given at, or
// of a beat the model did not call N (annotate.Relabelable), is ignored.
// The values are copied.
func (w *ModelWriter) Relabel(beats []annotate.Beat) error {
	if w.err != nil {
		return w.err
	}
	w.relab = append(w.relab, beats...)
	return nil
}

// flush writes beats (whole blocks but maybe the last) to the staged layer
// in one transaction.
func (w *ModelWriter) flush(beats []annotate.Beat) error {
	return w.db.update("write the model output of "+string(w.rec), func(tx *bolt.Tx) error {
		lb, err := w.staged(tx)
		if err != nil {
			return err
		}
		bb := lb.Bucket(bucketBlocks)
		bb.FillPercent = 1 // the keys come in order
		return writeBlocks(bb, beats)
	})
}

// staged returns the layer bucket being written.
func (w *ModelWriter) staged(tx *bolt.Tx) (*bolt.Bucket, error) {
	r, err := openRec(tx, w.rec)
	if err != nil {
		return nil, err
	}
	if st := r.rb.Bucket(bucketStaging); st != nil && st.Bucket(bucketModel) != nil {
		return st.Bucket(bucketModel), nil
	}
	return nil, fmt.Errorf("%w: record %s: the model output being written is gone (another writer started?)", ErrDBCorrupt, w.rec)
}

// Commit writes the last beats, the episodes and the noise stretches, and
// makes the staged layer the record's model layer, with the next revision
// and an audit entry by who, as SaveModelOutput does. The staged layer is
// finished in one transaction and put in place of the old one in the next
// (bbolt moves a bucket as last committed), which fails, leaving the old
// layer, if the old layer changed in between.
func (w *ModelWriter) Commit(episodes []annotate.Episode, noise []annotate.Noise, who string) error {
	if w.err != nil {
		return w.err
	}
	out := annotate.ModelOutput{Episodes: episodes, Noise: noise}
	var m layerMeta
	w.err = w.db.update("save model output on "+string(w.rec), func(tx *bolt.Tx) error {
		lb, err := w.staged(tx)
		if err != nil {
			return err
		}
		if m, err = w.finish(tx, lb, out); err != nil {
			return err
		}
		return writeLayerMeta(lb, m)
	})
	if w.err == nil {
		w.err = w.db.update("save model output on "+string(w.rec), func(tx *bolt.Tx) error {
			return w.swap(tx, m.Rev-1, modelAudit(who, w.beats, out))
		})
	}
	w.tail, w.relab = nil, nil
	if w.err == nil {
		w.err = errors.New("store: model writer: already committed")
		return nil
	}
	return w.err
}

// finish writes the last beats, the episodes and the noise to the staged
// layer lb and returns the layer's metadata: the old layer's, with the
// next revision.
func (w *ModelWriter) finish(tx *bolt.Tx, lb *bolt.Bucket, out annotate.ModelOutput) (layerMeta, error) {
	bb := lb.Bucket(bucketBlocks)
	if len(w.tail) > 0 {
		bb.FillPercent = 1
		if err := writeBlocks(bb, w.tail); err != nil {
			return layerMeta{}, err
		}
	}
	if err := relabelBlocks(bb, w.relab); err != nil {
		return layerMeta{}, err
	}
	if err := applyDiff(lb, spanDiff(out)); err != nil {
		return layerMeta{}, err
	}
	r, _ := openRec(tx, w.rec)
	m, err := readLayerMeta(r.rb.Bucket(bucketModel))
	m.Rev++
	return m, err
}

// swap puts the staged layer in place of the model layer, which must still
// be at revision rev, and appends the audit entry a.
func (w *ModelWriter) swap(tx *bolt.Tx, rev uint64, a AuditEntry) error {
	r, err := openRec(tx, w.rec)
	if err != nil {
		return err
	}
	if m, err := readLayerMeta(r.rb.Bucket(bucketModel)); err != nil || m.Rev != rev {
		return cmp.Or(err, fmt.Errorf("store: save model output on %s: the model layer changed while it was written (revision %d, was %d); nothing replaced", w.rec, m.Rev, rev))
	}
	if r.rb.Bucket(bucketModel) != nil {
		if err := r.rb.DeleteBucket(bucketModel); err != nil {
			return err
		}
	}
	if err := r.rb.Bucket(bucketStaging).MoveBucket(bucketModel, r.rb); err != nil {
		return err
	}
	if err := dropStaging(r.rb); err != nil {
		return err
	}
	_, err = appendAudit(r, a)
	return err
}

// Abort drops what the writer staged; the model layer stays as it was.
func (w *ModelWriter) Abort() error {
	w.err, w.tail = errors.New("store: model writer: aborted"), nil
	return w.db.update("drop the model output being written on "+string(w.rec), func(tx *bolt.Tx) error {
		r, err := openRec(tx, w.rec)
		if err != nil {
			return err
		}
		return dropStaging(r.rb)
	})
}

// modelAudit is the audit entry of a whole model layer saved.
func modelAudit(who string, beats int, out annotate.ModelOutput) AuditEntry {
	return modelAuditN(who, beats, len(out.Episodes), len(out.Noise))
}

// modelAuditN is the audit entry of a complete model layer of the given
// numbers of labels: its "model" kind marks a complete run.
func modelAuditN(who string, beats, episodes, noise int) AuditEntry {
	return AuditEntry{When: time.Now().UTC(), Who: who, Kind: "model", Action: "save model output",
		Note: fmt.Sprintf("%d beats, %d episodes, %d noise", beats, episodes, noise)}
}

// ModelDone marks the model layer of rec complete, as SaveModelOutput's
// audit entry does, without writing it again: for a run that stored every
// chunk as a region as it came (the window's pre-annotation, whose merges
// name each chunk's region), so the layer is whole already and the run
// need not hold its output to save it once more.
func (db *DB) ModelDone(rec annotate.RecordID, who string, beats, episodes, noise int) error {
	return db.update("mark the model layer of "+string(rec)+" complete", func(tx *bolt.Tx) error {
		r, err := openRec(tx, rec)
		if err != nil {
			return err
		}
		_, err = appendAudit(r, modelAuditN(who, beats, episodes, noise))
		return err
	})
}

// ModelStaged reports whether rec has a model layer staged: one being
// written, or left by a writer that neither committed nor aborted (the
// next writer drops it).
func (db *DB) ModelStaged(rec annotate.RecordID) (bool, error) {
	staged := false
	err := db.bolt.View(func(tx *bolt.Tx) error {
		r, err := openRec(tx, rec)
		if err == nil {
			staged = r.rb.Bucket(bucketStaging) != nil
		}
		return err
	})
	return staged, err
}

// LastModelRun returns who made rec's model layer in its last complete run
// (the Who of the newest "model" audit entry: "qrs@x+rules@y+beat@z..."),
// or "" when no run completed or the model leads changed after it (the
// layer is stale). A run cut off before its Commit leaves no entry, so its
// record counts as not annotated.
func (db *DB) LastModelRun(rec annotate.RecordID) (string, error) {
	who := ""
	for e, err := range db.Audit(rec, 1) {
		if err != nil {
			return "", err
		}
		switch {
		case e.Kind == "model":
			who = e.Who
		case ChangesModelLeads(e):
			who = ""
		}
	}
	return who, nil
}
