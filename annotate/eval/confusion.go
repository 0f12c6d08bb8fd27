package eval

import (
	"cmp"
	"errors"
	"fmt"
	"slices"

	"github.com/ecgstation/ecgstation/annotate"
)

// Errors of the confusion matrix and model A/B.
var (
	ErrNoRecords = errors.New("eval: no records")
	ErrRecord    = errors.New("eval: bad record")
)

// Scheme says how beats are labelled in a Confusion.
type Scheme uint8

// The schemes.
const (
	SchemeAAMI Scheme = iota // AAMI EC57 classes N S V F Q
	SchemeMIT                // MIT-BIH symbols N L R A a J V E F / f Q ...
)

// NoPartner is the row or column label of a beat with no partner (bxb's O).
const NoPartner = "O"

// ConfusionOptions set a Confusion.
type ConfusionOptions struct {
	Scheme Scheme
	// Whole scores whole records, learning period included (not EC57).
	Whole bool
	// OwnedOnly leaves out pairs whose reader beat is still a model or
	// detector suggestion no reader looked at (annotate.ReaderOwned false),
	// so unreviewed parts of a label set do not count as agreement: the
	// cells, the EC57 matrix, the per-class table and each Result count
	// only the pairs kept (RecordLabels.AllOwned keeps all of a record).
	OwnedOnly bool
}

// RecordLabels are one record's labels to compare: a model against readers.
type RecordLabels struct {
	ID   annotate.RecordID
	Name string
	Info annotate.RecordInfo // Fs and NSamples set the EC57 options
	// Reader holds the reference labels: beats sorted by sample, with
	// the non-beat annotations eval needs ('[' and ']' around VF).
	Reader []annotate.Beat
	// Model holds the test beats sorted by sample, with the model's
	// confidence in their provenance.
	Model []annotate.Beat
	// Reference names whose labels Reader holds, for display.
	Reference string
	// AllOwned counts every reader beat as the reader's own under
	// OwnedOnly: the reader signed the whole label set off.
	AllOwned bool
}

// BeatRef is one pair of a confusion cell: where it is and both labels.
type BeatRef struct {
	Record annotate.RecordID
	Name   string // record name, for display
	Sample int64  // the reader's beat, or the model's when the reader has none
	// Reader and Model are the two labels; annotate.NotQRS where that
	// side has no beat (an extra model beat, a missed reader beat).
	Reader, Model annotate.Code
	ModelSample   int64   // the model's beat (equal to Sample when it has none)
	Confidence    float32 // the model's probability of its label, 0 without
	// ModelIndex is the model beat's index in RecordLabels.Model, -1 without.
	ModelIndex int
}

// Cell is one cell of a Confusion.
type Cell struct {
	Row, Col string
	Beats    []BeatRef // sorted by Confidence, highest first
}

// ClassStat is one line of the per-class table.
type ClassStat struct {
	Class        string
	TP, FN, FP   int64
	Se, PP, F1   float64 // percent
	SeOK, PPOK   bool    // whether Se and +P are defined
	F1OK         bool
	Reference    int64 // reader beats of the class (row total, O column included)
	ModelLabeled int64 // model beats of the class (column total)
}

// Confusion is the confusion matrix of a model against readers over
// records, every cell listing its pairs (the model error browser).
type Confusion struct {
	Scheme     Scheme
	Rows, Cols []string
	Cells      [][]Cell // [row][col]
	EC57       Matrix
	PerClass   []ClassStat // N S V F Q
	Results    []*Result
	References []string // RecordLabels.Reference of each of Results
	Options    ConfusionOptions
	Unowned    int                                       // pairs left out by OwnedOnly
	Info       map[annotate.RecordID]annotate.RecordInfo // of each record compared
}

// Cell returns the cell of row and column labels r and c, and whether the
// matrix has it.
func (m *Confusion) Cell(r, c string) (*Cell, bool) {
	i, j := slices.Index(m.Rows, r), slices.Index(m.Cols, c)
	if i < 0 || j < 0 {
		return nil, false
	}
	return &m.Cells[i][j], true
}

// Count returns the number of beats in cell (r, c).
func (m *Confusion) Count(r, c string) int {
	if cell, ok := m.Cell(r, c); ok {
		return len(cell.Beats)
	}
	return 0
}

// ConfusionOf compares the model beats of recs with the reader beats:
// Compare on each record, and every pair it counts laid out in cells.
func ConfusionOf(recs []RecordLabels, opt ConfusionOptions) (*Confusion, error) {
	if len(recs) == 0 {
		return nil, ErrNoRecords
	}
	m := &Confusion{Scheme: opt.Scheme, Options: opt, Info: map[annotate.RecordID]annotate.RecordInfo{}}
	var refs []BeatRef
	for i := range recs {
		r := &recs[i]
		o, err := recordOptions(r, opt.Whole)
		if err != nil {
			return nil, err
		}
		res, err := Compare(r.Name, FromBeats(r.Reader), FromBeats(r.Model), o)
		if err != nil {
			return nil, err
		}
		refs = append(refs, m.keep(r, res)...)
		m.EC57.Add(&res.Matrix)
		m.Results, m.References = append(m.Results, res), append(m.References, r.Reference)
		m.Info[r.ID] = r.Info
	}
	m.build(refs)
	m.PerClass = perClass(&m.EC57)
	return m, nil
}

