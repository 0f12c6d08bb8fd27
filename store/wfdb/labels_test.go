package wfdb

import (
	"bytes"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/store/ecgdata"
)

// twoLeads is a 400 s record at 250 Hz with two leads.
var twoLeads = annotate.RecordInfo{Fs: 250, NSamples: 100000, Leads: []annotate.Lead{{Name: "II"}, {Name: "V1"}}}

func ep(a, b int64, r string) annotate.Episode { return annotate.Episode{Start: a, End: b, Rhythm: r} }

func nz(a, b int64, lead int, why string) annotate.Noise {
	return annotate.Noise{Start: a, End: b, Lead: lead, Reason: why}
}

func bt(s int64, c annotate.Code, ch int8) annotate.Beat {
	return annotate.Beat{Sample: s, Code: c, Chan: ch}
}

// normalBeats are N beats every 200 samples from 200 to 9800.
func normalBeats() []annotate.Beat {
	var out []annotate.Beat
	for s := int64(200); s < 10000; s += 200 {
		out = append(out, bt(s, annotate.Normal, 0))
	}
	return out
}

// labelCases are label sets and what comes back from a file of them: the
// labels themselves unless want says otherwise.
var labelCases = []struct {
	name  string
	in    Labels
	want  *Labels // nil: in
	leads int     // 0: 2
}{
	{name: "beats and point labels",
		in: Labels{Beats: []annotate.Beat{bt(10, annotate.Normal, 0), bt(400, annotate.PVC, 1), bt(900, annotate.Arfct, 1),
			bt(2000, annotate.VFOn, 0), bt(2500, annotate.VFOff, 0)}, Episodes: []annotate.Episode{ep(0, 100000, "N")}}},
	{name: "no rhythm episode: the file says N",
		in:   Labels{Beats: []annotate.Beat{bt(10, annotate.Normal, 0)}},
		want: &Labels{Beats: []annotate.Beat{bt(10, annotate.Normal, 0)}, Episodes: []annotate.Episode{ep(0, 100000, "N")}}},
	{name: "AFIB", in: Labels{Episodes: []annotate.Episode{ep(1000, 5000, "AFIB"), ep(5000, 100000, "N")}}},
	{name: "AFL", in: Labels{Episodes: []annotate.Episode{ep(1000, 5000, "AFL"), ep(5000, 100000, "N")}}},
	{name: "VT", in: Labels{Episodes: []annotate.Episode{ep(1000, 1400, "VT"), ep(1400, 100000, "N")}}},
	{name: "SVTA", in: Labels{Episodes: []annotate.Episode{ep(1000, 1400, "SVTA"), ep(1400, 100000, "N")}}},
	{name: "bigeminy", in: Labels{Episodes: []annotate.Episode{ep(1000, 9000, "B"), ep(9000, 100000, "N")}}},
	{name: "trigeminy", in: Labels{Episodes: []annotate.Episode{ep(1000, 9000, "T"), ep(9000, 100000, "N")}}},
	{name: "bradycardia as SBR", in: Labels{Episodes: []annotate.Episode{ep(1000, 9000, "BRADY"), ep(9000, 100000, "N")}}},
	{name: "tachycardia", in: Labels{Episodes: []annotate.Episode{ep(1000, 9000, "TACHY"), ep(9000, 100000, "N")}}},
	{name: "a rhythm MIT-BIH names", in: Labels{Episodes: []annotate.Episode{ep(0, 9000, "NOD"), ep(9000, 100000, "N")}}},
	{name: "last episode to the record's end", in: Labels{Episodes: []annotate.Episode{ep(18, 3000, "N"), ep(3000, 100000, "AFIB")}}},
	{name: "pause inside AF at a beat",
		in: Labels{Beats: normalBeats(), Episodes: []annotate.Episode{ep(0, 1000, "N"), ep(1000, 9000, "AFIB"), ep(3000, 3700, Pause), ep(9000, 100000, "N")}}},
	{name: "beats before the first episode are in sinus rhythm",
		in:   Labels{Beats: normalBeats(), Episodes: []annotate.Episode{ep(1000, 9000, "AFIB"), ep(9000, 100000, "N")}},
		want: &Labels{Beats: normalBeats(), Episodes: []annotate.Episode{ep(0, 1000, "N"), ep(1000, 9000, "AFIB"), ep(9000, 100000, "N")}}},
	{name: "VT inside AF splits it, as MIT-BIH writes it",
		in:   Labels{Episodes: []annotate.Episode{ep(1000, 9000, "AFIB"), ep(2000, 2300, "VT")}},
		want: &Labels{Episodes: []annotate.Episode{ep(1000, 2000, "AFIB"), ep(2000, 2300, "VT"), ep(2300, 9000, "AFIB"), ep(9000, 100000, "N")}}},
	{name: "pause in sinus rhythm",
		in: Labels{Beats: normalBeats(), Episodes: []annotate.Episode{ep(0, 100000, "N"), ep(4201, 4899, Pause)}}},
	{name: "adjacent episodes",
		in: Labels{Episodes: []annotate.Episode{ep(1000, 5000, "AFIB"), ep(5000, 5600, "VT"), ep(5600, 9000, "AFIB"), ep(9000, 9500, "AFL"), ep(9500, 100000, "N")}}},
	{name: "a gap is sinus rhythm",
		in:   Labels{Episodes: []annotate.Episode{ep(100, 500, "AFIB"), ep(800, 100000, "VT")}},
		want: &Labels{Episodes: []annotate.Episode{ep(100, 500, "AFIB"), ep(500, 800, "N"), ep(800, 100000, "VT")}}},
	{name: "rate spans and bigeminy inside AF do not split it",
		in: Labels{Episodes: []annotate.Episode{ep(1000, 9000, "AFIB"), ep(900, 2000, "TACHY"), ep(3000, 4000, "B"), ep(8000, 9500, "BRADY")}},
		want: &Labels{Episodes: []annotate.Episode{ep(900, 1000, "TACHY"), ep(1000, 9000, "AFIB"), ep(9000, 9500, "BRADY"),
			ep(9500, 100000, "N")}}},
	{name: "noise on one lead", in: Labels{Noise: []annotate.Noise{nz(100, 300, 1, "noise")}}.withN()},
	{name: "noise on both leads", in: Labels{Noise: []annotate.Noise{nz(100, 300, -1, "noise")}}.withN()},
	{name: "unreadable on one lead then everywhere",
		in: Labels{Noise: []annotate.Noise{nz(100, 300, 0, "unreadable"), nz(1000, 1500, -1, "unreadable")}}.withN()},
	{name: "overlapping noise on leads of a three-lead record",
		in: Labels{Noise: []annotate.Noise{nz(100, 300, 0, "noise"), nz(200, 400, 1, "noise"), nz(250, 260, 1, "unreadable")}}.withN(), leads: 3},
	{name: "noisy on both leads at once is noise on every lead",
		in:   Labels{Noise: []annotate.Noise{nz(100, 300, 0, "noise"), nz(200, 400, 1, "noise")}}.withN(),
		want: Labels{Noise: []annotate.Noise{nz(100, 200, 0, "noise"), nz(200, 300, -1, "noise"), nz(300, 400, 1, "noise")}}.withN().ptr()},
	{name: "noise reasons come back as noise or unreadable",
		in:   Labels{Noise: []annotate.Noise{nz(100, 300, 0, "muscle"), nz(500, 600, 1, "lead off")}}.withN(),
		want: Labels{Noise: []annotate.Noise{nz(100, 300, 0, "noise"), nz(500, 600, 1, "unreadable")}}.withN().ptr()},
}

