package export

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"codeberg.org/sbinet/npyio/npy"
)

// npyAlign is the alignment numpy's own writer gives the data after an
// .npy header (numpy/lib/format.py ARRAY_ALIGN).
const npyAlign = 64

// ErrShape is returned when an array did not get the number of bytes its
// header announced.
var ErrShape = errors.New("export: array data does not match its shape")

// writeNPYHeader writes an .npy (format 1.0) header for an array of dtype
// (numpy descr such as "<f4") and shape, as numpy's format.write_array_header_1_0
// does: magic, version, little-endian header length, the header dict
// padded with spaces and a newline so the data starts 64-byte aligned.
// The header is described with npyio's npy.Header.
func writeNPYHeader(w io.Writer, dtype string, shape []int) error {
	var h npy.Header
	h.Major, h.Minor = 1, 0
	h.Descr.Type, h.Descr.Shape = dtype, shape
	dict := fmt.Sprintf("{'descr': '%s', 'fortran_order': %s, 'shape': %s, }",
		h.Descr.Type, pyBool(h.Descr.Fortran), shapeTuple(h.Descr.Shape))
	pre := len(npy.Magic) + 2 + 2
	pad := npyAlign - (pre+len(dict)+1)%npyAlign
	if pad == npyAlign {
		pad = 0
	}
	hdr := dict + strings.Repeat(" ", pad) + "\n"
	if len(hdr) > 0xffff {
		return fmt.Errorf("export: npy header of %d bytes: %w", len(hdr), ErrShape)
	}
	var b bytes.Buffer
	b.Write(npy.Magic[:])
	b.Write([]byte{h.Major, h.Minor})
	binary.Write(&b, binary.LittleEndian, uint16(len(hdr)))
	b.WriteString(hdr)
	_, err := w.Write(b.Bytes())
	return err
}

func pyBool(b bool) string {
	if b {
		return "True"
	}
	return "False"
}

// shapeTuple formats a shape as a Python tuple: (), (3,), (3, 2).
func shapeTuple(shape []int) string {
	s := make([]string, len(shape))
	for i, d := range shape {
		s[i] = strconv.Itoa(d)
	}
	if len(s) == 1 {
		return "(" + s[0] + ",)"
	}
	return "(" + strings.Join(s, ", ") + ")"
}

// npzWriter writes an .npz archive (a zip of .npy files, as numpy.savez
// makes) whose arrays arrive one row at a time, so no array has to be in
// memory whole. npyio's npz.Writer takes whole Go values only, so the
// archive is assembled here with archive/zip: one array streams straight
// into its zip entry (its shape known up front, header first); the others
// are spooled to temporary files beside the output, counted, and copied
// into the archive behind an .npy header with the final row count. Small
// in-memory arrays (class lists) are encoded by npyio itself.
type npzWriter struct {
	dir    string // where the spools go
	f      io.WriteCloser
	zw     *zip.Writer
	method uint16
	direct *column // the array streaming into the open zip entry
	spools []*column
	small  []smallArray
}

// smallArray is an array written by npyio at Close.
type smallArray struct {
	name string
	v    any
}

// column is one array of an npzWriter: rows of a fixed row shape.
type column struct {
	name     string
	dtype    string
	row      []int // shape of one row (nil for scalars)
	rowBytes int
	rows     int64
	want     int64 // rows announced (direct column), -1 when spooled
	w        *bufio.Writer
	tmp      *os.File
}

// newNPZ starts an archive written to f (closed by Close), with spool
// files in dir.
func newNPZ(f io.WriteCloser, dir string, compress bool) *npzWriter {
	m := zip.Store
	if compress {
		m = zip.Deflate
	}
	return &npzWriter{dir: dir, f: f, zw: zip.NewWriter(f), method: m}
}

func (z *npzWriter) entry(name string) (io.Writer, error) {
	return z.zw.CreateHeader(&zip.FileHeader{Name: name + ".npy", Method: z.method})
}

