package eval

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/synth"
)

// synthReader returns a 7-minute synthetic record's reference beats.
func synthReader(t testing.TB, seed uint64) (annotate.RecordInfo, []annotate.Beat) {
	t.Helper()
	c := synth.Default()
	c.Duration, c.Seed, c.Leads = 7*time.Minute, seed, 1
	c.PVC.PerHour, c.PAC.PerHour = 300, 200
	c.Noise = synth.NoiseConfig{}
	info, _, ann, err := synth.Record(c)
	if err != nil {
		t.Fatal(err)
	}
	return info, ann.Beats
}

// mutated is a model's beats made from the reader's with known mistakes
// after the learning period, and the confusion those mistakes must give.
type mutated struct {
	model  []annotate.Beat
	want   map[[2]string]int // AAMI (row, col) -> count
	toV    []int64           // reader samples of N beats called V
	toVMIT map[string]int    // MIT row -> count of those
}

func mutate(info annotate.RecordInfo, reader []annotate.Beat) mutated {
	start := Seconds(301, info.Fs)
	shift := Seconds(0.02, info.Fs)
	m := mutated{want: map[[2]string]int{}, toVMIT: map[string]int{}}
	for i, b := range reader {
		mb := b
		mb.Sample += shift
		mb.Prov = annotate.Provenance{Source: annotate.SourceModel, Confidence: float32(i%97) / 100}
		row := b.Code.Class().String()
		scored := b.Sample >= start
		switch {
		case scored && i%50 == 0: // missed
			m.want[[2]string{row, NoPartner}]++
			continue
		case scored && i%10 == 3 && b.Code.Class() == annotate.ClassN:
			mb.Code = annotate.PVC
			m.toV = append(m.toV, b.Sample)
			m.toVMIT[b.Code.Symbol()]++
		case scored && i%4 == 1 && b.Code.Class() == annotate.ClassV:
			mb.Code = annotate.Normal
		}
		if scored || b.Sample >= Seconds(300, info.Fs) {
			m.want[[2]string{row, mb.Code.Class().String()}]++
		}
		m.model = append(m.model, mb)
		if scored && i%60 == 7 && i+1 < len(reader) { // an extra beat halfway to the next
			m.model = append(m.model, annotate.Beat{Sample: (b.Sample + reader[i+1].Sample) / 2, Code: annotate.Normal,
				Prov: annotate.Provenance{Source: annotate.SourceModel, Confidence: 0.3}})
			m.want[[2]string{NoPartner, "N"}]++
		}
	}
	return m
}

func TestConfusionKnownAnswers(t *testing.T) {
	info, reader := synthReader(t, 3)
	mu := mutate(info, reader)
	rec := RecordLabels{ID: "r1", Name: "synth", Info: info, Reader: reader, Model: mu.model}
	m, err := ConfusionOf([]RecordLabels{rec}, ConfusionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"N", "S", "V", "F", "Q", NoPartner}; !slices.Equal(m.Rows, want) || !slices.Equal(m.Cols, want) {
		t.Fatalf("rows %v cols %v, want %v", m.Rows, m.Cols, want)
	}
	for i, r := range m.Rows {
		for j, c := range m.Cols {
			if got, want := len(m.Cells[i][j].Beats), mu.want[[2]string{r, c}]; got != want {
				t.Errorf("cell %s/%s = %d beats, want %d", r, c, got, want)
			}
		}
	}
	cell, _ := m.Cell("N", "V")
	var got []int64
	for k, b := range cell.Beats {
		got = append(got, b.Sample)
		if k > 0 && b.Confidence > cell.Beats[k-1].Confidence {
			t.Fatalf("cell N/V not sorted by confidence at %d", k)
		}
		if b.Record != "r1" || b.Reader.Class() != annotate.ClassN || b.Model != annotate.PVC {
			t.Errorf("beat %+v: want record r1, reader N class, model V", b)
		}
	}
	slices.Sort(got)
	if !slices.Equal(got, mu.toV) {
		t.Errorf("cell N/V samples %v, want %v", got, mu.toV)
	}
	v := m.PerClass[2]
	wantTP := int64(mu.want[[2]string{"V", "V"}])
	if v.Class != "V" || v.TP != wantTP || v.FN != int64(mu.want[[2]string{"V", "N"}]+mu.want[[2]string{"V", NoPartner}]) {
		t.Errorf("V line %+v, want TP %d", v, wantTP)
	}
	mit, err := ConfusionOf([]RecordLabels{rec}, ConfusionOptions{Scheme: SchemeMIT})
	if err != nil {
		t.Fatal(err)
	}
	if n := mit.Count("N", "V"); n != mu.toVMIT["N"] || n != len(mu.toV) {
		t.Errorf("MIT cell N/V = %d, want %d", n, mu.toVMIT["N"])
	}
	if mit.Count("A", "A") != mu.want[[2]string{"S", "S"}] {
		t.Errorf("MIT cell A/A = %d, want %d", mit.Count("A", "A"), mu.want[[2]string{"S", "S"}])
	}
}

