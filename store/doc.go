// Package store keeps ECG Station's labels in a bbolt database file and
// reads and writes record files (sub-packages wfdb, edf, ishne).
//
// # The label database
//
// One bbolt file holds every record a laptop has seen, every reader's label
// set of it, the model's suggestions, and an append-only audit log from
// which each label set's undo and redo history is replayed. DB implements
// annotate.Repository: an annotate.Session commits each accepted reader
// command through DB.Commit in one bbolt Update (one fsync pair) before the
// command counts as done.
//
// The bucket tree (schema version 3). Integers in keys are big-endian so
// that bbolt's byte order is numeric order and Cursor.Seek(sampleKey(t0))
// answers "the beats from t0 on"; values are JSON where they are small and
// read rarely, and a compact binary form where there are 100,000 of them or
// where every edit writes one.
//
//	meta/                          bucket
//	  app      = "ecgstation labels"        marks the file as ours
//	  schema   = u64 BE                     schema version (SchemaVersion)
//	paths/                         bucket (schema 2)
//	  <record path> = <record id>           last known path -> record id
//	records/                       bucket
//	  <record id>/                 bucket per record; id = hex SHA-256 of the content
//	    info   = JSON {"path", "info": annotate.RecordInfo, "added", "seen",
//	                   "settings": {"adapter_off", "shown_leads", "model_leads"}}
//	                                        settings: RecordSettings, omitted when default
//	    model/                     the model layer: what the models suggested
//	      layer     = JSON {"rev": u64, "status": annotate.Status}
//	      blocks/   <first sample u64 BE> = beat block   (schema 3; up to 512 beats)
//	      episodes/ <id u64 BE>     = episode value (IDs 1..n in output order)
//	      noise/    <id u64 BE>     = noise value
//	    staging/                   only while a ModelWriter writes a new model layer
//	      model/                   laid out as model/ above; moved into its place at Commit
//	    readers/
//	      <reader id>/             one reader's label set, as of its head's "folded"
//	        beats/    <sample u64 BE> = beat value        live beats only
//	        deleted/  <sample u64 BE> = <reader id>       beats a reader deleted
//	        episodes/ <id u64 BE>     = episode value     tombstones: deleted = 1
//	        noise/    <id u64 BE>     = noise value       tombstones: deleted = 1
//	audit/                         bucket (schema 3): every record's log and heads
//	  <record id: 32 bytes> 'a' <seq u64 BE> = audit entry  append-only; seq from 1
//	  <record id: 32 bytes> 'h' <reader id>  = head         one per reader
//
// A record's newest audit entry and its readers' heads are neighbours in
// key order, so the commit of a small reader command, which writes just
// those two values, dirties one leaf page of one top-level bucket (with its
// branch pages): about as much as a bare bbolt Update of one Put. Its diff
// lives only in the audit entry (it is journalled) until a later commit
// folds the reader's journalled diffs into readers/<reader id>/: a merge,
// a seed, a command of more than 64 label changes, or the commit that
// brings the journal to 256 entries. Reads lay the journalled diffs after
// the head's "folded" seq over the buckets.
//
// The models' output comes whole (DB.SaveModelOutput, a full merge), which
// writes the model layer afresh, or a region at a time (a pipeline chunk,
// a re-classification after an edit: annotate.ModelRegion, in a merge
// commit or DB.SaveModelRegion), which rewrites only the blocks holding
// beats of the region (so a block may hold fewer beats) and, when the
// region names them, deletes the episodes and noise starting in it and
// adds the new ones under the next IDs (so the IDs may have gaps; the
// layer reads back in ID order).
// A long record's output that comes chunk by chunk in sample order goes
// through a ModelWriter: its blocks are written a few thousand beats per
// transaction into staging/model/, and the finished layer replaces model/
// in one transaction (bbolt's MoveBucket), the same layer SaveModelOutput
// writes, without the whole output in memory.
//
// Binary values (varint = encoding/binary's zig-zag varint, uvarint its
// unsigned one; f32 = IEEE 754 little-endian; str = uvarint length, bytes;
// opt X = u8 0, or u8 1 and an X; time = u8 0 for the zero time, or u8 1,
// Unix seconds varint, nanoseconds uvarint, zone offset seconds varint):
//
//	provenance = source u8 | confidence f32 | who str | probs (uvarint n, n x f32)
//	beat       = code u8 | chan i8 | flags u8 | review u8 | provenance
//	episode    = start varint | end varint | deleted u8 | review u8
//	             | rhythm str | provenance
//	noise      = start varint | end varint | lead varint | deleted u8
//	             | reason str | provenance
//	beat block = 01 | n uvarint | who table (uvarint m, m x str)
//	             | n x (delta uvarint | code u8 | chan i8 | flags u8 | review u8
//	                    | source u8 | confidence f32 | who index uvarint
//	                    | probs (uvarint k, k x f32))
//	             delta: sample minus the previous beat's; the first beat is
//	             at the key's sample (delta 0)
//	head       = 01 | rev uvarint | folded uvarint | pending uvarint
//	             | undo uvarint | redo uvarint | status
//	status     = state u8 | by str | at time
//	audit entry = 01 | kind str | who str | when time | action str | note str
//	             | why str | opt diff          (schema 2 wrote JSON AuditEntry)
//	diff       = beats    uvarint n, n x (sample varint | opt beat | opt beat)
//	             | tombs    uvarint n, n x (sample varint | opt str | opt str)
//	             | episodes uvarint n, n x (id uvarint | opt episode | opt episode)
//	             | noise    uvarint n, n x (id uvarint | opt noise | opt noise)
//	             | opt (status | status)       each change: before, then after
//
// In a head, rev is the label-set revision (commits so far), folded the
// audit seq up to which the reader's buckets hold every change, pending the
// number of the reader's journalled entries after it, undo and redo the
// stack depths (checked against the replay at every Load).
//
// For example the model beat N at sample 370 with confidence 0.5 from
// "beatnet@1" and no probabilities has the beat value
//
//	01 00 00 00  02  00 00 00 3f  09 "beatnet@1"  00
//
// and, alone in its block, is stored under key 00 00 00 00 00 00 01 72 as
//
//	01  01  01 09 "beatnet@1"  00  01 00 00 00  02  00 00 00 3f  00  00
//
// Each label carries its provenance (annotate.Source: model, detector,
// reader, propagated or reference; who: "name@version" or the reader id;
// the model's class probabilities) and review state (unreviewed, confirmed,
// changed). A reader's label set starts as the model layer merged in (or
// another reader's labels, for an unblinded second read), so a blinded
// second reader never sees another reader's labels.
//
// The audit log records who, when, the action and the reader's reason,
// and for reader commands, undos and redos the value before and after of
// every label touched. The undo and redo stacks are a function of those
// entries (annotate.MoveStacks replayed in order), so they survive a
// restart without being stored twice.
//
// # Schema versions
//
// meta/schema holds the version; migrations lists the steps in order and
// OpenDB runs the missing ones in one transaction. Version 1 made meta and
// records; version 2 added paths; version 3 moved each record's audit
// bucket (records/<id>/audit/<seq>, JSON entries, kept as they are) into
// the top-level audit bucket, replaced readers/<id>/layer and the
// readers/<id>/undo and redo buckets by heads, and model/beats (one key per
// beat) by model/blocks. A file with a newer version is refused
// (ErrDBNewer) and never written.
//
// # Bad files
//
// OpenDB first opens an existing file read-only, which writes nothing, and
// checks it: a damaged file (bad meta pages, truncated) gives ErrDBCorrupt,
// a newer schema ErrDBNewer, a bbolt file of another program ErrNotDB, a
// file another running instance holds (bbolt's flock, waited for
// DBOptions.LockTimeout) ErrDBLocked. None of them is truncated or rewritten.
// A file without write permission opens read-only and DB.ReadOnly says why.
//
// A damaged page (random bytes, zeros, another page's copy) makes bbolt
// panic, or fault on a page number past the mapped file, when a
// transaction meets it. OpenDB walks every page of a file of up to
// checkOnOpenMax bytes first, with a reader of its own that checks every
// offset (pages.go), and refuses a damaged one; in a bigger file the
// transaction that meets the damage finds it. Every transaction runs in
// view or update, which recover the panic (and the fault) into a
// DamageError: it wraps ErrDBCorrupt, says what was being done, what is
// wrong, and to run "ecgstation db check" and "db salvage". A panic inside
// Update rolls the transaction back, so nothing is committed, and from the
// first damage on the DB refuses every write (DB.Damaged).
//
// CheckDB reads a file without writing: the page walk (which pages are
// damaged, in which bucket), then every record, label set and audit entry
// through the same read paths the window and the exports use. Salvage
// copies every label set that reads whole (the model layer; a reader's
// buckets, head and audit entries, so its undo history and journal come
// along) into a new file and reads each back to compare; the edit entries
// of a lost label set are left out, since they would give a new label set
// of that reader a wrong undo history.
package store
