package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"strings"
	"unicode"
)

// The page check reads the bbolt file itself, page by page, with every
// offset checked against the page it is in, so that no damage can make it
// panic or fault (bbolt trusts its pages and does both). It walks every
// B-tree from the newest valid meta page the way bbolt would, and finds:
// a page that is not the page it should be (another page's copy, zeros),
// a page of the wrong type, elements that do not fit their page, keys out
// of order, child page numbers outside the file, a page in two trees or
// in a tree and in the free list, a damaged free list.
//
// bbolt's page layout (little-endian): a 16-byte header (id u64, flags u16,
// count u16, overflow u32), then count 16-byte elements: a branch element
// is pos u32, ksize u32, child pgid u64; a leaf element flags u32 (1: the
// value is a bucket), pos u32, ksize u32, vsize u32, the key at the
// element's offset plus pos and the value right after it. A bucket value
// is root pgid u64, sequence u64, and for root 0 (an inline bucket) a leaf
// page of its own. A meta page holds magic u32, version u32, page size
// u32, flags u32, root bucket (16 bytes), freelist pgid u64, high water
// mark u64, txid u64 and an FNV-64a checksum of the bytes before it.

const (
	pageHeaderSize = 16
	pageElemSize   = 16
	pageBranch     = 0x01
	pageLeaf       = 0x02
	pageFreelist   = 0x10
	leafIsBucket   = 0x01
	boltMagic      = 0xED0CDAED
	boltVersion    = 2
	noFreelist     = ^uint64(0)
	maxTreeDepth   = 64
)

// checkOnOpenMax is the largest file OpenDB checks page by page before
// it trusts it (about 130 ms per 64 MiB: BenchmarkCheckPages reads 510
// MB/s on a busy 2-core machine); a bigger file's damage is found
// by the transactions that meet it.
const checkOnOpenMax = 64 << 20

// PageProblem is one thing wrong with a page of a label database file.
type PageProblem struct {
	Page   uint64 // page number
	Bucket string // the bucket whose tree holds the page ("records/<id>/readers/alice/beats"), "" when unknown
	What   string // what is wrong
	// unsafe: the page's header is right but what it holds is not, so
	// bbolt would not notice (as it does a wrong header) and could read
	// garbage or descend forever; check and salvage keep bbolt off it.
	unsafe bool
}

// String says which page, of which bucket, and what is wrong.
func (p PageProblem) String() string {
	if p.Bucket == "" {
		return fmt.Sprintf("page %d: %s", p.Page, p.What)
	}
	return fmt.Sprintf("page %d (bucket %s): %s", p.Page, p.Bucket, p.What)
}

// boltMeta is the part of a bbolt meta page the page check needs.
type boltMeta struct {
	pageSize uint64
	root     uint64
	freelist uint64
	hwm      uint64 // pages in use: 0..hwm-1
	txid     uint64
}

// pageFile reads the pages of a bbolt file.
type pageFile struct {
	r    io.ReaderAt
	size int64
	meta boltMeta
	note string // one meta page does not check out: what that means
}

// parseMeta decodes the meta page at b, reporting whether it is valid.
func parseMeta(b []byte) (boltMeta, bool) {
	const at, n = pageHeaderSize, 56 // the meta, and its bytes before the checksum
	if len(b) < at+n+8 {
		return boltMeta{}, false
	}
	m := b[at:]
	h := fnv.New64a()
	h.Write(m[:n])
	le := binary.LittleEndian
	ok := le.Uint32(m) == boltMagic && le.Uint32(m[4:]) == boltVersion && le.Uint64(m[n:]) == h.Sum64()
	return boltMeta{pageSize: uint64(le.Uint32(m[8:])), root: le.Uint64(m[16:]), freelist: le.Uint64(m[32:]),
		hwm: le.Uint64(m[40:]), txid: le.Uint64(m[48:])}, ok
}

