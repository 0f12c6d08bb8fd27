package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
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

// recTx is a record's place in a transaction: its bucket, and the
// top-level audit bucket where its audit log and its readers' heads live
// under its id as a 32-byte prefix.
type recTx struct {
	rb  *bolt.Bucket // records/<id>
	log *bolt.Bucket // audit/
	key []byte       // the record id's 32 bytes
}

// openRec returns record id's place in tx.
func openRec(tx *bolt.Tx, id annotate.RecordID) (recTx, error) {
	rb, err := recordBucket(tx, id)
	if err != nil {
		return recTx{}, err
	}
	key, err := hex.DecodeString(string(id))
	if err != nil || len(key) != sha256.Size {
		return recTx{}, fmt.Errorf("%w: %q", ErrBadRecordID, id)
	}
	return recTx{rb: rb, log: tx.Bucket(bucketAudit), key: key}, nil
}

// auditKey returns the key of the record's audit entry seq:
// id (32 bytes) | 'a' | seq u64 BE.
func (r recTx) auditKey(seq uint64) []byte {
	k := make([]byte, 0, len(r.key)+9)
	k = append(append(k, r.key...), 'a')
	return binary.BigEndian.AppendUint64(k, seq)
}

// auditPrefix is the part all the record's audit keys share.
func (r recTx) auditPrefix() []byte { return append(bytes.Clone(r.key), 'a') }

// lastSeq returns the seq of the record's last audit entry, 0 for none.
func (r recTx) lastSeq() uint64 {
	c := r.log.Cursor()
	k, _ := c.Seek(append(bytes.Clone(r.key), 'a'+1))
	if k == nil {
		k, _ = c.Last()
	} else {
		k, _ = c.Prev()
	}
	if p := r.auditPrefix(); len(k) == len(p)+8 && bytes.HasPrefix(k, p) {
		return binary.BigEndian.Uint64(k[len(p):])
	}
	return 0
}

// appendAudit appends a to the record's audit log and returns its seq.
// Entries are only ever appended: nothing in the store deletes or rewrites
// them. The record's newest entry and its readers' heads are neighbours in
// key order, so an edit that writes both dirties one leaf page.
func appendAudit(r recTx, a AuditEntry) (uint64, error) {
	a.Seq = r.lastSeq() + 1
	return a.Seq, r.log.Put(r.auditKey(a.Seq), encodeAudit(nil, a))
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
		r, err := openRec(tx, rec)
		if err != nil {
			return err
		}
		c, p := r.log.Cursor(), r.auditPrefix()
		for k, v := c.Seek(r.auditKey(from)); bytes.HasPrefix(k, p) && len(out) < n; k, v = c.Next() {
			a, err := decodeAudit(k[len(p):], v)
			if err != nil {
				return err
			}
			out = append(out, a)
		}
		return nil
	})
	return out, err
}