// withN adds sinus rhythm over the whole record.
func (l Labels) withN() Labels { l.Episodes = []annotate.Episode{ep(0, 100000, "N")}; return l }

func (l Labels) ptr() *Labels { return &l }

// TestLabelsRoundTrip writes each label set with FromLabels and
// WriteAnnotations, reads it back with DecodeAnnotations and ToLabels, and
// compares: labels come back as they were, but where the file format
// cannot hold them (the case says what it wants then).
func TestLabelsRoundTrip(t *testing.T) {
	prov := annotate.Provenance{Source: annotate.SourceReference, Who: "atr"}
	for _, c := range labelCases {
		t.Run(c.name, func(t *testing.T) {
			info := twoLeads
			if c.leads > 0 {
				info.Leads = make([]annotate.Lead, c.leads)
			}
			var buf bytes.Buffer
			if err := WriteAnnotations(&buf, FromLabels(c.in, info)); err != nil {
				t.Fatal(err)
			}
			anns, err := DecodeAnnotations(c.name, buf.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			checkCanonical(t, anns)
			want := c.in
			if c.want != nil {
				want = *c.want
			}
			sameLabels(t, ToLabels(anns, info, prov), want, prov)
		})
	}
}

// checkCanonical checks WFDB's order: by sample, and no two annotations
// with the same sample, num and chan (sortann would keep only one).
func checkCanonical(t *testing.T, anns []Annotation) {
	t.Helper()
	for i := 1; i < len(anns); i++ {
		a, b := anns[i-1], anns[i]
		if b.Sample < a.Sample || (b.Sample == a.Sample && b.Num <= a.Num) {
			t.Errorf("annotation %d %+v after %+v: not in WFDB order", i, b, a)
		}
	}
}

func sameLabels(t *testing.T, got, want Labels, prov annotate.Provenance) {
	t.Helper()
	key := func(l Labels) []string {
		var out []string
		for _, b := range l.Beats {
			out = append(out, fmt.Sprintf("beat %d %s %d", b.Sample, b.Code.Symbol(), b.Chan))
		}
		for _, e := range l.Episodes {
			out = append(out, fmt.Sprintf("episode %d-%d %s", e.Start, e.End, e.Rhythm))
		}
		for _, n := range l.Noise {
			out = append(out, fmt.Sprintf("noise %d-%d lead %d %s", n.Start, n.End, n.Lead, n.Reason))
		}
		return out
	}
	if g, w := key(got), key(want); !slices.Equal(g, w) {
		t.Errorf("got  %q\nwant %q", g, w)
	}
	for _, b := range got.Beats {
		if b.Prov.Source != prov.Source || b.Prov.Who != prov.Who {
			t.Fatalf("beat %+v: provenance not %+v", b, prov)
		}
	}
}

// TestFromLabelsLayout checks what the file holds for one label set: the
// marks exactly at their samples (a pause note shares its beat's sample
// with Num 1), MIT-BIH's rhythm names and noise subtypes.
func TestFromLabelsLayout(t *testing.T) {
	in := Labels{
		Beats:    []annotate.Beat{bt(1000, annotate.Normal, 0), bt(1250, annotate.Normal, 0), bt(2000, annotate.Normal, 0)},
		Episodes: []annotate.Episode{ep(1000, 3000, "BRADY"), ep(1250, 2000, Pause), ep(2500, 3500, "AFIB")},
		Noise:    []annotate.Noise{nz(1100, 1300, 1, "noise"), nz(1200, 1400, 0, "noise"), nz(5000, 6000, -1, "unreadable")},
	}
	type row struct {
		s        int64
		code     string
		sub, num int8
		aux      string
	}
	want := []row{{1000, "N", 0, 0, ""}, {1000, "+", 0, 1, "(SBR"}, {1100, "~", 2, 0, ""}, {1200, "~", 3, 0, ""},
		{1250, "N", 0, 0, ""}, {1250, "\"", 0, 1, "PAUSE 3.000 s"}, {1300, "~", 1, 0, ""}, {1400, "~", 0, 0, ""},
		{2000, "N", 0, 0, ""}, {2500, "+", 0, 0, "(AFIB"}, {3500, "+", 0, 0, "(N"}, {5000, "~", -1, 0, ""}, {6000, "~", 0, 0, ""}}
	var got []row
	for _, a := range FromLabels(in, twoLeads) {
		got = append(got, row{a.Sample, a.Code.Symbol(), a.Sub, a.Num, a.Aux})
	}
	if !slices.Equal(got, want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
}

// TestToLabelsRepeatedRhythm reads a rhythm change that repeats the
// rhythm going on (with WFDB's NUL, as its tools store it) as no change.
func TestToLabelsRepeatedRhythm(t *testing.T) {
	anns := []Annotation{{Sample: 0, Code: annotate.Rhythm, Aux: "(N"}, {Sample: 10, Code: annotate.Normal},
		{Sample: 100, Code: annotate.Rhythm, Aux: "(AFIB"}, {Sample: 150, Code: annotate.Rhythm, Aux: "(AFIB\x00"},
		{Sample: 300, Code: annotate.Rhythm, Aux: "(N"}}
	l := ToLabels(anns, annotate.RecordInfo{Fs: 100, NSamples: 1000}, annotate.Provenance{})
	want := Labels{Beats: []annotate.Beat{bt(10, annotate.Normal, 0)}, Episodes: []annotate.Episode{ep(0, 100, "N"), ep(100, 300, "AFIB"), ep(300, 1000, "N")}}
	sameLabels(t, l, want, annotate.Provenance{})
}

// TestToLabelsMITDB reads every MIT-BIH reference file: the rhythm
// changes become as many episodes (no two consecutive changes repeat a
// rhythm there), "(SBR" reads as BRADY, and writing the labels back gives
// the same rhythm changes and signal quality changes.
func TestToLabelsMITDB(t *testing.T) {
	dir := ecgdata.Dir(t, "mitdb", "100.atr")
	files, _ := filepath.Glob(filepath.Join(dir, "*.atr"))
	for _, f := range files {
		anns, err := ReadAnnotations(f)
		if err != nil {
			t.Fatal(err)
		}
		info := annotate.RecordInfo{Fs: 360, NSamples: 650000, Leads: make([]annotate.Lead, 2)}
		l := ToLabels(anns, info, annotate.Provenance{})
		if a, b := streamOf(anns), streamOf(FromLabels(l, info)); !slices.Equal(a, b) {
			t.Errorf("%s: rhythm and noise changes %d written back, %d read; first difference %s", filepath.Base(f), len(b), len(a), firstDiff(a, b))
		}
	}
}

// streamOf lists the rhythm and signal quality changes.
func streamOf(anns []Annotation) []string {
	var out []string
	for _, a := range anns {
		switch a.Code {
		case annotate.Rhythm:
			out = append(out, fmt.Sprintf("%d %s", a.Sample, RhythmName(a.Text())))
		case annotate.NoiseAnn:
			out = append(out, fmt.Sprintf("%d ~%d", a.Sample, a.Sub))
		}
	}
	return out
}

func firstDiff(a, b []string) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return a[i] + " against " + b[i]
		}
	}
	return "in length"
}

