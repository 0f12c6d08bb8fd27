package store

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	bolt "go.etcd.io/bbolt"
)

// Bucket and key names inside a record's bucket (see doc.go).
var (
	keyInfo        = []byte("info")
	keyLayer       = []byte("layer")
	bucketModel    = []byte("model")
	bucketReaders  = []byte("readers")
	bucketAudit    = []byte("audit")
	bucketBeats    = []byte("beats")
	bucketDeleted  = []byte("deleted")
	bucketEpisodes = []byte("episodes")
	bucketNoise    = []byte("noise")
	bucketUndo     = []byte("undo")
	bucketRedo     = []byte("redo")
)

// ModelLayer is the reader id under which the read functions (Beats,
// Labels) find the model layer: what the models suggested, before any
// reader.
const ModelLayer annotate.ReaderID = ""

// layerMeta is the "layer" value of a label set, stored as JSON.
type layerMeta struct {
	Rev    uint64          `json:"rev"`
	Status annotate.Status `json:"status"`
}

// recordBucket returns the bucket of record id.
func recordBucket(tx *bolt.Tx, id annotate.RecordID) (*bolt.Bucket, error) {
	rb := tx.Bucket(bucketRecords).Bucket([]byte(id))
	if rb == nil {
		return nil, fmt.Errorf("%w: %s", ErrNoRecord, id)
	}
	return rb, nil
}

// layer returns the bucket of a reader's label set (ModelLayer: the model
// layer) in record bucket rb, or nil when there is none.
func layer(rb *bolt.Bucket, reader annotate.ReaderID) *bolt.Bucket {
	if reader == ModelLayer {
		return rb.Bucket(bucketModel)
	}
	if rs := rb.Bucket(bucketReaders); rs != nil {
		return rs.Bucket([]byte(reader))
	}
	return nil
}

// createLayer returns the bucket of reader's label set, creating it.
func createLayer(rb *bolt.Bucket, reader annotate.ReaderID) (*bolt.Bucket, error) {
	if reader == ModelLayer {
		return rb.CreateBucketIfNotExists(bucketModel)
	}
	rs, err := rb.CreateBucketIfNotExists(bucketReaders)
	if err != nil {
		return nil, err
	}
	return rs.CreateBucketIfNotExists([]byte(reader))
}

// sub returns the named sub-bucket of lb, creating it.
func sub(lb *bolt.Bucket, name []byte) (*bolt.Bucket, error) {
	return lb.CreateBucketIfNotExists(name)
}

func readLayerMeta(lb *bolt.Bucket) (layerMeta, error) {
	var m layerMeta
	if lb == nil {
		return m, nil
	}
	if raw := lb.Get(keyLayer); raw != nil {
		if err := json.Unmarshal(raw, &m); err != nil {
			return m, fmt.Errorf("%w: layer meta: %v", ErrDBCorrupt, err)
		}
	}
	return m, nil
}

func writeLayerMeta(lb *bolt.Bucket, m layerMeta) error {
	raw, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return lb.Put(keyLayer, raw)
}

// Commit implements annotate.Repository: the diff, the undo and redo
// stacks, the label-set revision and status, the model layer (for a merge
// that carries one) and an audit entry, all in one bbolt transaction.
func (db *DB) Commit(c annotate.Commit) (uint64, error) {
	if c.Reader == "" {
		return 0, fmt.Errorf("store: commit %s: %w", c.Edit.Action, ErrNoReader)
	}
	var rev uint64
	err := db.update(fmt.Sprintf("commit %s of %s on %s", c.Edit.Action, c.Reader, c.Record), func(tx *bolt.Tx) error {
		rb, err := recordBucket(tx, c.Record)
		if err != nil {
			return err
		}
		lb, err := createLayer(rb, c.Reader)
		if err != nil {
			return err
		}
		if err := moveStacks(lb, c); err != nil {
			return err
		}
		if err := applyDiff(lb, c.Diff); err != nil {
			return err
		}
		if c.Model != nil {
			if err := writeModel(rb, *c.Model); err != nil {
				return err
			}
		}
		if rev, err = bumpLayer(lb, c.Diff.Status); err != nil {
			return err
		}
		return appendAudit(rb, auditOf(c))
	})
	return rev, err
}

// bumpLayer increments the revision of a label set and applies a status
// change; it returns the new revision.
func bumpLayer(lb *bolt.Bucket, st *annotate.StatusChange) (uint64, error) {
	m, err := readLayerMeta(lb)
	if err != nil {
		return 0, err
	}
	m.Rev++
	if st != nil {
		m.Status = st.After
	}
	return m.Rev, writeLayerMeta(lb, m)
}