// openPages picks the meta page bbolt would (the valid one of the two
// with the higher txid) and checks that the pages it names are in the file.
func openPages(r io.ReaderAt, size int64) (*pageFile, error) {
	buf := make([]byte, 4096)
	n, _ := r.ReadAt(buf, 0)
	m0, ok0 := parseMeta(buf[:n])
	ps := int64(os.Getpagesize())
	if ok0 {
		ps = int64(m0.pageSize)
	}
	n, _ = r.ReadAt(buf, ps)
	m1, ok1 := parseMeta(buf[:n])
	m := m0
	switch {
	case !ok0 && !ok1:
		return nil, errors.New("both meta pages (0 and 1) are damaged")
	case !ok0 || ok1 && m1.txid > m0.txid:
		m = m1
	}
	if m.pageSize < 512 || m.pageSize > 1<<16 || m.pageSize&(m.pageSize-1) != 0 {
		return nil, fmt.Errorf("meta page gives a page size of %d bytes", m.pageSize)
	}
	if m.hwm < 2 || m.hwm > uint64(size)/m.pageSize {
		return nil, fmt.Errorf("meta page names %d pages, the file holds %d (truncated)", m.hwm, uint64(size)/m.pageSize)
	}
	pf := &pageFile{r: r, size: size, meta: m}
	if ok0 != ok1 {
		bad := map[bool]int{true: 1, false: 0}[ok0]
		pf.note = fmt.Sprintf("meta page %d is damaged: bbolt reads the file as of transaction %d, "+
			"so the commit written after it may be missing; the next write rewrites the page", bad, m.txid)
	}
	return pf, nil
}

// page reads page id with its overflow pages and checks its header: the
// page must say it is page id and have one of the wanted flags.
func (pf *pageFile) page(id uint64, want uint16) ([]byte, error) {
	ps := pf.meta.pageSize
	if id < 2 || id >= pf.meta.hwm {
		return nil, fmt.Errorf("page number out of range (the file has pages 2 to %d)", pf.meta.hwm-1)
	}
	buf := make([]byte, ps)
	if _, err := pf.r.ReadAt(buf, int64(id*ps)); err != nil {
		return nil, fmt.Errorf("cannot read: %v", err)
	}
	le := binary.LittleEndian
	if got := le.Uint64(buf); got != id {
		return nil, headerError(fmt.Sprintf("holds page %d's header (overwritten, zeroed or a copy of another page)", got))
	}
	if flags := le.Uint16(buf[8:]); flags&want == 0 || flags&(flags-1) != 0 {
		return nil, headerError(fmt.Sprintf("has page type %#x, want %#x", flags, want))
	}
	over := uint64(le.Uint32(buf[12:]))
	if over >= pf.meta.hwm-id {
		return nil, fmt.Errorf("claims %d overflow pages, past the end of the file", over)
	}
	if over == 0 {
		return buf, nil
	}
	buf = make([]byte, (over+1)*ps)
	if _, err := pf.r.ReadAt(buf, int64(id*ps)); err != nil {
		return nil, fmt.Errorf("cannot read: %v", err)
	}
	return buf, nil
}

// headerError is a page whose header is not the page's: bbolt checks the
// header of every page it reads, and panics.
type headerError string

func (e headerError) Error() string { return string(e) }

// pageElem is one element of a branch or leaf page.
type pageElem struct {
	bucket   bool   // leaf: the value is a bucket
	key, val []byte // val: leaf only
	child    uint64 // branch only
}

// pageElems decodes the elements of the branch or leaf page buf, checking
// that every one lies inside it and has a key.
func pageElems(buf []byte) ([]pageElem, error) {
	le := binary.LittleEndian
	if len(buf) < pageHeaderSize {
		return nil, errors.New("shorter than a page header")
	}
	branch, count := le.Uint16(buf[8:])&pageBranch != 0, int(le.Uint16(buf[10:]))
	if pageHeaderSize+count*pageElemSize > len(buf) {
		return nil, fmt.Errorf("%d elements do not fit in %d bytes", count, len(buf))
	}
	out := make([]pageElem, count)
	for i := range out {
		off := pageHeaderSize + i*pageElemSize
		e := buf[off : off+pageElemSize]
		var pos, ksize, vsize uint64
		if branch {
			pos, ksize, out[i].child = uint64(le.Uint32(e)), uint64(le.Uint32(e[4:])), le.Uint64(e[8:])
		} else {
			out[i].bucket = le.Uint32(e)&leafIsBucket != 0
			pos, ksize, vsize = uint64(le.Uint32(e[4:])), uint64(le.Uint32(e[8:])), uint64(le.Uint32(e[12:]))
		}
		start := uint64(off) + pos
		if ksize == 0 || start+ksize+vsize > uint64(len(buf)) {
			return nil, fmt.Errorf("element %d (key %d bytes, value %d bytes at %d) does not fit in the page", i, ksize, vsize, start)
		}
		out[i].key, out[i].val = buf[start:start+ksize], buf[start+ksize:start+ksize+vsize]
	}
	return out, nil
}

