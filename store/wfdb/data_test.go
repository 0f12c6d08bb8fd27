package wfdb

import (
	"bytes"
	"errors"
	"github.com/ecgstation/ecgstation/store/ecgdata"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestVerifyMITDB checks all 48 MIT-BIH records against their headers'
// initial values and checksums (the reference values are the header's own).
func TestVerifyMITDB(t *testing.T) {
	dir := ecgdata.Dir(t, "mitdb", "")
	heas, _ := filepath.Glob(filepath.Join(dir, "*.hea"))
	if len(heas) != 48 {
		t.Fatalf("found %d mitdb headers, want 48", len(heas))
	}
	for _, h := range heas {
		r, err := Open(h)
		if err != nil {
			t.Errorf("%s: %v", h, err)
			continue
		}
		if err := r.Verify(); err != nil {
			t.Errorf("%s: %v", h, err)
		}
		r.Close()
	}
}

// badInit are made-up records (copies of test01_00s with 2 samples per
// frame for signal 1) whose last signal is the file's fourth channel: the
// header updated its checksum (65135) but kept the initial value of channel
// 3 (-57), while the stored first sample is channel 4's -66. Verify must
// report exactly that.
var badInit = map[string]bool{"test01_00s_frame": true, "test01_00s_skewframe": true}

func TestVerifyWFDBSamples(t *testing.T) {
	dir := ecgdata.Dir(t, "wfdb-samples", "")
	heas := sampleHeaders(t, dir)
	var checked, skipped []string
	for _, h := range heas {
		name := strings.TrimSuffix(strings.TrimPrefix(h, dir+string(filepath.Separator)), ".hea")
		if why := skipReason(h); why != "" {
			skipped = append(skipped, name+": "+why)
			continue
		}
		checked = append(checked, name)
		verifySample(t, h, name)
	}
	t.Logf("verified %d records: %s", len(checked), strings.Join(checked, " "))
	t.Logf("skipped %d:\n  %s", len(skipped), strings.Join(skipped, "\n  "))
}

func verifySample(t *testing.T, h, name string) {
	r, err := Open(h)
	if err != nil {
		t.Errorf("%s: open: %v", name, err)
		return
	}
	defer r.Close()
	err = r.Verify()
	if !badInit[filepath.Base(name)] {
		if err != nil {
			t.Errorf("%s: %v", name, err)
		}
		return
	}
	want := &ChecksumError{Record: filepath.Base(name), Signal: 2, Name: "ECG_3", Field: "initial value", Want: -57, Got: -66}
	var ce *ChecksumError
	if !errors.As(err, &ce) || *ce != *want || err.Error() != want.Error() {
		t.Errorf("%s: Verify = %v, want only %v", name, err, want)
	}
}

// sampleHeaders lists the headers of records (not segments) in dir.
func sampleHeaders(t *testing.T, dir string) []string {
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".hea") {
			out = append(out, p)
		}
		return nil
	})
	sort.Strings(out)
	return out
}

// skipReason says why a record cannot be verified: a FLAC signal, or the
// first missing header or signal file (the sample set leaves out files of
// 4 MiB or more).
func skipReason(hea string) string {
	h, err := readHeaderFile(hea)
	if err != nil {
		return "header " + filepath.Base(hea) + " not in the sample set"
	}
	dir := filepath.Dir(hea)
	for _, s := range h.Signals {
		if s.File == "~" || s.Format == 0 {
			continue
		}
		if formatInfo(s.Format).flac {
			return "FLAC format " + fmtInt(int64(s.Format)) + " is not decoded"
		}
		if _, err := os.Stat(filepath.Join(dir, s.File)); err != nil {
			return "signal file " + s.File + " not in the sample set"
		}
	}
	for _, sg := range h.Segments {
		if sg.Name == "~" {
			continue
		}
		if why := skipReason(filepath.Join(dir, sg.Name+".hea")); why != "" {
			return "segment " + sg.Name + ": " + why
		}
	}
	return ""
}

// annotationExts are the MIT annotation files of wfdb-samples.
var annotationExts = []string{".atr", ".qrs", ".sqrs", ".gqrsh", ".gqrsl", ".wabp", ".wqrs", ".anI"}

// TestAnnotationsByteIdentical reads and rewrites every annotation file of
// mitdb and wfdb-samples and compares the bytes.
func TestAnnotationsByteIdentical(t *testing.T) {
	var files []string
	m, _ := filepath.Glob(filepath.Join(ecgdata.Dir(t, "mitdb", ""), "*.atr"))
	if len(m) != 48 {
		t.Fatalf("found %d mitdb .atr files, want 48", len(m))
	}
	files = append(files, m...)
	for _, ext := range annotationExts {
		s, _ := filepath.Glob(filepath.Join(ecgdata.Dir(t, "wfdb-samples", ""), "*"+ext))
		files = append(files, s...)
	}
	total := 0
	for _, f := range files {
		anns, err := ReadAnnotations(f)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		total += len(anns)
		want, _ := os.ReadFile(f)
		var buf bytes.Buffer
		if err := WriteAnnotations(&buf, anns); err != nil {
			t.Errorf("%s: write: %v", f, err)
		}
		if !bytes.Equal(buf.Bytes(), want) {
			t.Errorf("%s: rewritten bytes differ (%d vs %d bytes)", f, buf.Len(), len(want))
		}
	}
	t.Logf("%d files, %d annotations, all byte-identical", len(files), total)
}
