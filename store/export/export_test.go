package export

import (
	"encoding/json"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/beatwin"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/store/ishne"
)

// fixture is two records with labels: alpha (EDF+, 250 Hz, 60 s) and beta
// (ISHNE, 200 Hz, 60 s), both 2 leads.
type fixture struct {
	dir         string
	db          *store.DB
	alpha, beta string
	alphaID     annotate.RecordID
	betaID      annotate.RecordID
	noiseA      span
	betaModelAt map[int64]bool
}

var alphaCodes = []annotate.Code{annotate.Normal, annotate.Normal, annotate.PVC, annotate.APC, annotate.Normal,
	annotate.Fusion, annotate.Unknown, annotate.Normal, annotate.Arfct}

func newFixture(t testing.TB) *fixture {
	dir := t.TempDir()
	f := &fixture{dir: dir, db: openDB(t, dir), alpha: filepath.Join(dir, "alpha.edf"), beta: filepath.Join(dir, "beta.ecg"),
		noiseA: span{10000, 10500}, betaModelAt: map[int64]bool{}}
	writeEDF(t, f.alpha, 250, 60, "X X X X", "Startdate X X X X", testNow)
	writeISHNE(t, f.beta, 200, 12000, ishne.Patient{}, ishne.Date{Day: 1, Month: 1, Year: 2020}, ishne.Clock{})
	var a annotate.LabelSet
	for k := int64(0); k < 75; k++ {
		a.Beats = append(a.Beats, readerBeat(100+200*k, alphaCodes[k%int64(len(alphaCodes))], "alice"))
	}
	a.Episodes = []annotate.EpisodeEntry{{ID: 1, Episode: annotate.Episode{Start: 2500, End: 7500, Rhythm: "AFIB",
		Prov: annotate.Provenance{Source: annotate.SourceReader, Who: "alice"}, Review: annotate.Changed}}}
	a.Noise = []annotate.NoiseEntry{{ID: 1, Noise: annotate.Noise{Start: 10000, End: 10500, Lead: -1, Reason: "noise",
		Prov: annotate.Provenance{Source: annotate.SourceReader, Who: "alice"}}}}
	f.alphaID = putLabels(t, f.db, f.alpha, "alice", a)
	var b annotate.LabelSet
	for k := int64(0); k < 74; k++ {
		s := 80 + 160*k
		if k%5 == 2 {
			b.Beats = append(b.Beats, modelBeat(s, annotate.PVC))
			f.betaModelAt[s] = true
		} else {
			b.Beats = append(b.Beats, readerBeat(s, annotate.Normal, "alice"))
		}
	}
	f.betaID = putLabels(t, f.db, f.beta, "alice", b)
	return f
}

// expectBeat is what beats.npz should hold for one beat.
type expectBeat struct {
	Record int
	Sample int64
	Y      int
}

// expected lists, independently of the exporter's walk, the beats an
// export with these options keeps (no balancing).
func (f *fixture) expected(t *testing.T, o Options) []expectBeat {
	var out []expectBeat
	for idx, rec := range []struct {
		id annotate.RecordID
		fs float64
		n  int64
	}{{f.alphaID, 250, 15000}, {f.betaID, 200, 12000}} {
		rs := beatwin.New(rec.fs, o.Fs, o.samplesBefore(), o.samplesAfter())
		ls, _, err := f.db.Labels(rec.id, "alice")
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range ls.Beats {
			a, z := b.Sample+int64(rs.Lo()), b.Sample+int64(rs.Hi())
			switch {
			case !b.Code.IsBeat(), a < 0, z >= rec.n:
				continue
			case o.ExcludeNoise && idx == 0 && a < f.noiseA.end && z >= f.noiseA.start:
				continue
			case o.ReviewedOnly && !annotate.ReaderOwned(b.Prov, b.Review):
				continue
			}
			out = append(out, expectBeat{idx, b.Sample, int(b.Code.Class()) - 1})
		}
	}
	return out
}

const loadScript = `
import json, sys
import numpy as np
b = np.load(sys.argv[1] + "/beats.npz", allow_pickle=False)
r = np.load(sys.argv[1] + "/rhythm.npz", allow_pickle=False)
out = {"shapes": {k: [str(b[k].dtype)] + [str(d) for d in b[k].shape] for k in b.files}}
out["rshapes"] = {k: [str(r[k].dtype)] + [str(d) for d in r[k].shape] for k in r.files}
out["beats"] = [[int(a), int(s), int(y)] for a, s, y in zip(b["record"], b["sample"], b["y"])]
out["classes"] = [str(c) for c in b["classes"]]
out["records"] = [str(c) for c in b["records"]]
out["x0"] = b["x"][0].astype(float).tolist()
out["rr"] = b["rr"].astype(float).tolist()
out["source"] = b["source"].tolist()
out["ry"] = r["y"].tolist()
out["rclasses"] = [str(c) for c in r["rhythm_classes"]]
out["rstart"] = r["start"].tolist()
out["rrecord"] = r["record"].tolist()
out["n_rr"] = r["n_rr"].tolist()
print(json.dumps(out))
`