// moveStacks moves the persisted undo and redo stacks as c.Kind says.
func moveStacks(lb *bolt.Bucket, c annotate.Commit) error {
	e := annotate.Entry{Edit: c.Edit, Diff: c.Diff, When: c.When}
	switch c.Kind {
	case annotate.CommitDo:
		if redo := lb.Bucket(bucketRedo); redo != nil {
			if k, _ := redo.Cursor().First(); k != nil {
				if err := lb.DeleteBucket(bucketRedo); err != nil {
					return err
				}
			}
		}
		return pushEntry(lb, bucketUndo, e)
	case annotate.CommitUndo:
		if err := popEntry(lb, bucketUndo); err != nil {
			return err
		}
		e.Diff = c.Diff.Inverse()
		return pushEntry(lb, bucketRedo, e)
	case annotate.CommitRedo:
		if err := popEntry(lb, bucketRedo); err != nil {
			return err
		}
		return pushEntry(lb, bucketUndo, e)
	}
	return nil
}

// pushEntry appends e to the stack bucket name of lb.
func pushEntry(lb *bolt.Bucket, name []byte, e annotate.Entry) error {
	b, err := sub(lb, name)
	if err != nil {
		return err
	}
	raw, err := json.Marshal(e)
	if err != nil {
		return err
	}
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	return b.Put(u64(seq), raw)
}

// popEntry removes the top of the stack bucket name of lb.
func popEntry(lb *bolt.Bucket, name []byte) error {
	b := lb.Bucket(name)
	var k []byte
	if b != nil {
		k, _ = b.Cursor().Last()
	}
	if k == nil {
		return fmt.Errorf("%s: %w", name, annotate.ErrHistory)
	}
	return b.Delete(k)
}

// applyDiff writes every After value of d into label set lb.
func applyDiff(lb *bolt.Bucket, d annotate.Diff) error {
	if err := applyBeats(lb, d.Beats); err != nil {
		return err
	}
	if err := applyTombs(lb, d.Tombs); err != nil {
		return err
	}
	eps, err := sub(lb, bucketEpisodes)
	if err != nil {
		return err
	}
	for _, c := range d.Episodes {
		if err := putOrDelete(eps, u64(uint64(c.ID)), c.After != nil, func() []byte { return encodeEpisode(nil, *c.After) }); err != nil {
			return err
		}
	}
	noise, err := sub(lb, bucketNoise)
	if err != nil {
		return err
	}
	for _, c := range d.Noise {
		if err := putOrDelete(noise, u64(uint64(c.ID)), c.After != nil, func() []byte { return encodeNoise(nil, *c.After) }); err != nil {
			return err
		}
	}
	return nil
}

func applyBeats(lb *bolt.Bucket, cs []annotate.BeatChange) error {
	beats, err := sub(lb, bucketBeats)
	if err != nil {
		return err
	}
	if len(cs) > 1000 {
		beats.FillPercent = 0.95 // bulk writes come in key order: pack pages full
	}
	var arena []byte // values share one growing buffer; bbolt keeps each slice until commit
	for _, c := range cs {
		if c.Sample < 0 {
			return fmt.Errorf("beat at sample %d: %w", c.Sample, annotate.ErrBadSample)
		}
		if err := putOrDelete(beats, sampleKey(c.Sample), c.After != nil, func() []byte {
			start := len(arena)
			arena = encodeBeat(arena, *c.After)
			return arena[start:len(arena):len(arena)]
		}); err != nil {
			return err
		}
	}
	return nil
}

func applyTombs(lb *bolt.Bucket, cs []annotate.TombChange) error {
	tombs, err := sub(lb, bucketDeleted)
	if err != nil {
		return err
	}
	for _, c := range cs {
		if err := putOrDelete(tombs, sampleKey(c.Sample), c.After != nil, func() []byte { return []byte(c.After.By) }); err != nil {
			return err
		}
	}
	return nil
}

// putOrDelete puts value() under k when put, else deletes k. bbolt keeps
// the value slice until the transaction ends, so value must never return
// memory it will later overwrite.
func putOrDelete(b *bolt.Bucket, k []byte, put bool, value func() []byte) error {
	if !put {
		return b.Delete(k)
	}
	return b.Put(k, value())
}

// Model implements annotate.Repository: the model layer of rec.
func (db *DB) Model(rec annotate.RecordID) (annotate.ModelOutput, error) {
	ls, _, err := db.Labels(rec, ModelLayer)
	if err != nil {
		return annotate.ModelOutput{}, err
	}
	out := annotate.ModelOutput{Beats: ls.Beats}
	for _, e := range ls.Episodes {
		out.Episodes = append(out.Episodes, e.Episode)
	}
	for _, n := range ls.Noise {
		out.Noise = append(out.Noise, n.Noise)
	}
	return out, nil
}

// SaveModelOutput replaces the model layer of rec with out in one
// transaction, with an audit entry. Reader label sets are untouched: a
// Session merges the model layer (reader labels winning) when it opens.
func (db *DB) SaveModelOutput(rec annotate.RecordID, out annotate.ModelOutput, who string) error {
	return db.update("save model output on "+string(rec), func(tx *bolt.Tx) error {
		rb, err := recordBucket(tx, rec)
		if err != nil {
			return err
		}
		if err := writeModel(rb, out); err != nil {
			return err
		}
		return appendAudit(rb, AuditEntry{When: time.Now().UTC(), Who: who, Kind: "model",
			Action: "save model output", Note: fmt.Sprintf("%d beats, %d episodes, %d noise",
				len(out.Beats), len(out.Episodes), len(out.Noise))})
	})
}