// TestAFMarks201 writes MIT-BIH 201's reference labels with a pause at
// every RR interval of 1.5 s or more (there are pauses inside its AF) and
// checks one "(AFIB" per AF episode: pauses do not split AF runs.
func TestAFMarks201(t *testing.T) {
	dir := ecgdata.Dir(t, "mitdb", "201.atr")
	anns, err := ReadAnnotations(filepath.Join(dir, "201.atr"))
	if err != nil {
		t.Fatal(err)
	}
	info := annotate.RecordInfo{Fs: 360, NSamples: 650000, Leads: make([]annotate.Lead, 2)}
	l := ToLabels(anns, info, annotate.Provenance{})
	var last int64 = -1
	pauses := 0
	for _, b := range l.Beats {
		if !b.Code.IsBeat() {
			continue
		}
		if last >= 0 && b.Sample-last >= int64(1.5*info.Fs) {
			l.Episodes = append(l.Episodes, ep(last, b.Sample, Pause))
			pauses++
		}
		last = b.Sample
	}
	af, marks := 0, 0
	for _, e := range l.Episodes {
		if e.Rhythm == "AFIB" {
			af++
		}
	}
	for _, a := range FromLabels(l, info) {
		if a.Code == annotate.Rhythm && a.Text() == "(AFIB" {
			marks++
		}
	}
	if pauses == 0 || af != 3 || marks != af {
		t.Errorf("%d pauses, %d AF episodes, %d (AFIB marks: want 3 and 3", pauses, af, marks)
	}
}