func TestConfusionOwnedOnly(t *testing.T) {
	info, reader := synthReader(t, 4)
	reader = slices.Clone(reader)
	model := slices.Clone(reader)
	own := 0
	for i := range reader {
		if i%3 == 0 { // still the model's suggestion in the reader's set
			reader[i].Prov.Source, reader[i].Review = annotate.SourceModel, annotate.Unreviewed
		} else if reader[i].Sample >= Seconds(300, info.Fs) {
			own++
		}
	}
	m, err := ConfusionOf([]RecordLabels{{ID: "x", Name: "x", Info: info, Reader: reader, Model: model}}, ConfusionOptions{OwnedOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for i := range m.Cells {
		for j := range m.Cells[i] {
			total += len(m.Cells[i][j].Beats)
		}
	}
	if total != own || m.Unowned == 0 {
		t.Errorf("%d beats in cells (%d left out), want the %d the reader owns", total, m.Unowned, own)
	}
	// The Se/+P table and the per-record figures count the same beats as
	// the cells: ticking "Reviewed beats only" must not leave them stale.
	var ref int64
	for _, c := range m.PerClass {
		ref += c.Reference
	}
	if d := m.EC57.Detection(); d.TP != int64(own) || ref != int64(own) {
		t.Errorf("EC57 matrix: %d matched, per-class table: %d reader beats; want the %d the reader owns", d.TP, ref, own)
	}
	if r := m.Results[0]; r.Matrix != m.EC57 || len(r.Pairs) != own {
		t.Errorf("record result: %d pairs, matrix equal to the total %v; want %d pairs", len(r.Pairs), r.Matrix == m.EC57, own)
	}
	// A signed-off set counts whole: as without OwnedOnly.
	rl := RecordLabels{ID: "x", Name: "x", Info: info, Reader: reader, Model: model, AllOwned: true}
	signed, err := ConfusionOf([]RecordLabels{rl}, ConfusionOptions{OwnedOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	every, err := ConfusionOf([]RecordLabels{rl}, ConfusionOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if signed.EC57 != every.EC57 || signed.Unowned != 0 || every.EC57.Detection().TP <= int64(own) {
		t.Errorf("signed off: %v (%d left out), want every beat %v", signed.EC57.Detection(), signed.Unowned, every.EC57.Detection())
	}
}

func TestConfusionErrors(t *testing.T) {
	tests := []struct {
		name string
		recs []RecordLabels
		want error
	}{
		{"no records", nil, ErrNoRecords},
		{"no fs", []RecordLabels{{Name: "a"}}, ErrRecord},
		{"negative sample", []RecordLabels{{Name: "a", Info: annotate.RecordInfo{Fs: 360, NSamples: 1000},
			Reader: []annotate.Beat{{Sample: -5, Code: annotate.Normal}}}}, ErrTime},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := ConfusionOf(tt.recs, ConfusionOptions{}); !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
}