// pyOut is what loadScript prints.
type pyOut struct {
	Shapes   map[string][]string
	RShapes  map[string][]string
	Beats    [][3]int64
	Classes  []string
	Records  []string
	X0       [][]float64
	RR       [][3]float64
	Source   []int
	RY       []int
	RClasses []string
	RStart   []int64
	RRecord  []int
	NRR      []int `json:"n_rr"`
}

// TestNumpyLoads exports the fixture and loads beats.npz and rhythm.npz
// with numpy (no pickle): shapes, dtypes, labels and positions must match
// the database, and the first window must be the record's own samples in
// mV (250 Hz record, no resampling).
func TestNumpyLoads(t *testing.T) {
	f := newFixture(t)
	o := DefaultOptions()
	o.ExcludeNoise, o.Split, o.Now = true, [3]float64{1, 0, 0}, func() time.Time { return testNow }
	out := filepath.Join(f.dir, "out")
	m, err := Export(f.db, out, o)
	if err != nil {
		t.Fatal(err)
	}
	var py pyOut
	if err := json.Unmarshal(runPython(t, loadScript, out), &py); err != nil {
		t.Fatal(err)
	}
	want := f.expected(t, o)
	checkShapes(t, py, len(want), m)
	for i, w := range want {
		if got := py.Beats[i]; got != [3]int64{int64(w.Record), w.Sample, int64(w.Y)} {
			t.Fatalf("beat %d: numpy has record, sample, y = %v, database %+v", i, got, w)
		}
	}
	checkFirstWindow(t, f, py, want[0].Sample)
	for k, v := range py.RR[1] {
		if math.Abs(v-0.8) > 1e-6 {
			t.Errorf("rr[1][%d] = %g, want 0.8 s (beats 200 samples apart at 250 Hz)", k, v)
		}
	}
	checkRhythm(t, py)
}

func checkShapes(t *testing.T, py pyOut, n int, m *Manifest) {
	t.Helper()
	N := strconv.Itoa(n)
	want := map[string][]string{
		"x": {"float32", N, "2", "250"}, "y": {"int64", N}, "classes": {"<U1", "5"}, "record": {"int32", N},
		"records": {"<U16", "2"}, "sample": {"int64", N}, "rr": {"float32", N, "3"}, "source": {"uint8", N},
		"review": {"uint8", N}, "split": {"uint8", N}, "confidence": {"float32", N}, "record_names": {"<U5", "2"},
		"population": {"int64", N},
	}
	for k, w := range want {
		if !slices.Equal(py.Shapes[k], w) {
			t.Errorf("beats.npz %s: numpy sees %v, want %v", k, py.Shapes[k], w)
		}
	}
	if len(py.Shapes) != len(want) {
		t.Errorf("beats.npz holds %v", py.Shapes)
	}
	if m.Counts.NBeats != int64(n) {
		t.Errorf("manifest counts %d beats, want %d", m.Counts.NBeats, n)
	}
	if !slices.Equal(py.Classes, []string{"N", "S", "V", "F", "Q"}) {
		t.Errorf("classes %v", py.Classes)
	}
}

// checkFirstWindow compares x[0] with the record's samples around the
// first exported beat, in mV (Lead.Physical), 90 before and 160 after.
func checkFirstWindow(t *testing.T, f *fixture, py pyOut, s int64) {
	t.Helper()
	r, err := store.Open(f.alpha)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	leads := r.Signal.Info().Leads
	for l := range 2 {
		for j := range 250 {
			want := float32(leads[l].Physical(testSample(int(s)-90+j, l)))
			if got := float32(py.X0[l][j]); math.Abs(float64(got-want)) > 1e-6 {
				t.Fatalf("x[0, %d, %d] = %g, want %g mV", l, j, got, want)
			}
		}
	}
}

// checkRhythm: 60 s records give segments at 0, 15 and 30 s. Alpha's AFIB
// [10 s, 30 s) covers 20 s of its 0 s segment (AF); its 15 s and 30 s
// segments overlap the noise [40 s, 42 s) and are left out.
func checkRhythm(t *testing.T, py pyOut) {
	t.Helper()
	if !slices.Equal(py.RClasses, []string{"OTHER", "AF", "AFL"}) {
		t.Errorf("rhythm classes %v", py.RClasses)
	}
	wantStart := []int64{0, 0, 3000, 6000}
	wantY := []int{1, 0, 0, 0}
	if !slices.Equal(py.RStart, wantStart) || !slices.Equal(py.RY, wantY) || !slices.Equal(py.RRecord, []int{0, 1, 1, 1}) {
		t.Errorf("segments start %v y %v record %v, want %v %v [0 1 1 1]", py.RStart, py.RY, py.RRecord, wantStart, wantY)
	}
	if py.NRR[0] != 32 {
		t.Errorf("n_rr[0] = %d, want 32 (37 labels 0.8 s apart in 30 s, 4 of them artifacts)", py.NRR[0])
	}
	if !slices.Equal(py.RShapes["rr"], []string{"float32", "4", "64"}) || !slices.Equal(py.RShapes["beat"], []string{"int64", "4", "64"}) {
		t.Errorf("rhythm shapes %v", py.RShapes)
	}
}
