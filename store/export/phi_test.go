package export

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/store/archive"
	"github.com/ecgstation/ecgstation/store/ishne"
)

// phiStrings are the identifying values put into the record headers.
var phiStrings = []string{"Zebulon", "Quaxworth", "PID77777", "MCH-0234567", "02-MAY-1951", "1951-05-02",
	"29.07.31", "1931-07-29", "02-MAR-2002", "2002-03-02", "02.03.02", "13.14.15", "13:14:15", "EMR99"}

// TestNoPHIInExports writes an EDF+ and an ISHNE file whose headers hold a
// patient's name, id, birth date and the recording date, imports labels,
// exports every format and a bundle, and looks for each of those strings
// in every byte written, as ASCII and as numpy's UTF-32 (the unicode
// arrays), gzip bundles decompressed, and the archive's CSV tables.
func TestNoPHIInExports(t *testing.T) {
	dir := t.TempDir()
	db := openDB(t, dir)
	start := time.Date(2002, 3, 2, 13, 14, 15, 0, time.UTC)
	edfPath := filepath.Join(dir, "rec1.edf")
	writeEDF(t, edfPath, 250, 20, "MCH-0234567 M 02-MAY-1951 Zebulon_Quaxworth", "Startdate 02-MAR-2002 EMR99 X X", start)
	ishPath := filepath.Join(dir, "rec2.ecg")
	writeISHNE(t, ishPath, 200, 4000, ishne.Patient{FirstName: "Zebulon", LastName: "Quaxworth", ID: "PID77777", Sex: 1,
		BirthDate: ishne.Date{Day: 29, Month: 7, Year: 1931}}, ishne.Date{Day: 2, Month: 3, Year: 2002}, ishne.Clock{Hour: 13, Minute: 14, Second: 15})
	for _, p := range []string{edfPath, ishPath} {
		var ls annotate.LabelSet
		for s := int64(300); s < 3500; s += 190 {
			ls.Beats = append(ls.Beats, readerBeat(s, annotate.Normal, "alice"))
		}
		putLabels(t, db, p, "alice", ls)
	}
	for _, p := range []string{edfPath, ishPath} { // the check does see them
		if b, _ := os.ReadFile(p); len(phiIn(b)) < 3 {
			t.Fatalf("%s: the test's PHI strings are not in the record file: %q", p, phiIn(b))
		}
	}
	out := filepath.Join(dir, "out")
	o := DefaultOptions()
	o.Formats = []string{"npz", "csv", "wfdb"}
	if _, err := Export(db, out, o); err != nil {
		t.Fatal(err)
	}
	var bundle bytes.Buffer
	if _, err := WriteBundle(db, &bundle, BundleOptions{Now: testNow}); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(out, "*"))
	if len(files) < 7 {
		t.Fatalf("export wrote only %v", files)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		checkNoPHI(t, filepath.Base(f), b)
	}
	gz, err := gzip.NewReader(&bundle)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(gz)
	checkNoPHI(t, "bundle", raw)
	checkArchiveNoPHI(t, db)
}

// checkArchiveNoPHI writes the archive's three tidy CSV tables of db and
// looks for the headers' patient data in them.
func checkArchiveNoPHI(t *testing.T, db *store.DB) {
	t.Helper()
	rows, segs, errs := archive.Summarise(db, archive.Options{SegmentLen: 5 * time.Second}, nil)
	if len(errs) > 0 || len(rows) != 2 || len(segs) == 0 {
		t.Fatalf("archive: %d rows, %d segments, %v", len(rows), len(segs), errs)
	}
	var b bytes.Buffer
	for _, err := range []error{archive.WriteRecordsCSV(&b, rows), archive.WriteSegmentsCSV(&b, segs), archive.WriteLeadNoiseCSV(&b, segs)} {
		if err != nil {
			t.Fatal(err)
		}
	}
	checkNoPHI(t, "archive CSV tables", b.Bytes())
}

func checkNoPHI(t *testing.T, name string, b []byte) {
	t.Helper()
	if found := phiIn(b); len(found) > 0 {
		t.Errorf("%s contains %q", name, found)
	}
}

func phiIn(b []byte) []string {
	var found []string
	for _, s := range phiStrings {
		if bytes.Contains(b, []byte(s)) || bytes.Contains(b, utf32(s)) {
			found = append(found, s)
		}
	}
	return found
}

func utf32(s string) []byte {
	var b []byte
	for _, r := range s {
		b = binary.LittleEndian.AppendUint32(b, uint32(r))
	}
	return b
}
