package store

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"reflect"

	"github.com/ecgstation/ecgstation/annotate"
	bolt "go.etcd.io/bbolt"
)

// SalvageReport is what Salvage found, copied and could not copy.
type SalvageReport struct {
	CheckReport               // what the damaged file holds; a label set with an Err was not copied
	Out         string        // the new database
	Copied      []LabelSetRef // the label sets copied whole
	Audit       int           // audit entries copied
	// LeftOut counts readable edit entries (commands, undos, redos) of
	// label sets that were lost: copied, they would give the reader a wrong
	// undo history when they start that record again.
	LeftOut int
}

// Salvage copies everything readable of the label database at src into a
// new database at out: each record's info and path, every label set that
// reads whole (the model layer; a reader's labels with its head, undo
// history and journalled edits), and the record's readable audit entries.
// src is only read. Each copied label set is read back from out and must
// equal what src gave. out must not exist yet.
func Salvage(src, out string) (SalvageReport, error) {
	rep := SalvageReport{CheckReport: CheckReport{Path: src}, Out: out}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		return rep, fmt.Errorf("store: salvage into %s: the file exists (or cannot be looked at: %v); name a new file", out, err)
	}
	sv, err := openSurvey(src, &rep.CheckReport)
	if err != nil {
		return rep, err
	}
	if sv == nil {
		return rep, fmt.Errorf("store: salvage %s: %w: bbolt cannot open it, nothing can be read", src, ErrDBCorrupt)
	}
	defer sv.close()
	dst, err := OpenDB(out, DBOptions{})
	if err != nil {
		return rep, err
	}
	for _, id := range sv.ids() {
		if err = sv.copyRecord(dst, sv.record(id, &rep.CheckReport), &rep); err != nil {
			break
		}
	}
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(out)
	}
	return rep, err
}

// rawBucket is a bucket copied out of a file: its values and sub-buckets.
type rawBucket struct {
	kv   []rawKV
	subs []rawSub
}

type rawSub struct {
	name []byte
	b    *rawBucket
}

// readRaw copies bucket b out, sub-buckets included.
func readRaw(b *bolt.Bucket) (*rawBucket, error) {
	rb := &rawBucket{}
	err := b.ForEach(func(k, v []byte) error {
		if v != nil {
			rb.kv = append(rb.kv, rawKV{bytes.Clone(k), bytes.Clone(v)})
			return nil
		}
		sub, err := readRaw(b.Bucket(k))
		rb.subs = append(rb.subs, rawSub{bytes.Clone(k), sub})
		return err
	})
	return rb, err
}

// write puts rb's values and sub-buckets into b (keys come in order, so
// pages are packed full).
func (rb *rawBucket) write(b *bolt.Bucket) error {
	b.FillPercent = 0.95
	for _, kv := range rb.kv {
		if err := b.Put(kv.k, kv.v); err != nil {
			return err
		}
	}
	for _, s := range rb.subs {
		sb, err := b.CreateBucket(s.name)
		if err != nil {
			return err
		}
		if err := s.b.write(sb); err != nil {
			return err
		}
	}
	return nil
}

// recordCopy is what Salvage writes of one record.
type recordCopy struct {
	model   *rawBucket
	readers map[annotate.ReaderID]*rawBucket
	heads   []rawKV
	audit   []rawKV
}

// copyRecord copies the readable parts of rr into dst and checks that
// each label set reads back the same.
func (sv *survey) copyRecord(dst *DB, rr recordRead, rep *SalvageReport) error {
	if rr.info == nil && len(rr.snaps) == 0 {
		return nil
	}
	rc, err := sv.readCopy(rr)
	if err != nil {
		return err // the label sets read whole a moment ago
	}
	kept, left := keptAudit(sv.auditOf(rr.id), rr.snaps)
	rc.audit, rep.Audit, rep.LeftOut = kept, rep.Audit+len(kept), rep.LeftOut+left
	err = dst.update("salvage record "+string(rr.id), func(tx *bolt.Tx) error {
		return rc.write(tx, rr, sv.paths[rr.id])
	})
	if err != nil {
		return err
	}
	for _, reader := range rr.readers {
		if _, ok := rr.snaps[reader]; ok {
			rep.Copied = append(rep.Copied, LabelSetRef{rr.id, rr.name, reader})
		}
	}
	if _, ok := rr.snaps[ModelLayer]; ok {
		rep.Copied = append(rep.Copied, LabelSetRef{rr.id, rr.name, ModelLayer})
	}
	return verifyCopy(dst, rr)
}

