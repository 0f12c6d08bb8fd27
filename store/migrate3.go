package store

import (
	"bytes"
	"fmt"

	"github.com/ecgstation/ecgstation/annotate"
	bolt "go.etcd.io/bbolt"
)

// migrateJournal makes schema 3: the audit logs of all records move into
// one top-level audit bucket under their record's id (values unchanged:
// decodeAudit still reads schema 2's JSON entries, and the log is never
// rewritten); each reader's revision and status move from
// readers/<id>/layer into a head next to the record's audit entries; the
// undo and redo buckets go, since the stacks are replayed from the audit
// log; and the model layer's beats move from one key per beat
// (model/beats) into blocks (model/blocks).
func migrateJournal(tx *bolt.Tx) error {
	if _, err := tx.CreateBucket(bucketAudit); err != nil {
		return err
	}
	recs := tx.Bucket(bucketRecords)
	var ids [][]byte
	if err := recs.ForEachBucket(func(id []byte) error { ids = append(ids, id); return nil }); err != nil {
		return err
	}
	for _, id := range ids {
		r, err := openRec(tx, annotate.RecordID(id))
		if err != nil {
			return err
		}
		if err := moveAudit(r); err != nil {
			return fmt.Errorf("record %s audit log: %w", id, err)
		}
		if err := migrateModelBlocks(r.rb); err != nil {
			return fmt.Errorf("record %s model layer: %w", id, err)
		}
		if err := migrateHeads(r); err != nil {
			return fmt.Errorf("record %s: %w", id, err)
		}
	}
	return nil
}

// moveAudit moves records/<id>/audit into the top-level audit bucket.
func moveAudit(r recTx) error {
	ab := r.rb.Bucket(bucketAudit)
	if ab == nil {
		return nil
	}
	err := ab.ForEach(func(k, v []byte) error {
		seq, err := keySample(k)
		if err != nil {
			return err
		}
		return r.log.Put(r.auditKey(uint64(seq)), bytes.Clone(v))
	})
	if err != nil {
		return err
	}
	return r.rb.DeleteBucket(bucketAudit)
}

// migrateModelBlocks rewrites model/beats as model/blocks.
func migrateModelBlocks(rb *bolt.Bucket) error {
	mb := rb.Bucket(bucketModel)
	if mb == nil || mb.Bucket(bucketBeats) == nil {
		return nil
	}
	beats, err := readAll(mb.Bucket(bucketBeats), decodeBeat)
	if err != nil {
		return err
	}
	if err := mb.DeleteBucket(bucketBeats); err != nil {
		return err
	}
	return putBlocks(mb, beats)
}

// migrateHeads gives every reader of rb a head and drops its layer key and
// undo and redo buckets, checking that the audit log replays to stacks of
// the depths those buckets had.
func migrateHeads(r recTx) error {
	rs := r.rb.Bucket(bucketReaders)
	if rs == nil {
		return nil
	}
	var names [][]byte
	if err := rs.ForEachBucket(func(n []byte) error { names = append(names, n); return nil }); err != nil {
		return err
	}
	seq := r.lastSeq()
	for _, n := range names {
		if err := migrateHead(r, rs.Bucket(n), annotate.ReaderID(n), seq); err != nil {
			return fmt.Errorf("reader %s: %w", n, err)
		}
	}
	return nil
}

func migrateHead(r recTx, lb *bolt.Bucket, reader annotate.ReaderID, seq uint64) error {
	m, err := readLayerMeta(lb)
	if err != nil {
		return err
	}
	h := head{Rev: m.Rev, Status: m.Status, Folded: seq}
	var undo, redo []annotate.Entry
	err = walkEdits(r, reader, 0, func(a AuditEntry) error {
		c := annotate.Commit{Kind: commitKind(a.Kind), Diff: *a.Diff}
		undo, redo, err = annotate.MoveStacks(c, undo, redo)
		return err
	})
	if err != nil {
		return err
	}
	h.Undo, h.Redo = uint64(len(undo)), uint64(len(redo))
	for _, s := range []struct {
		name  []byte
		depth uint64
	}{{bucketUndo, h.Undo}, {bucketRedo, h.Redo}} {
		if err := dropStack(lb, s.name, s.depth); err != nil {
			return err
		}
	}
	if err := lb.Delete(keyLayer); err != nil {
		return err
	}
	return writeHead(r, reader, h)
}

// dropStack deletes a schema-2 stack bucket after checking it held depth
// entries, as many as the audit log replays to.
func dropStack(lb *bolt.Bucket, name []byte, depth uint64) error {
	b := lb.Bucket(name)
	if b == nil {
		if depth != 0 {
			return fmt.Errorf("%w: no %s bucket, the audit log replays to %d entries", ErrDBCorrupt, name, depth)
		}
		return nil
	}
	n := uint64(0)
	if err := b.ForEach(func(_, _ []byte) error { n++; return nil }); err != nil {
		return err
	}
	if n != depth {
		return fmt.Errorf("%w: %s holds %d entries, the audit log replays to %d", ErrDBCorrupt, name, n, depth)
	}
	return lb.DeleteBucket(name)
}
