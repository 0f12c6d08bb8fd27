package store

import (
	"encoding/json"
	"fmt"
	"iter"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	bolt "go.etcd.io/bbolt"
)

// AuditEntry is one line of a record's append-only audit log.
type AuditEntry struct {
	Seq    uint64          // 1, 2, 3... per record
	When   time.Time       // when the action was taken
	Who    string          // reader id, or the model/pipeline that saved labels
	Kind   string          // "do", "undo", "redo", "merge", "seed" or "model"
	Action annotate.Action // what was done
	Note   string          // short summary ("3 beats to V"; merge counts)
	Why    string          // the reader's reason, may be empty
	// Diff holds the value before and after of every label a reader
	// command, undo or redo touched. Merges, seeds and model saves leave
	// it out: their values are the model layer, their Note has the counts.
	Diff *annotate.Diff `json:",omitempty"`
}

// auditOf returns the audit entry of a commit.
func auditOf(c annotate.Commit) AuditEntry {
	a := AuditEntry{When: c.When.UTC(), Who: string(c.Reader), Kind: c.Kind.String(),
		Action: c.Edit.Action, Note: c.Edit.Note, Why: c.Edit.Why}
	switch c.Kind {
	case annotate.CommitDo, annotate.CommitUndo, annotate.CommitRedo:
		a.Diff = &c.Diff
	}
	return a
}

// appendAudit appends a to the audit log of record bucket rb. Entries are
// only ever appended: nothing in the store deletes or rewrites them.
func appendAudit(rb *bolt.Bucket, a AuditEntry) error {
	ab, err := rb.CreateBucketIfNotExists(bucketAudit)
	if err != nil {
		return err
	}
	if a.Seq, err = ab.NextSequence(); err != nil {
		return err
	}
	raw, err := json.Marshal(a)
	if err != nil {
		return fmt.Errorf("audit entry: %w", err)
	}
	return ab.Put(u64(a.Seq), raw)
}

// Audit yields the audit log of rec, oldest first, from entry from on
// (1 for the whole log). It reads in one transaction per 512 entries.
func (db *DB) Audit(rec annotate.RecordID, from uint64) iter.Seq2[AuditEntry, error] {
	return func(yield func(AuditEntry, error) bool) {
		for {
			chunk, err := db.auditChunk(rec, from, 512)
			if err != nil {
				yield(AuditEntry{}, err)
				return
			}
			for _, a := range chunk {
				if !yield(a, nil) {
					return
				}
			}
			if len(chunk) < 512 {
				return
			}
			from = chunk[len(chunk)-1].Seq + 1
		}
	}
}

func (db *DB) auditChunk(rec annotate.RecordID, from uint64, n int) ([]AuditEntry, error) {
	var out []AuditEntry
	err := db.view(fmt.Sprintf("read audit of %s from %d", rec, from), func(tx *bolt.Tx) error {
		rb, err := recordBucket(tx, rec)
		if err != nil || rb.Bucket(bucketAudit) == nil {
			return err
		}
		c := rb.Bucket(bucketAudit).Cursor()
		for k, v := c.Seek(u64(from)); k != nil && len(out) < n; k, v = c.Next() {
			var a AuditEntry
			if err := json.Unmarshal(v, &a); err != nil {
				return fmt.Errorf("%w: audit entry %x: %v", ErrDBCorrupt, k, err)
			}
			out = append(out, a)
		}
		return nil
	})
	return out, err
}
