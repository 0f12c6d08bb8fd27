package store_test

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"os"
	"slices"
	"testing"

	"github.com/ecgstation/ecgstation/store"
	bolt "go.etcd.io/bbolt"
)

// The damage test needs to know, before it damages a page, which label
// sets live on it. This map is made independently of the store's own page
// walk: bucket roots from bbolt's API (Bucket.Root, Tx.Page), and the
// child pages of branch pages read straight from the file's bytes.

// rawPages is an undamaged database file's bytes.
type rawPages struct {
	b  []byte
	ps int
}

func (r rawPages) page(id uint64) []byte { return r.b[int(id)*r.ps:] }
func (r rawPages) isBranch(id uint64) bool {
	return binary.LittleEndian.Uint16(r.page(id)[8:])&0x01 != 0
}
func (r rawPages) count(id uint64) int { return int(binary.LittleEndian.Uint16(r.page(id)[10:])) }

// branch returns element i of branch page id: its key and child page.
func (r rawPages) branch(id uint64, i int) ([]byte, uint64) {
	p := r.page(id)
	e := p[16+16*i:]
	pos, ksize := binary.LittleEndian.Uint32(e), binary.LittleEndian.Uint32(e[4:])
	return e[pos : pos+ksize], binary.LittleEndian.Uint64(e[8:])
}

// leafKeys returns the keys of leaf page id.
func (r rawPages) leafKeys(id uint64) [][]byte {
	p := r.page(id)
	var out [][]byte
	for i := range r.count(id) {
		e := p[16+16*i:]
		pos, ksize := binary.LittleEndian.Uint32(e[4:]), binary.LittleEndian.Uint32(e[8:])
		out = append(out, e[pos:pos+ksize])
	}
	return out
}

// withOverflow adds page id and its overflow pages to set.
func withOverflow(tx *bolt.Tx, id uint64, set map[uint64]bool) {
	info, err := tx.Page(int(id))
	if err != nil || info == nil {
		return
	}
	for i := 0; i <= info.OverflowCount; i++ {
		set[id+uint64(i)] = true
	}
}

// subtree adds every page of the tree rooted at root (0: an inline bucket,
// which lives on its parent's pages) to set.
func (r rawPages) subtree(tx *bolt.Tx, root uint64, set map[uint64]bool) {
	if root == 0 {
		return
	}
	withOverflow(tx, root, set)
	if r.isBranch(root) {
		for i := range r.count(root) {
			_, child := r.branch(root, i)
			r.subtree(tx, child, set)
		}
	}
}

// leafRef is one leaf page of a tree with the branch pages above it.
type leafRef struct {
	id    uint64
	above []uint64
	keys  [][]byte
}

// leaves lists the leaf pages of the tree at root in key order.
func (r rawPages) leaves(root uint64, above []uint64) []leafRef {
	if !r.isBranch(root) {
		return []leafRef{{root, slices.Clone(above), r.leafKeys(root)}}
	}
	var out []leafRef
	for i := range r.count(root) {
		_, child := r.branch(root, i)
		out = append(out, r.leaves(child, append(above, root))...)
	}
	return out
}

// seekLeaf is the index of the leaf bbolt's search descends to for key:
// at each branch page, the last element whose key is <= key (else the first).
func (r rawPages) seekLeaf(root uint64, key []byte) uint64 {
	for r.isBranch(root) {
		child := uint64(0)
		for i := range r.count(root) {
			k, c := r.branch(root, i)
			if i == 0 || bytes.Compare(k, key) <= 0 {
				child = c
			}
		}
		root = child
	}
	return root
}

// scan adds the pages a cursor visits going from Seek(lo) with Next until
// a key >= hi (or the end): the leaves from lo's on, up to and including
// the one holding the first key >= hi, with their branch pages. Only the
// key itself (lo == hi) is the path of a Get.
func (r rawPages) scan(tx *bolt.Tx, root uint64, lo, hi []byte, set map[uint64]bool) {
	if root == 0 {
		return
	}
	start := r.seekLeaf(root, lo)
	on := false
	for _, l := range r.leaves(root, nil) {
		if l.id == start {
			on = true
		}
		if !on {
			continue
		}
		withOverflow(tx, l.id, set)
		for _, a := range l.above {
			set[a] = true
		}
		if len(l.keys) > 0 && bytes.Compare(l.keys[len(l.keys)-1], hi) >= 0 {
			return
		}
	}
}

