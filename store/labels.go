package store

import (
	"encoding/json"
	"fmt"

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
	bucketUndo     = []byte("undo") // schema 2 only
	bucketRedo     = []byte("redo") // schema 2 only
)

// ModelLayer is the reader id under which the read functions (Beats,
// Labels) find the model layer: what the models suggested, before any
// reader.
const ModelLayer annotate.ReaderID = ""

// layerMeta is the "layer" value of the model layer (and, in schema 2, of
// every reader's label set), stored as JSON.
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

// Commit implements annotate.Repository, in one bbolt transaction: the
// audit entry (which holds the diff, and so the undo history), the
// reader's head (revision, status, stack depths), and for a merge the model
// layer. A small reader command is journalled: only the audit entry holds
// its diff until a later commit folds it into the label buckets (see
// journal.go); merges, seeds and big commands go into the buckets at once.
func (db *DB) Commit(c annotate.Commit) (uint64, error) {
	if c.Reader == "" {
		return 0, fmt.Errorf("store: commit %s: %w", c.Edit.Action, ErrNoReader)
	}
	var rev uint64
	err := db.update(fmt.Sprintf("commit %s of %s on %s", c.Edit.Action, c.Reader, c.Record), func(tx *bolt.Tx) error {
		r, err := openRec(tx, c.Record)
		if err != nil {
			return err
		}
		h, err := readHead(r, c.Reader)
		if err != nil {
			return err
		}
		if err := h.moveStacks(c.Kind); err != nil {
			return err
		}
		switch {
		case c.Model != nil && c.ModelRegion != nil:
			err = writeModelRegion(r.rb, *c.Model, *c.ModelRegion)
		case c.Model != nil:
			err = writeModel(r.rb, *c.Model)
		}
		if err != nil {
			return err
		}
		if err := commitLabels(r, c, &h); err != nil {
			return err
		}
		rev = h.Rev
		return writeHead(r, c.Reader, h)
	})
	return rev, err
}

// commitLabels journals c's diff or applies it to the label buckets, with
// its audit entry, and moves the head's revision and status.
func commitLabels(r recTx, c annotate.Commit, h *head) error {
	direct := !editKindOf(c.Kind) || diffSize(c.Diff) > journalMax
	if direct {
		if err := fold(r, c.Reader, h); err != nil {
			return err
		}
		lb, err := createLayer(r.rb, c.Reader)
		if err != nil {
			return err
		}
		if err := applyDiff(lb, c.Diff); err != nil {
			return err
		}
	}
	seq, err := appendAudit(r, auditOf(c))
	if err != nil {
		return err
	}
	h.Rev++
	if c.Diff.Status != nil {
		h.Status = c.Diff.Status.After
	}
	if direct {
		h.Folded = seq
		return nil
	}
	if h.Pending++; h.Pending >= foldAt {
		return fold(r, c.Reader, h)
	}
	return nil
}

// editKindOf reports whether commits of kind k are journalled when small.
func editKindOf(k annotate.CommitKind) bool {
	return k == annotate.CommitDo || k == annotate.CommitUndo || k == annotate.CommitRedo
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
		r, err := openRec(tx, rec)
		if err != nil {
			return err
		}
		if err := writeModel(r.rb, out); err != nil {
			return err
		}
		_, err = appendAudit(r, modelAudit(who, len(out.Beats), out))
		return err
	})
}
