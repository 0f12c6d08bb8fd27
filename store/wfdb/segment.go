package wfdb

import (
	"fmt"
	"os"
	"path/filepath"
)

// segReader reads the signals of one single-segment header (a whole
// single-segment record, or one segment of a multi-segment record).
type segReader struct {
	hdr     *Header
	path    string // header path, for errors
	files   []*sigFile
	fileOf  []int // signal -> index in files, -1 when not stored
	nframes int64
}

// openSegment parses the header at path and opens its signal files.
func openSegment(path string) (*segReader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("wfdb: open header: %w", err)
	}
	defer f.Close()
	h, err := ParseHeader(path, f)
	if err != nil {
		return nil, err
	}
	return newSegReader(path, h, openOS)
}

func newSegReader(path string, h *Header, open opener) (*segReader, error) {
	files, where, err := openSigFiles(filepath.Dir(path), h, open)
	if err != nil {
		return nil, err
	}
	s := &segReader{hdr: h, path: path, files: files, fileOf: where}
	if err := s.setLength(); err != nil {
		closeFiles(files)
		return nil, err
	}
	return s, nil
}

// setLength takes the record length from the header, or from the shortest
// signal file when the header gives none, and checks that every file holds
// that many frames (a skewed signal may still run past the end).
func (s *segReader) setLength() error {
	if !s.hdr.HasLength {
		s.nframes = -1
		for _, sf := range s.files {
			if s.nframes < 0 || sf.frames < s.nframes {
				s.nframes = sf.frames
			}
		}
		s.nframes = max(s.nframes, 0)
		return nil
	}
	s.nframes = s.hdr.NSamples
	for _, sf := range s.files {
		if sf.frames < s.nframes {
			need := sf.byteOffset + (s.nframes*int64(sf.frameSize)+int64(sf.fm.groupSamples)-1)/
				int64(sf.fm.groupSamples)*int64(sf.fm.groupBytes)
			return offsetErr(sf.path, -1, ErrTruncated,
				"file holds %d frames, header %s says %d (%d bytes needed)", sf.frames, s.path, s.nframes, need)
		}
	}
	return nil
}

func (s *segReader) close() error { return closeFiles(s.files) }

// readRaw decodes frames [f0, f0+n) of every signal at its own rate:
// dst[i] must hold n*SampsPerFrame samples of signal i. Samples not stored
// read as InvalidSample. The caller keeps [f0, f0+n) within the segment.
func (s *segReader) readRaw(dst [][]int32, f0 int64, n int) error {
	for i, k := range s.fileOf {
		if k < 0 {
			fill(dst[i][:n*s.hdr.Signals[i].SampsPerFrame], InvalidSample)
		}
	}
	for _, sf := range s.files {
		if err := sf.readFrames(dst, f0, n); err != nil {
			return err
		}
	}
	return nil
}

func fill(dst []int32, v int32) {
	for i := range dst {
		dst[i] = v
	}
}

// readFrames decodes this file's share of frames [f0, f0+n) into dst,
// applying each signal's skew.
func (sf *sigFile) readFrames(dst [][]int32, f0 int64, n int) error {
	lo := f0 + int64(sf.minSkew)
	hi := min(f0+int64(n)+int64(sf.maxSkew), sf.frames)
	var buf []int32
	if hi > lo {
		bp := getInts(int((hi - lo) * int64(sf.frameSize)))
		defer putInts(bp)
		buf = *bp
		if err := sf.readDecoded(buf, lo); err != nil {
			return err
		}
	}
	for j, sig := range sf.sigs {
		first := f0 + int64(sf.skew[j]) // file frame of dst frame 0
		valid := int(max(0, min(int64(n), hi-first)))
		sf.scatter(dst[sig][:valid*sf.spf[j]], buf, int(first-lo), j)
		fill(dst[sig][valid*sf.spf[j]:n*sf.spf[j]], InvalidSample)
	}
	return nil
}

// scatter copies signal j's samples out of the interleaved frames in buf,
// starting at frame `from` of buf.
func (sf *sigFile) scatter(out, buf []int32, from, j int) {
	F, spf := sf.frameSize, sf.spf[j]
	at := from*F + sf.offs[j]
	if spf == 1 {
		if F == 1 {
			copy(out, buf[at:])
			return
		}
		for t := range out {
			out[t] = buf[at]
			at += F
		}
		return
	}
	for t := 0; t < len(out); t += spf {
		copy(out[t:t+spf], buf[at:at+spf])
		at += F
	}
}

// readDecoded fills buf with the sample values of whole frames starting at
// frame lo, turning format 8 differences into values.
func (sf *sigFile) readDecoded(buf []int32, lo int64) error {
	if !sf.fm.diff {
		return sf.readSamples(buf, lo*int64(sf.frameSize))
	}
	state, err := sf.checkpoints.stateAt(sf, lo)
	if err != nil {
		return err
	}
	if err := sf.readSamples(buf, lo*int64(sf.frameSize)); err != nil {
		return err
	}
	sf.accumulate(buf, state)
	return nil
}

// accumulate turns the first differences in buf (whole frames) into values,
// starting from the running values in state, which it advances.
func (sf *sigFile) accumulate(buf []int32, state []int32) {
	for f := 0; f+sf.frameSize <= len(buf); f += sf.frameSize {
		for j := range sf.sigs {
			v := state[j]
			for k := sf.offs[j]; k < sf.offs[j]+sf.spf[j]; k++ {
				v += buf[f+k]
				buf[f+k] = v
			}
			state[j] = v
		}
	}
}