// FuzzToLabels reads random annotations as labels: it never panics, every
// episode and noise stretch has Start < End, and once written and read
// back, the labels stay the same through another write and read.
func FuzzToLabels(f *testing.F) {
	for _, c := range labelCases {
		var buf bytes.Buffer
		if err := WriteAnnotations(&buf, FromLabels(c.in, twoLeads)); err == nil {
			f.Add(buf.Bytes(), uint8(2))
		}
	}
	for _, c := range annCases {
		f.Add(c.in, uint8(1))
	}
	f.Fuzz(func(t *testing.T, b []byte, leads uint8) {
		anns, err := DecodeAnnotations("f", b)
		if err != nil {
			return
		}
		info := annotate.RecordInfo{Fs: 250, NSamples: 5000, Leads: make([]annotate.Lead, leads%13)}
		l := ToLabels(anns, info, annotate.Provenance{})
		for _, e := range l.Episodes {
			if e.End <= e.Start {
				t.Fatalf("episode %+v", e)
			}
		}
		for _, n := range l.Noise {
			if n.End <= n.Start {
				t.Fatalf("noise %+v", n)
			}
		}
		once := ToLabels(rewrite(t, l, info), info, annotate.Provenance{})
		twice := ToLabels(rewrite(t, once, info), info, annotate.Provenance{})
		sameLabels(t, twice, once, annotate.Provenance{})
	})
}

// rewrite writes l as a file and reads the file back.
func rewrite(t *testing.T, l Labels, info annotate.RecordInfo) []Annotation {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteAnnotations(&buf, FromLabels(l, info)); err != nil {
		t.Fatalf("write the labels: %v", err)
	}
	anns, err := DecodeAnnotations("rewritten", buf.Bytes())
	if err != nil {
		t.Fatalf("read the labels back: %v", err)
	}
	return anns
}
