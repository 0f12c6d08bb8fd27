package wfdb

import (
	"bufio"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/store/private"
)

// Writer writes a single-segment WFDB record: one signal file NAME.dat with
// every lead interleaved, and at Close the header NAME.hea with each lead's
// initial value and checksum.
type Writer struct {
	dir, name string
	info      annotate.RecordInfo
	format    int
	fm        *format
	f         *os.File
	bw        *bufio.Writer
	n         int64    // frames written
	init      []int32  // first sample of each lead
	sum       []uint16 // running 16-bit checksums
	prev      []int32  // format 8: last value of each lead
	pending   []int32  // interleaved samples not yet a whole group
	enc       []byte
	closed    bool
}

// Create starts a record NAME in dir with the leads, Fs, start time and
// comments of info, stored in the given signal format (8, 16, 24, 32, 61,
// 80, 160, 212, 310 or 311). info.NSamples is ignored: the header states
// the number of frames written.
func Create(dir, name string, info annotate.RecordInfo, format int) (*Writer, error) {
	fm := formatInfo(format)
	if fm == nil || fm.flac || format == 0 {
		return nil, fmt.Errorf("wfdb: create %s: %w: %d", name, ErrFormat, format)
	}
	if name == "" || strings.ContainsAny(name, " \t\r\n/\\") {
		return nil, fmt.Errorf("wfdb: create: %w: bad record name %q", ErrBadHeader, name)
	}
	if !(info.Fs > 0) || len(info.Leads) == 0 {
		return nil, fmt.Errorf("wfdb: create %s: %w: need Fs > 0 and at least one lead", name, ErrBadHeader)
	}
	f, err := private.Create(filepath.Join(dir, name+".dat"))
	if err != nil {
		return nil, fmt.Errorf("wfdb: create %s: %w", name, err)
	}
	nl := len(info.Leads)
	return &Writer{dir: dir, name: name, info: info, format: format, fm: fm, f: f,
		bw: bufio.NewWriterSize(f, 1<<16), init: make([]int32, nl), sum: make([]uint16, nl),
		prev: make([]int32, nl)}, nil
}

// Write appends frames: frames[i] holds the next samples of lead i, and all
// slices have the same length. A value the format cannot store is an error
// wrapping ErrRange that names the lead and the sample.
func (w *Writer) Write(frames [][]int32) error {
	if w.closed {
		return ErrClosed
	}
	if len(frames) != len(w.info.Leads) {
		return fmt.Errorf("wfdb: write %s: %w: %d slices for %d leads", w.name, ErrRange, len(frames), len(w.info.Leads))
	}
	n := len(frames[0])
	for i := range frames {
		if len(frames[i]) != n {
			return fmt.Errorf("wfdb: write %s: %w: lead %d has %d samples, lead 0 has %d",
				w.name, ErrRange, i, len(frames[i]), n)
		}
	}
	stream, err := w.interleave(frames, n)
	if err != nil {
		return err
	}
	w.n += int64(n)
	return w.flushGroups(stream)
}

// interleave checks the values, updates initial values and checksums and
// returns the samples in file order (differences for format 8).
func (w *Writer) interleave(frames [][]int32, n int) ([]int32, error) {
	lo, hi := w.fm.sampleRange()
	if w.fm.diff { // format 8 limits the steps, not the values
		lo, hi = math.MinInt32, math.MaxInt32
	}
	stream := append(w.pending, make([]int32, n*len(frames))...)
	base := len(w.pending)
	for t := 0; t < n; t++ {
		for i, lead := range frames {
			v := lead[t]
			if int64(v) < lo || int64(v) > hi {
				return nil, fmt.Errorf("wfdb: write %s: %w: lead %d sample %d is %d, format %d holds %d..%d",
					w.name, ErrRange, i, w.n+int64(t), v, w.format, lo, hi)
			}
			if w.n == 0 && t == 0 {
				w.init[i], w.prev[i] = v, v
			}
			w.sum[i] += uint16(v)
			if w.fm.diff {
				d := v - w.prev[i]
				if d < -128 || d > 127 {
					return nil, fmt.Errorf("wfdb: write %s: %w: lead %d sample %d steps by %d, format 8 holds -128..127",
						w.name, ErrRange, i, w.n+int64(t), d)
				}
				w.prev[i], v = v, d
			}
			stream[base+t*len(frames)+i] = v
		}
	}
	return stream, nil
}

// flushGroups encodes the whole groups of stream and keeps the rest pending.
func (w *Writer) flushGroups(stream []int32) error {
	gs := w.fm.groupSamples
	whole := len(stream) / gs * gs
	need := whole / gs * w.fm.groupBytes
	if cap(w.enc) < need {
		w.enc = make([]byte, need)
	}
	w.fm.encode(w.enc[:need], stream[:whole])
	w.pending = append(w.pending[:0], stream[whole:]...)
	if _, err := w.bw.Write(w.enc[:need]); err != nil {
		return fmt.Errorf("wfdb: write %s: %w", w.name, err)
	}
	return nil
}

// Close writes the last partial group and the header, and closes the file.
func (w *Writer) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	err := w.finishData()
	err = errors.Join(err, w.f.Close())
	if err == nil {
		err = w.writeHeader()
	}
	if err != nil {
		return fmt.Errorf("wfdb: close %s: %w", w.name, err)
	}
	return nil
}

func (w *Writer) finishData() error {
	if k := len(w.pending); k > 0 {
		grp := make([]int32, w.fm.groupSamples)
		copy(grp, w.pending)
		out := make([]byte, w.fm.groupBytes)
		w.fm.encode(out, grp)
		if _, err := w.bw.Write(out[:w.fm.need[k-1]]); err != nil {
			return err
		}
	}
	return w.bw.Flush()
}

func (w *Writer) writeHeader() error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %d %s %d", w.name, len(w.info.Leads), strconv.FormatFloat(w.info.Fs, 'g', -1, 64), w.n)
	if st := w.info.Start; !st.IsZero() {
		b.WriteString(" " + st.Format("15:04:05.999"))
		if st.Year() != 1 {
			b.WriteString(" " + st.Format("02/01/2006"))
		}
	}
	b.WriteString("\n")
	for i, l := range w.info.Leads {
		w.writeSignalLine(&b, i, l)
	}
	for _, c := range w.info.Comments {
		b.WriteString("#" + oneLine(c) + "\n")
	}
	return private.WriteFile(filepath.Join(w.dir, w.name+".hea"), []byte(b.String()))
}

func (w *Writer) writeSignalLine(b *strings.Builder, i int, l annotate.Lead) {
	units := l.Units
	if units == "" {
		units = "mV"
	}
	gain := l.Gain
	if gain == 0 {
		gain = DefaultGain
	}
	res := l.ADCRes
	if res == 0 {
		res = defaultADCRes(w.format)
	}
	fmt.Fprintf(b, "%s.dat %d %s(%d)/%s %d %d %d %d 0 %s\n", w.name, w.format,
		strconv.FormatFloat(gain, 'g', -1, 64), l.Baseline, strings.ReplaceAll(units, " ", "_"),
		res, l.ADCZero, w.init[i], int16(w.sum[i]), oneLine(l.Name))
}

func oneLine(s string) string {
	return strings.NewReplacer("\r", " ", "\n", " ").Replace(s)
}

// WriteRecord writes a whole record at once: Create, one Write of sig
// (one slice per lead) and Close.
func WriteRecord(dir, name string, info annotate.RecordInfo, format int, sig [][]int32) error {
	w, err := Create(dir, name, info, format)
	if err != nil {
		return err
	}
	if err := w.Write(sig); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}
