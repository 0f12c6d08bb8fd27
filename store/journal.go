package store

import (
	"bytes"
	"fmt"

	"github.com/ecgstation/ecgstation/annotate"
)

// A reader's small commit is journalled: its diff goes into the audit
// entry only, and the reader's label buckets catch up later (fold). So one
// edit writes one append-only audit entry and the reader's head, a few
// pages, instead of the beat's leaf and branch pages, an undo entry and
// the layer metadata in five nested buckets.
const (
	// journalMax is the most label changes a commit may have and still be
	// journalled; a bigger one (a cluster relabel) is applied at once.
	journalMax = 64
	// foldAt is how many journalled entries a reader may have before the
	// commit that reaches it folds them into the label buckets, which
	// bounds what every read has to lay over the buckets.
	foldAt = 256
)

// editKind reports whether an audit kind is a reader command, undo or
// redo: the entries that carry a diff and move the undo stacks.
func editKind(kind string) bool {
	return kind == "do" || kind == "undo" || kind == "redo"
}

// diffSize is the number of label changes in d.
func diffSize(d annotate.Diff) int {
	return len(d.Beats) + len(d.Tombs) + len(d.Episodes) + len(d.Noise)
}

// walkEdits calls fn, in order, with every audit entry of the record after
// seq from that is a command, undo or redo of reader. It decodes only the
// kind and who of other entries.
func walkEdits(r recTx, reader annotate.ReaderID, from uint64, fn func(AuditEntry) error) error {
	c, p := r.log.Cursor(), r.auditPrefix()
	for k, v := c.Seek(r.auditKey(from + 1)); bytes.HasPrefix(k, p); k, v = c.Next() {
		k = k[len(p):]
		kind, who, err := auditWho(k, v)
		if err != nil {
			return err
		}
		if who != string(reader) || !editKind(kind) {
			continue
		}
		a, err := decodeAudit(k, v)
		if err != nil {
			return err
		}
		if a.Diff == nil {
			return fmt.Errorf("%w: audit entry %d (%s) has no diff", ErrDBCorrupt, a.Seq, kind)
		}
		if err := fn(a); err != nil {
			return err
		}
	}
	return nil
}

// pendingDiffs returns the diffs of reader's journalled entries, oldest
// first: what its label buckets do not hold yet.
func pendingDiffs(r recTx, reader annotate.ReaderID, h head) ([]annotate.Diff, error) {
	if h.Pending == 0 {
		return nil, nil
	}
	ds := make([]annotate.Diff, 0, h.Pending)
	err := walkEdits(r, reader, h.Folded, func(a AuditEntry) error {
		ds = append(ds, *a.Diff)
		return nil
	})
	if err == nil && uint64(len(ds)) != h.Pending {
		err = fmt.Errorf("%w: %s has %d journalled edits, its head says %d", ErrDBCorrupt, reader, len(ds), h.Pending)
	}
	return ds, err
}

// fold writes reader's journalled diffs into its label buckets, so that
// they hold every change up to the audit log's last entry.
func fold(r recTx, reader annotate.ReaderID, h *head) error {
	ds, err := pendingDiffs(r, reader, *h)
	if err != nil {
		return err
	}
	if len(ds) > 0 {
		lb, err := createLayer(r.rb, reader)
		if err != nil {
			return err
		}
		for _, d := range ds {
			if err := applyDiff(lb, d); err != nil {
				return err
			}
		}
	}
	h.Folded, h.Pending = r.lastSeq(), 0
	return nil
}

// history replays reader's whole audit log into its undo and redo stacks
// (annotate.MoveStacks: the stacks are a function of the commits) and
// returns them with the journalled diffs after h.Folded.
func history(r recTx, reader annotate.ReaderID, h head) (undo, redo []annotate.Entry, pending []annotate.Diff, err error) {
	err = walkEdits(r, reader, 0, func(a AuditEntry) error {
		c := annotate.Commit{Kind: commitKind(a.Kind), Edit: annotate.Edit{Action: a.Action, Note: a.Note, Why: a.Why},
			Diff: *a.Diff, When: a.When}
		var err error
		if undo, redo, err = annotate.MoveStacks(c, undo, redo); err != nil {
			return fmt.Errorf("%w: audit entry %d: %v", ErrDBCorrupt, a.Seq, err)
		}
		if a.Seq > h.Folded {
			pending = append(pending, *a.Diff)
		}
		return nil
	})
	if err == nil && (uint64(len(undo)) != h.Undo || uint64(len(redo)) != h.Redo || uint64(len(pending)) != h.Pending) {
		err = fmt.Errorf("%w: %s's audit log gives undo/redo/journal %d/%d/%d, its head says %d/%d/%d",
			ErrDBCorrupt, reader, len(undo), len(redo), len(pending), h.Undo, h.Redo, h.Pending)
	}
	return undo, redo, pending, err
}

// commitKind is the inverse of annotate.CommitKind.String for the kinds an
// audit entry of a reader can have.
func commitKind(s string) annotate.CommitKind {
	for k := annotate.CommitDo; k <= annotate.CommitSeed; k++ {
		if k.String() == s {
			return k
		}
	}
	return annotate.CommitMerge
}