// pageWalk walks the B-trees of a file, noting which bucket owns each page
// and what is wrong.
type pageWalk struct {
	pf       *pageFile
	owner    map[uint64]string // page -> bucket path
	free     map[uint64]bool   // the pages the free list names
	problems []PageProblem
	// leaf, when set, is called with every element of every readable leaf
	// page (inline buckets included), with the path of its bucket.
	leaf func(bucket []string, e pageElem)
}

// walkPages checks every page of the file r (size bytes) and calls leaf,
// when not nil, with every element it can read.
func walkPages(r io.ReaderAt, size int64, leaf func([]string, pageElem)) (*pageWalk, error) {
	pf, err := openPages(r, size)
	if err != nil {
		return nil, err
	}
	w := &pageWalk{pf: pf, owner: map[uint64]string{}, leaf: leaf}
	w.free = w.freelist()
	w.tree(pf.meta.root, nil, nil, nil, 0)
	for id := range w.owner {
		if w.free[id] {
			w.freeProblem(id, w.owner[id], "in use and also in the free list (a write would overwrite it)")
		}
	}
	return w, nil
}

func (w *pageWalk) problem(id uint64, bucket, format string, args ...any) {
	w.problems = append(w.problems, PageProblem{Page: id, Bucket: bucket, What: fmt.Sprintf(format, args...), unsafe: true})
}

// freeProblem notes a problem of the free list, which reads never use.
func (w *pageWalk) freeProblem(id uint64, bucket, format string, args ...any) {
	w.problem(id, bucket, format, args...)
	w.problems[len(w.problems)-1].unsafe = false
}

// unreachable counts the pages below the high water mark that are neither
// in a tree nor free: leaked, or cut off by a damaged branch page.
func (w *pageWalk) unreachable() int {
	n := 0
	for id := uint64(2); id < w.pf.meta.hwm; id++ {
		if _, ok := w.owner[id]; !ok && !w.free[id] {
			n++
		}
	}
	return n
}

// freelist reads the free list page and returns the free pages.
func (w *pageWalk) freelist() map[uint64]bool {
	free := map[uint64]bool{}
	id := w.pf.meta.freelist
	if id == noFreelist {
		return free
	}
	buf, err := w.pf.page(id, pageFreelist)
	if err != nil {
		w.freeProblem(id, "", "free list: %v", err)
		return free
	}
	w.own(id, buf, "(free list)")
	le := binary.LittleEndian
	skip, count := uint64(0), uint64(le.Uint16(buf[10:]))
	if count == 0xFFFF {
		skip, count = 1, le.Uint64(buf[pageHeaderSize:])
	}
	if count > uint64(len(buf)-pageHeaderSize)/8-skip {
		w.freeProblem(id, "", "free list: %d page numbers do not fit in %d bytes", count, len(buf))
		return free
	}
	for i := range count {
		p := le.Uint64(buf[pageHeaderSize+8*(skip+i):])
		if p < 2 || p >= w.pf.meta.hwm {
			w.freeProblem(id, "", "free list: page number %d out of range", p)
			continue
		}
		free[p] = true
	}
	return free
}

// own marks page id and its overflow pages (buf's length) as bucket's.
func (w *pageWalk) own(id uint64, buf []byte, bucket string) {
	for i := uint64(0); i < uint64(len(buf))/w.pf.meta.pageSize; i++ {
		w.owner[id+i] = bucket
	}
}

