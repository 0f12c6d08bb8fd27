package archive_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/store/archive"
)

// TestRowStateIsTheShownSets: when another reader signs a record off, the
// row whose figures come from my labels still says my labels' state and
// me, not "signed off" by them.
func TestRowStateIsTheShownSets(t *testing.T) {
	db, recs := buildArchive(t)
	c := recs[2] // ana's labels, in progress
	s, err := annotate.Open(db, c.id, annotate.Options{Reader: "bo"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SignOff(""); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		me     annotate.ReaderID
		state  annotate.State
		reader string
	}{
		{"ana", annotate.StateInProgress, "ana"},
		{"bo", annotate.StateSignedOff, "bo"},
		{"", annotate.StateSignedOff, "bo"}, // report's pick: the set signed off
	} {
		row := rowOf(t, db, archive.Options{Me: tc.me}, "c")
		if row.State != tc.state || row.Reader != tc.reader || string(row.LabelSet) != tc.reader {
			t.Errorf("me %q: state %v, reader %q, labels of %q; want %v, %q", tc.me, row.State, row.Reader, row.LabelSet, tc.state, tc.reader)
		}
	}
}

// TestAgreementNeedsACompleteRun: once the record's model leads change,
// its model layer is no complete run on them, and agreement against it
// is left out rather than counting the beats it never reached as
// disagreements.
func TestAgreementNeedsACompleteRun(t *testing.T) {
	db, recs := buildArchive(t)
	if row := rowOf(t, db, archive.Options{}, "c"); row.AgreePairs == 0 {
		t.Fatal("no agreement before the lead change")
	}
	if err := db.UpdateRecordSettings(recs[2].id, "ana", func(s *store.RecordSettings) { s.ModelLeads = []int{1} }); err != nil {
		t.Fatal(err)
	}
	if row := rowOf(t, db, archive.Options{}, "c"); row.AgreePairs != 0 || row.AgreePct == row.AgreePct {
		t.Errorf("after the model leads changed: %d pairs, %v%% agreement; want none", row.AgreePairs, row.AgreePct)
	}
}

// TestSameNamesAreNotOnePatient: two records named "day1" in different
// folders are two patients, and a devices CSV row naming "day1" names
// neither (only its path or id would).
func TestSameNamesAreNotOnePatient(t *testing.T) {
	db, recs := buildArchive(t)
	info := recs[1].info
	info.Name = "a" // record b's labels under a's name, in another folder
	id := annotate.RecordID(strings.Repeat("ab", 32))
	if err := db.PutRecord(id, filepath.Join("/archive", "devC", "a"), info); err != nil {
		t.Fatal(err)
	}
	dev, err := archive.ParseDevices(strings.NewReader("record,device\na,holter-1\n/archive/devC/a,holter-2\n"))
	if err != nil {
		t.Fatal(err)
	}
	rows, _, errs := archive.Summarise(db, archive.Options{Devices: dev}, nil)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	patients := map[string]string{}
	for _, r := range rows {
		if r.Name == "a" {
			patients[r.Path] = r.Patient + " " + r.Device
		}
	}
	want := map[string]string{
		"/archive/devA/a": "a-" + string(recs[0].id)[:8] + " devA",
		"/archive/devC/a": "a-abababab holter-2",
	}
	if len(patients) != 2 || patients["/archive/devA/a"] != want["/archive/devA/a"] || patients["/archive/devC/a"] != want["/archive/devC/a"] {
		t.Errorf("patients and devices %v, want %v", patients, want)
	}
}

// rowOf returns the row of record name.
func rowOf(t *testing.T, db *store.DB, opt archive.Options, name string) archive.Row {
	t.Helper()
	rows, _, errs := archive.Summarise(db, opt, nil)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	for _, r := range rows {
		if r.Name == name {
			return r
		}
	}
	t.Fatalf("no row %q", name)
	return archive.Row{}
}