// setPages maps each label set of the database (undamaged) to the pages
// reading it whole depends on: the top-level tree; the path to its record
// in records/ and the record's whole bucket; for a reader, the record's
// audit entries and the reader's head in audit/ (scans and gets).
func setPages(t *testing.T, path string, raw []byte, sets []store.LabelSetRef) map[store.LabelSetRef]map[uint64]bool {
	b, err := bolt.Open(path, 0, &bolt.Options{ReadOnly: true, PreLoadFreelist: true})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	out := map[store.LabelSetRef]map[uint64]bool{}
	err = b.View(func(tx *bolt.Tx) error {
		r := rawPages{b: raw, ps: b.Info().PageSize}
		for _, ref := range sets {
			out[ref] = r.labelSetPages(tx, ref)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func (r rawPages) labelSetPages(tx *bolt.Tx, ref store.LabelSetRef) map[uint64]bool {
	set := map[uint64]bool{}
	r.subtree(tx, uint64(tx.Cursor().Bucket().Root()), set) // holds meta, records, paths, audit roots
	recs := tx.Bucket([]byte("records"))
	id := []byte(ref.Record)
	r.scan(tx, uint64(recs.Root()), id, id, set)
	rb := recs.Bucket(id)
	r.subtree(tx, uint64(rb.Root()), set)
	for _, sub := range [][]byte{[]byte("model"), []byte("readers")} {
		if sb := rb.Bucket(sub); sb != nil {
			r.bucketTree(tx, sb, set)
		}
	}
	if ref.Reader == store.ModelLayer {
		return set
	}
	audit := uint64(tx.Bucket([]byte("audit")).Root())
	key, _ := hex.DecodeString(string(ref.Record))
	r.scan(tx, audit, append(bytes.Clone(key), 'a'), append(bytes.Clone(key), 'b'), set)
	head := append(append(bytes.Clone(key), 'h'), ref.Reader...)
	r.scan(tx, audit, head, head, set)
	return set
}

// bucketTree adds the pages of bucket b and of all its sub-buckets.
func (r rawPages) bucketTree(tx *bolt.Tx, b *bolt.Bucket, set map[uint64]bool) {
	r.subtree(tx, uint64(b.Root()), set)
	_ = b.ForEachBucket(func(k []byte) error {
		r.bucketTree(tx, b.Bucket(k), set)
		return nil
	})
}

// inUse returns the pages of the undamaged file's trees and free list, and
// the high water mark: the number of pages the file uses.
func inUse(t *testing.T, path string, raw []byte) (map[uint64]bool, int) {
	b, err := bolt.Open(path, 0, &bolt.Options{ReadOnly: true, PreLoadFreelist: true})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	set, hwm := map[uint64]bool{}, 0
	_ = b.View(func(tx *bolt.Tx) error {
		r := rawPages{b: raw, ps: b.Info().PageSize}
		hwm = int(tx.Size()) / r.ps
		for id := range hwm {
			if info, err := tx.Page(id); err == nil && info != nil && info.Type == "freelist" {
				set[uint64(id)] = true
			}
		}
		r.subtree(tx, uint64(tx.Cursor().Bucket().Root()), set)
		return tx.ForEach(func(_ []byte, bk *bolt.Bucket) error {
			r.bucketTree(tx, bk, set)
			return nil
		})
	})
	return set, hwm
}

// usedBytes cuts the database file at path to the pages its meta page
// counts (bbolt grows files in big steps; the rest is never read) and
// returns its bytes.
func usedBytes(t testing.TB, path string) []byte {
	b, err := bolt.Open(path, 0, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	var size int64
	_ = b.View(func(tx *bolt.Tx) error { size = tx.Size(); return nil })
	b.Close()
	if err := os.Truncate(path, size); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}
