package store

import (
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
)

// TestReopenAudit: reopening a signed-off label set is in the record's
// audit log, stored and read back, with who, when, why and the status
// before (signed off) and after (in progress).
func TestReopenAudit(t *testing.T) {
	db, path := openTestDB(t)
	id := newRecord(t, db, 1, 5)
	at := time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)
	s, err := annotate.Open(db, id, annotate.Options{Reader: "ann", Now: func() time.Time { return at }})
	if err != nil {
		t.Fatal(err)
	}
	mustDo(t, s.SignOff("done"))
	mustDo(t, s.Reopen("missed a PVC"))
	db = reopen(t, db, path)
	var last AuditEntry
	for a, err := range db.Audit(id, 1) {
		if err != nil {
			t.Fatal(err)
		}
		last = a
	}
	if last.Action != annotate.ActReopen || last.Kind != "do" || last.Who != "ann" ||
		!last.When.Equal(at) || last.Why != "missed a PVC" || last.Diff == nil || last.Diff.Status == nil {
		t.Fatalf("last audit entry = %+v", last)
	}
	st := last.Diff.Status
	if st.Before.State != annotate.StateSignedOff || st.Before.By != "ann" || !st.Before.At.Equal(at) ||
		st.After.State != annotate.StateInProgress {
		t.Errorf("reopen status change %+v -> %+v, want signed off by ann -> in progress", st.Before, st.After)
	}
}