// keep returns the cell beats of res's pairs. With OwnedOnly it drops the
// pairs whose reader beat is not the reader's own and recounts res's matrix
// from the pairs kept, so the Se/+P table counts what the cells show.
func (m *Confusion) keep(r *RecordLabels, res *Result) []BeatRef {
	var refs []BeatRef
	var pairs []Pair
	var mat Matrix
	for _, p := range res.Pairs {
		b, owned := r.ref(p)
		if m.Options.OwnedOnly && !owned {
			m.Unowned++
			continue
		}
		refs, pairs = append(refs, b), append(pairs, p)
		mat[p.RefLabel][p.TestLabel]++
	}
	res.Pairs, res.Matrix = pairs, mat
	return refs
}

// ref turns a pair of Compare into a cell beat with its labels, and
// whether its reader beat is the reader's own.
func (r *RecordLabels) ref(p Pair) (BeatRef, bool) {
	b := BeatRef{Record: r.ID, Name: r.Name, Sample: p.Ref, ModelSample: p.Test, ModelIndex: p.TestIndex}
	owned := true
	if p.RefIndex >= 0 {
		rb := r.Reader[p.RefIndex]
		b.Reader, owned = rb.Code, r.AllOwned || annotate.ReaderOwned(rb.Prov, rb.Review)
	}
	if p.TestIndex >= 0 {
		mb := r.Model[p.TestIndex]
		b.Model, b.Confidence = mb.Code, mb.Prov.Confidence
	}
	return b, owned
}

// build lays refs out in cells.
func (m *Confusion) build(refs []BeatRef) {
	key := labelAAMI
	if m.Scheme == SchemeMIT {
		key = labelMIT
	}
	rows, cols := map[string]bool{}, map[string]bool{}
	for _, r := range refs {
		rows[key(r.Reader)], cols[key(r.Model)] = true, true
	}
	m.Rows, m.Cols = m.order(rows), m.order(cols)
	m.Cells = make([][]Cell, len(m.Rows))
	for i, r := range m.Rows {
		m.Cells[i] = make([]Cell, len(m.Cols))
		for j, c := range m.Cols {
			m.Cells[i][j] = Cell{Row: r, Col: c}
		}
	}
	for _, r := range refs {
		i, j := slices.Index(m.Rows, key(r.Reader)), slices.Index(m.Cols, key(r.Model))
		m.Cells[i][j].Beats = append(m.Cells[i][j].Beats, r)
	}
	for i := range m.Cells {
		for j := range m.Cells[i] {
			SortByConfidence(m.Cells[i][j].Beats)
		}
	}
}

// SortByConfidence sorts beats by model confidence, highest first (the
// model's surest mistakes first), then by record and sample.
func SortByConfidence(b []BeatRef) {
	slices.SortStableFunc(b, func(x, y BeatRef) int {
		return cmp.Or(cmp.Compare(y.Confidence, x.Confidence), cmp.Compare(x.Name, y.Name), cmp.Compare(x.Sample, y.Sample))
	})
}

func labelAAMI(c annotate.Code) string {
	if k := c.Class(); k != annotate.ClassNone {
		return k.String()
	}
	return NoPartner
}

func labelMIT(c annotate.Code) string {
	if c.Class() == annotate.ClassNone {
		return NoPartner
	}
	return c.Symbol()
}

// order sorts labels: AAMI in report order, MIT by AAMI class then
// symbol; NoPartner last.
func (m *Confusion) order(set map[string]bool) []string {
	var out []string
	for _, k := range annotate.Classes {
		if m.Scheme == SchemeAAMI {
			out = append(out, k.String())
		}
	}
	if m.Scheme == SchemeMIT {
		for c := annotate.Code(1); c <= annotate.MaxCode; c++ {
			if c.Class() != annotate.ClassNone && set[c.Symbol()] {
				out = append(out, c.Symbol())
			}
		}
		slices.SortStableFunc(out, func(a, b string) int {
			ca, _ := annotate.ParseSymbol(a)
			cb, _ := annotate.ParseSymbol(b)
			return cmp.Compare(ca.Class(), cb.Class())
		})
	}
	return append(out, NoPartner)
}

// perClass returns the AAMI Se, +P and F1 of each class from m.
func perClass(m *Matrix) []ClassStat {
	var out []ClassStat
	for k := LabelN; k <= LabelQ; k++ {
		c := m.Class(k)
		s := ClassStat{Class: k.String(), TP: c.TP, FN: c.FN, FP: c.FP}
		s.Se, s.SeOK = c.Se()
		s.PP, s.PPOK = c.PP()
		if s.SeOK && s.PPOK && s.Se+s.PP > 0 {
			s.F1, s.F1OK = 2*s.Se*s.PP/(s.Se+s.PP), true
		}
		for j := LabelN; j <= LabelX; j++ {
			s.Reference += m[k][j]
			s.ModelLabeled += m[j][k]
		}
		out = append(out, s)
	}
	return out
}

// recordOptions returns the EC57 options of r (the whole record when whole).
func recordOptions(r *RecordLabels, whole bool) (Options, error) {
	if !(r.Info.Fs > 0) {
		return Options{}, fmt.Errorf("%w %s: fs %v", ErrRecord, r.Name, r.Info.Fs)
	}
	o := DefaultOptions(r.Info.Fs, r.Info.NSamples)
	if whole {
		o = o.WholeRecord()
	}
	if o.End > 0 && o.End < o.Start {
		o.Start = 0 // a record shorter than the learning period is scored whole
	}
	return o, nil
}