// readCopy copies out the buckets and heads of rr's readable label sets.
func (sv *survey) readCopy(rr recordRead) (recordCopy, error) {
	rc := recordCopy{readers: map[annotate.ReaderID]*rawBucket{}}
	err := sv.db.view("copy record "+string(rr.id), func(tx *bolt.Tx) error {
		r, err := openRec(tx, rr.id)
		if err != nil {
			return err
		}
		for reader := range rr.snaps {
			if err := rc.readSet(r, reader); err != nil {
				return err
			}
		}
		return nil
	})
	return rc, err
}

// readSet copies out one label set's bucket (and a reader's head).
func (rc *recordCopy) readSet(r recTx, reader annotate.ReaderID) error {
	var raw *rawBucket
	if lb := layer(r.rb, reader); lb != nil {
		var err error
		if raw, err = readRaw(lb); err != nil {
			return err
		}
	}
	if reader == ModelLayer {
		rc.model = raw
		return nil
	}
	rc.readers[reader] = raw
	if v := r.log.Get(r.headKey(reader)); v != nil {
		rc.heads = append(rc.heads, rawKV{r.headKey(reader), bytes.Clone(v)})
	}
	return nil
}

// auditOf returns the record's audit entries: read by bbolt when it can,
// else the ones the page walk found on readable leaves.
func (sv *survey) auditOf(id annotate.RecordID) []rawKV {
	if sv.safe([]string{string(bucketAudit)}, []string{string(bucketRecords), string(id)}, nil) != nil {
		return sv.audit[id]
	}
	var out []rawKV
	err := sv.db.view("read the audit log of "+string(id), func(tx *bolt.Tx) error {
		r, err := openRec(tx, id)
		if err != nil {
			return err
		}
		c, p := r.log.Cursor(), r.auditPrefix()
		for k, v := c.Seek(p); bytes.HasPrefix(k, p); k, v = c.Next() {
			out = append(out, rawKV{bytes.Clone(k), bytes.Clone(v)})
		}
		return nil
	})
	if err != nil {
		return sv.audit[id]
	}
	return out
}

// keptAudit returns the entries to copy: those that decode, except the
// edit entries of readers whose label set is not copied; and how many of
// those it left out.
func keptAudit(all []rawKV, copied map[annotate.ReaderID]annotate.Snapshot) (kept []rawKV, left int) {
	for _, kv := range all {
		kind, who, err := auditWho(kv.k[33:], kv.v)
		if err != nil {
			continue
		}
		if _, ok := copied[annotate.ReaderID(who)]; editKind(kind) && (!ok || who == "") {
			left++
			continue
		}
		if _, err := decodeAudit(kv.k[33:], kv.v); err == nil {
			kept = append(kept, kv)
		}
	}
	return kept, left
}

// write puts the record's copy into tx.
func (rc recordCopy) write(tx *bolt.Tx, rr recordRead, paths []string) error {
	rb, err := tx.Bucket(bucketRecords).CreateBucket([]byte(rr.id))
	if err != nil {
		return err
	}
	if rr.info != nil {
		if err := rb.Put(keyInfo, rr.info); err != nil {
			return err
		}
	}
	if err := rc.writeSets(rb); err != nil {
		return err
	}
	log := tx.Bucket(bucketAudit)
	for _, kv := range append(rc.audit, rc.heads...) {
		if err := log.Put(kv.k, kv.v); err != nil {
			return err
		}
	}
	for _, p := range paths {
		if err := tx.Bucket(bucketPaths).Put([]byte(p), []byte(rr.id)); err != nil {
			return err
		}
	}
	return nil
}

// writeSets writes the copied label set buckets into record bucket rb.
func (rc recordCopy) writeSets(rb *bolt.Bucket) error {
	if rc.model != nil {
		if err := writeSub(rb, bucketModel, rc.model); err != nil {
			return err
		}
	}
	for reader, raw := range rc.readers {
		if raw == nil {
			continue
		}
		rs, err := rb.CreateBucketIfNotExists(bucketReaders)
		if err != nil {
			return err
		}
		if err := writeSub(rs, []byte(reader), raw); err != nil {
			return err
		}
	}
	return nil
}

func writeSub(b *bolt.Bucket, name []byte, raw *rawBucket) error {
	sb, err := b.CreateBucket(name)
	if err != nil {
		return err
	}
	return raw.write(sb)
}

// verifyCopy reads every copied label set of rr back from dst and checks
// it equals what the damaged file gave.
func verifyCopy(dst *DB, rr recordRead) error {
	for reader, want := range rr.snaps {
		var got annotate.Snapshot
		var err error
		if reader == ModelLayer {
			got.Labels, got.Rev, err = dst.Labels(rr.id, ModelLayer)
		} else {
			got, err = dst.Load(rr.id, reader)
		}
		if err == nil && !reflect.DeepEqual(got, want) {
			err = errors.New("it reads differently after the copy")
		}
		if err != nil {
			return fmt.Errorf("store: salvage %s: %w", LabelSetRef{rr.id, rr.name, reader}, err)
		}
	}
	return nil
}