// tree walks the B-tree page id of bucket, whose keys must lie in [lo, hi)
// (nil: unbounded).
func (w *pageWalk) tree(id uint64, bucket []string, lo, hi []byte, depth int) {
	name := bucketName(bucket)
	if depth > maxTreeDepth {
		w.problem(id, name, "more than %d levels of pages or buckets (a loop)", maxTreeDepth)
		return
	}
	if prev, ok := w.owner[id]; ok {
		w.problem(id, name, "also part of bucket %q (a page may be in one place only)", prev)
		return
	}
	buf, err := w.pf.page(id, pageBranch|pageLeaf)
	if err != nil {
		w.problem(id, name, "%v", err)
		var he headerError
		w.problems[len(w.problems)-1].unsafe = !errors.As(err, &he) // bbolt checks every page's header
		return
	}
	w.own(id, buf, name)
	elems, err := pageElems(buf)
	if err == nil {
		err = keyOrder(elems, lo, hi)
	}
	if err != nil {
		w.problem(id, name, "%v", err)
		return
	}
	if binary.LittleEndian.Uint16(buf[8:])&pageBranch != 0 {
		for i, e := range elems {
			next := hi
			if i+1 < len(elems) {
				next = elems[i+1].key
			}
			w.tree(e.child, bucket, e.key, next, depth+1)
		}
		return
	}
	w.leaves(id, elems, bucket, depth)
}

// leaves hands a leaf page's elements to w.leaf and walks its buckets.
func (w *pageWalk) leaves(id uint64, elems []pageElem, bucket []string, depth int) {
	for _, e := range elems {
		if w.leaf != nil {
			w.leaf(bucket, e)
		}
		if e.bucket {
			w.bucket(id, append(bucket[:len(bucket):len(bucket)], string(e.key)), e.val, depth+1)
		}
	}
}

// bucket walks the bucket whose value v sits on leaf page id.
func (w *pageWalk) bucket(id uint64, path []string, v []byte, depth int) {
	if len(v) < 16 {
		w.problem(id, bucketName(path), "bucket header of %d bytes, want 16", len(v))
		return
	}
	if root := binary.LittleEndian.Uint64(v); root != 0 {
		w.tree(root, path, nil, nil, depth)
		return
	}
	inline := v[16:]
	elems, err := pageElems(inline)
	if err == nil && binary.LittleEndian.Uint16(inline[8:])&pageLeaf == 0 {
		err = errors.New("inline bucket is not a leaf page")
	}
	if err == nil {
		err = keyOrder(elems, nil, nil)
	}
	if err != nil {
		w.problem(id, bucketName(path), "inline bucket: %v", err)
		return
	}
	w.leaves(id, elems, path, depth)
}

// keyOrder checks that the keys rise strictly and lie in [lo, hi).
func keyOrder(elems []pageElem, lo, hi []byte) error {
	for i, e := range elems {
		switch {
		case i > 0 && bytes.Compare(elems[i-1].key, e.key) >= 0:
			return fmt.Errorf("key %d is not after key %d", i, i-1)
		case lo != nil && bytes.Compare(e.key, lo) < 0, hi != nil && bytes.Compare(e.key, hi) >= 0:
			return fmt.Errorf("key %d lies outside the range its parent page gives", i)
		}
	}
	return nil
}

// bucketName writes a bucket path with "/", in hex where a name is binary.
func bucketName(path []string) string {
	parts := make([]string, len(path))
	for i, p := range path {
		parts[i] = p
		if strings.ContainsFunc(p, func(r rune) bool { return !unicode.IsPrint(r) || r == '/' }) {
			parts[i] = fmt.Sprintf("%x", p)
		}
	}
	return strings.Join(parts, "/")
}

// checkPages walks the file at path page by page and returns what is
// wrong with it.
func checkPages(path string) ([]PageProblem, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	w, err := walkPages(f, fi.Size(), nil)
	if err != nil {
		return []PageProblem{{What: err.Error()}}, nil
	}
	return w.problems, nil
}

// checkOnOpen checks the pages of a file of up to checkOnOpenMax bytes.
func checkOnOpen(path string) error {
	if fi, err := os.Stat(path); err != nil || fi.Size() > checkOnOpenMax {
		return err
	}
	probs, err := checkPages(path)
	if err != nil || len(probs) == 0 {
		return err
	}
	return damage(path, "open", fmt.Errorf("%w: %s", ErrDBCorrupt, summarize(probs, 3)))
}

// summarize lists the first n problems and how many more there are.
func summarize(probs []PageProblem, n int) string {
	var parts []string
	for i, p := range probs {
		if i == n {
			parts = append(parts, fmt.Sprintf("and %d more", len(probs)-n))
			break
		}
		parts = append(parts, p.String())
	}
	return strings.Join(parts, "; ")
}
