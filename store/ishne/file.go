package ishne

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/ecgstation/ecgstation/annotate"
)

// File is an open ISHNE Holter file. Open reads and checks the header;
// Read decodes only the samples it is asked for. All methods are safe for
// concurrent use.
type File struct {
	r      io.ReaderAt
	closer io.Closer
	name   string
	hdr    Header
	pat    Patient // PHI
	info   annotate.RecordInfo
	data   int64 // byte offset of the ECG block
}

var _ annotate.Signal = (*File)(nil)

// Open opens the ISHNE file at path.
func Open(path string) (*File, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("ishne: open: %w", err)
	}
	st, err := fh.Stat()
	if err != nil {
		fh.Close()
		return nil, fmt.Errorf("ishne: open: %w", err)
	}
	f, err := NewReader(fh, st.Size(), path)
	if err != nil {
		fh.Close()
		return nil, err
	}
	f.closer = fh
	return f, nil
}

// NewReader reads an ISHNE file of the given size from r. name is used in
// errors and, without directory and extension, as the record name. Close
// does not close r.
func NewReader(r io.ReaderAt, size int64, name string) (*File, error) {
	f := &File{r: r, name: name}
	b := make([]byte, headerSize)
	if size < headerSize {
		return nil, perr(name, size, "header", ErrShortHeader)
	}
	if _, err := r.ReadAt(b, 0); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("ishne: read header of %s: %w", name, err)
	}
	if string(b[:8]) != "ISHNE1.0" {
		return nil, perr(name, 0, "magic number", detail(ErrMagic, "%q", b[:8]))
	}
	if err := f.checkBlocks(b, size); err != nil {
		return nil, err
	}
	if err := f.checkCRC(b); err != nil {
		return nil, err
	}
	vb := f.hdr.VarBlock
	f.hdr, f.pat = decodeFields(b)
	f.hdr.VarBlock = vb
	if err := f.checkLeads(b); err != nil {
		return nil, err
	}
	return f, f.setInfo(b, size)
}

// checkBlocks checks the offsets and size of the variable-length block and
// the ECG block, and reads the variable-length block.
func (f *File) checkBlocks(b []byte, size int64) error {
	varSize, varOff, ecgOff := int64(i32(b, offVarSize)), i32(b, offVarOffset), int64(i32(b, offECGOffset))
	switch {
	case varSize < 0:
		return perr(f.name, offVarSize, "variable-length block size", detail(ErrOffsets, "%d", varSize))
	case varOff != headerSize:
		return perr(f.name, offVarOffset, "variable-length block offset", detail(ErrOffsets, "%d, want 522", varOff))
	case ecgOff != headerSize+varSize:
		return perr(f.name, offECGOffset, "ECG block offset", detail(ErrOffsets, "%d, want 522 + %d", ecgOff, varSize))
	case ecgOff > size:
		return perr(f.name, offECGOffset, "ECG block offset", detail(ErrShortFile, "%d in a file of %d bytes", ecgOff, size))
	}
	f.data = ecgOff
	f.hdr.VarBlock = make([]byte, varSize)
	if _, err := f.r.ReadAt(f.hdr.VarBlock, headerSize); err != nil && varSize > 0 {
		return fmt.Errorf("ishne: read variable-length block of %s: %w", f.name, err)
	}
	return nil
}

// checkCRC compares the stored CRC with the CRC of the header from byte 10
// to the end of the variable-length block.
func (f *File) checkCRC(b []byte) error {
	crc := crcUpdate(crcUpdate(crcInit, b[offVarSize:headerSize]), f.hdr.VarBlock)
	if stored := le.Uint16(b[offCRC:]); stored != crc {
		return perr(f.name, offCRC, "CRC", &CRCError{Stored: stored, Computed: crc})
	}
	return nil
}

// checkLeads checks the lead count, sampling rate and resolutions.
func (f *File) checkLeads(b []byte) error {
	if n := i16(b, offNLeads); n < 1 || n > maxLeads {
		return perr(f.name, offNLeads, "number of leads", detail(ErrLeadCount, "%d", n))
	}
	if f.hdr.Fs < 1 {
		return perr(f.name, offFs, "sampling rate", detail(ErrFs, "%d", f.hdr.Fs))
	}
	for j, l := range f.hdr.Leads {
		if l.Resolution < 1 {
			return perr(f.name, offRes+2*int64(j), fmt.Sprintf("lead %d resolution", j), detail(ErrResolution, "%d", l.Resolution))
		}
	}
	return nil
}

// setInfo fills the RecordInfo. Each lead's gain is 10^6 / resolution
// digital units per mV (the resolution is in nV per unit), baseline 0.
// Patient fields are left out (Comments stays empty).
func (f *File) setInfo(b []byte, size int64) error {
	n, err := f.sampleCount(b, size)
	if err != nil {
		return err
	}
	base := filepath.Base(f.name)
	f.info = annotate.RecordInfo{
		Name: strings.TrimSuffix(base, filepath.Ext(base)), Format: "ISHNE",
		Fs: float64(f.hdr.Fs), NSamples: n,
	}
	f.info.Start, _ = f.hdr.RecordDate.Time(f.hdr.StartTime)
	for _, l := range f.hdr.Leads {
		f.info.Leads = append(f.info.Leads, annotate.Lead{
			Name: l.Spec.String(), Units: "mV", Gain: 1e6 / float64(l.Resolution), ADCRes: 16,
		})
	}
	return nil
}

// sampleCount returns the samples per lead. The standard says the header's
// ECG size is the number of samples per lead; some writers store the total
// over all leads instead, which is accepted when it divides evenly and the
// ECG block is exactly that many samples long (as ishneholterlib accepts).
func (f *File) sampleCount(b []byte, size int64) (int64, error) {
	n, leads := int64(i32(b, offECGSize)), int64(len(f.hdr.Leads))
	avail := (size - f.data) / (2 * leads)
	switch {
	case n < 0:
		return 0, perr(f.name, offECGSize, "ECG size", detail(ErrSampleCount, "%d", n))
	case n <= avail:
		return n, nil
	case n%leads == 0 && size-f.data == 2*n:
		return n / leads, nil
	}
	return 0, perr(f.name, offECGSize, "ECG size", detail(ErrShortFile,
		"%d samples per lead declared, room for %d", n, avail))
}

// Close closes the file opened by Open.
func (f *File) Close() error {
	if f.closer == nil {
		return nil
	}
	return f.closer.Close()
}

// Info describes the record: one lead per ISHNE lead, named by its lead
// code, in mV; Start from the record date and start time (zero when
// either is unknown).
func (f *File) Info() annotate.RecordInfo {
	info := f.info
	info.Leads = append([]annotate.Lead(nil), f.info.Leads...)
	return info
}

// Header returns the non-identifying header fields.
func (f *File) Header() Header {
	h := f.hdr
	h.Leads = append([]LeadInfo(nil), h.Leads...)
	h.VarBlock = append([]byte(nil), h.VarBlock...)
	return h
}

// Patient returns the patient fields of the header. They are protected
// health information: show them to the reader if needed, never export or
// log them. Info never contains them.
func (f *File) Patient() Patient { return f.pat }