// stream opens the array name of n rows straight into the archive; call
// it before any other array is started.
func (z *npzWriter) stream(name, dtype string, n int64, row []int) (*column, error) {
	if z.direct != nil {
		return nil, fmt.Errorf("export: %s: only one array streams directly", name)
	}
	ew, err := z.entry(name)
	if err != nil {
		return nil, err
	}
	if err := writeNPYHeader(ew, dtype, append([]int{int(n)}, row...)); err != nil {
		return nil, err
	}
	c := newColumn(name, dtype, row)
	c.want, c.w = n, bufio.NewWriterSize(ew, 1<<16)
	z.direct = c
	return c, nil
}

// spool starts an array whose rows go to a temporary file first.
func (z *npzWriter) spool(name, dtype string, row []int) (*column, error) {
	tmp, err := os.CreateTemp(z.dir, ".spool-"+name+"-*")
	if err != nil {
		return nil, err
	}
	c := newColumn(name, dtype, row)
	c.want, c.tmp, c.w = -1, tmp, bufio.NewWriterSize(tmp, 1<<16)
	z.spools = append(z.spools, c)
	return c, nil
}

// value queues an in-memory array, written by npyio at Close.
func (z *npzWriter) value(name string, v any) { z.small = append(z.small, smallArray{name, v}) }

func newColumn(name, dtype string, row []int) *column {
	size, _ := strconv.Atoi(dtype[2:])
	for _, d := range row {
		size *= d
	}
	return &column{name: name, dtype: dtype, row: row, rowBytes: size}
}

// put writes one row of raw little-endian bytes.
func (c *column) put(b []byte) error {
	if len(b) != c.rowBytes {
		return fmt.Errorf("export: %s: row of %d bytes, want %d: %w", c.name, len(b), c.rowBytes, ErrShape)
	}
	c.rows++
	_, err := c.w.Write(b)
	return err
}

// Close finishes the streamed array, writes the small ones, copies the
// spooled ones in, and closes the archive. The temporary files are removed
// whatever happens.
func (z *npzWriter) Close() error {
	err := z.finish()
	for _, c := range z.spools {
		c.tmp.Close()
		os.Remove(c.tmp.Name())
	}
	if cerr := z.f.Close(); err == nil {
		err = cerr
	}
	return err
}

func (z *npzWriter) finish() error {
	if c := z.direct; c != nil {
		if err := c.w.Flush(); err != nil {
			return err
		}
		if c.rows != c.want {
			return fmt.Errorf("export: %s: %d rows written, %d announced: %w", c.name, c.rows, c.want, ErrShape)
		}
	}
	for _, s := range z.small {
		if err := z.writeSmall(s); err != nil {
			return fmt.Errorf("export: %s: %w", s.name, err)
		}
	}
	for _, c := range z.spools {
		if err := z.copySpool(c); err != nil {
			return fmt.Errorf("export: %s: %w", c.name, err)
		}
	}
	return z.zw.Close()
}

func (z *npzWriter) writeSmall(s smallArray) error {
	ew, err := z.entry(s.name)
	if err != nil {
		return err
	}
	if strs, ok := s.v.([]string); ok && len(strs) == 0 {
		// npyio writes an empty []string as a scalar; numpy wants (0,).
		return writeNPYHeader(ew, "<U1", []int{0})
	}
	return npy.Write(ew, s.v)
}

func (z *npzWriter) copySpool(c *column) error {
	if err := c.w.Flush(); err != nil {
		return err
	}
	if _, err := c.tmp.Seek(0, io.SeekStart); err != nil {
		return err
	}
	ew, err := z.entry(c.name)
	if err != nil {
		return err
	}
	if err := writeNPYHeader(ew, c.dtype, append([]int{int(c.rows)}, c.row...)); err != nil {
		return err
	}
	n, err := io.Copy(ew, c.tmp)
	if err == nil && n != c.rows*int64(c.rowBytes) {
		err = fmt.Errorf("spool holds %d bytes, want %d: %w", n, c.rows*int64(c.rowBytes), ErrShape)
	}
	return err
}

// Row encoders: append little-endian values to b.

func appendF32(b []byte, v float32) []byte {
	return binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
}

func appendI64(b []byte, v int64) []byte { return binary.LittleEndian.AppendUint64(b, uint64(v)) }

func appendI32(b []byte, v int32) []byte { return binary.LittleEndian.AppendUint32(b, uint32(v)) }
