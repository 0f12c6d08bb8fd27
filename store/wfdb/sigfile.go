package wfdb

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/ecgstation/ecgstation/annotate"
)

// InvalidSample is the value a read returns for a sample that is not stored:
// signals of a null segment, signals missing from a segment of a
// variable-layout record, format-0 signals, and samples a skewed signal
// would need from beyond the end of its file (WFDB_INVALID_SAMPLE).
const InvalidSample = annotate.InvalidWFDB

// sigFile is one signal file of a single-segment record: the signals stored
// in it, interleaved frame by frame, after ByteOffset bytes.
type sigFile struct {
	dir, name   string // the record's folder and the file name the header gives
	path        string
	f           dataFile
	fm          *format
	sigs        []int   // header signal numbers stored here, in file order
	offs        []int   // sample offset of each signal within a frame
	spf         []int   // samples per frame of each signal
	skew        []int   // skew of each signal, frames
	init        []int32 // initial values (format 8 running sums)
	frameSize   int     // samples per frame in this file
	byteOffset  int64
	frames      int64 // complete frames the file holds
	minSkew     int
	maxSkew     int
	checkpoints *diffIndex // format 8 only
	// stored reads values as stored, without mapping the format's invalid
	// value to InvalidSample: what initial values and checksums describe.
	stored bool
}

// dataFile is what a signal file must offer: positioned reads (no shared
// offset, so concurrent reads are safe), its size, and Close.
type dataFile interface {
	io.ReaderAt
	io.Closer
	Stat() (os.FileInfo, error)
}

// opener opens the signal file name of the record folder dir; tests and
// fuzz targets substitute in-memory files.
type opener func(dir, name string) (dataFile, error)

// openOS opens the file name of the record folder dir. A name that leads
// out of dir (through "..") is refused with ErrPath, so a header can only
// name files of its own folder; an absolute name is taken inside dir. A
// symbolic link placed in the folder is followed, as WFDB's own tools
// follow it: a folder of links to a database's records is a common set-up,
// and the link is the user's, not the header's.
func openOS(dir, name string) (dataFile, error) {
	if !isLocalName(name) {
		return nil, fmt.Errorf("%w: %s (in %s)", ErrPath, name, dir)
	}
	f, err := os.Open(filepath.Join(dir, filepath.FromSlash(localName(name))))
	if err != nil {
		return nil, err
	}
	return f, nil
}

// localName is a signal or segment file name as a path inside the record's
// folder: an absolute name is taken inside the folder too (as this package
// always did), so "/100.dat" is the folder's 100.dat.
func localName(name string) string {
	return strings.TrimLeft(filepath.ToSlash(name), "/")
}

// isLocalName reports whether name stays inside the record's folder once
// cleaned: no "..", after localName, leads out of it.
func isLocalName(name string) bool {
	return filepath.IsLocal(filepath.FromSlash(localName(name)))
}

// openSigFiles groups the signals of h by file name and opens each file.
func openSigFiles(dir string, h *Header, open opener) ([]*sigFile, []int, error) {
	where := make([]int, len(h.Signals))
	byName := map[string]int{}
	var files []*sigFile
	for i, s := range h.Signals {
		where[i] = -1
		if s.Format == 0 || s.File == "~" {
			continue
		}
		k, ok := byName[s.File]
		if !ok {
			k = len(files)
			byName[s.File] = k
			files = append(files, &sigFile{dir: dir, name: s.File, path: filepath.Join(dir, localName(s.File)),
				fm: formatInfo(s.Format), byteOffset: s.ByteOffset, minSkew: s.Skew})
		}
		if err := files[k].add(i, s); err != nil {
			return nil, nil, err
		}
		where[i] = k
	}
	for i, sf := range files {
		if err := sf.open(open); err != nil {
			closeFiles(files[:i])
			return nil, nil, err
		}
	}
	return files, where, nil
}

func (sf *sigFile) add(i int, s SignalSpec) error {
	if formatInfo(s.Format) != sf.fm {
		return &ParseError{File: sf.path, Offset: -1, Err: fmt.Errorf(
			"%w: signal %d has format %d, other signals of the file another", ErrFormat, i, s.Format)}
	}
	if sf.fm.flac {
		return &ParseError{File: sf.path, Offset: -1, Err: fmt.Errorf(
			"%w: FLAC format %d (508/516/524) is not decoded by this package", ErrFormat, s.Format)}
	}
	sf.sigs = append(sf.sigs, i)
	sf.offs = append(sf.offs, sf.frameSize)
	sf.spf = append(sf.spf, s.SampsPerFrame)
	sf.skew = append(sf.skew, s.Skew)
	sf.init = append(sf.init, s.InitValue)
	sf.frameSize += s.SampsPerFrame
	sf.minSkew = min(sf.minSkew, s.Skew)
	sf.maxSkew = max(sf.maxSkew, s.Skew)
	return nil
}

func (sf *sigFile) open(open opener) error {
	f, err := open(sf.dir, sf.name)
	if err != nil {
		return fmt.Errorf("wfdb: open signal file: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return fmt.Errorf("wfdb: open signal file: %w", err)
	}
	sf.f = f
	sf.frames = sf.samplesIn(st.Size()-sf.byteOffset) / int64(sf.frameSize)
	if sf.fm.diff {
		sf.checkpoints = &diffIndex{}
	}
	return nil
}

// samplesIn returns how many complete samples n bytes hold.
func (sf *sigFile) samplesIn(n int64) int64 {
	if n <= 0 {
		return 0
	}
	gb, gs := int64(sf.fm.groupBytes), int64(sf.fm.groupSamples)
	s := n / gb * gs
	rem := int(n % gb)
	for _, need := range sf.fm.need {
		if need <= rem {
			s++
		}
	}
	return s
}

func closeFiles(files []*sigFile) error {
	var errs []error
	for _, sf := range files {
		if sf.f != nil {
			errs = append(errs, sf.f.Close())
			sf.f = nil
		}
	}
	return errors.Join(errs...)
}

// readSamples decodes the file's samples [s0, s0+len(dst)) into dst. The
// caller keeps the range within the file's complete samples. A file that
// ends inside the last group is read with the missing bytes as zero.
func (sf *sigFile) readSamples(dst []int32, s0 int64) error {
	gs, gb := int64(sf.fm.groupSamples), int64(sf.fm.groupBytes)
	g0 := s0 / gs
	g1 := (s0 + int64(len(dst)) + gs - 1) / gs
	rp := getBytes(int((g1 - g0) * gb))
	defer putBytes(rp)
	raw := *rp
	off := sf.byteOffset + g0*gb
	n, err := sf.f.ReadAt(raw, off)
	if err != nil && !(errors.Is(err, io.EOF) && n > 0) {
		return offsetErr(sf.path, off+int64(n), ErrTruncated, "reading samples: %v", err)
	}
	clear(raw[n:])
	lead := int(s0 - g0*gs)
	if lead == 0 && len(dst)%int(gs) == 0 {
		sf.fm.decode(dst, raw)
	} else {
		tp := getInts(int((g1 - g0) * gs))
		defer putInts(tp)
		sf.fm.decode(*tp, raw)
		copy(dst, (*tp)[lead:])
	}
	if !sf.stored {
		sf.fm.markInvalid(dst)
	}
	return nil
}
