package sim

import (
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
)

// sAdapter is an adapter that gets everything wrong on purpose: each run
// calls every beat nobody reviewed S.
type sAdapter struct{}

func (sAdapter) Adapt(s *annotate.Session) error {
	var labels []annotate.Beat
	for _, b := range s.BeatsIn(0, 1<<62) {
		if annotate.Adaptable(b) {
			labels = append(labels, annotate.Beat{Sample: b.Sample, Code: annotate.ClassS.Code(),
				Prov: annotate.Provenance{Who: annotate.AdaptedWho("all-s@1", 0), Confidence: 1}})
		}
	}
	_, err := s.Adapt(labels)
	return err
}

func (sAdapter) Sure(int64) (float64, bool) { return 0, false }

// TestAdaptInScan plays the reader of strategy d's last scan with the
// adapter running after its fixes (Costs.AdaptEvery). The model calls every
// PVC N; no templates, no questions, so the scan does all the work.
func TestAdaptInScan(t *testing.T) {
	cases := []struct {
		name       string
		every      int
		seen       bool
		bad        bool // the adapter calls every beat nobody reviewed S
		wantClicks func(nv int) int
		wantFixed  func(nv int) int // beats the adapter's runs put right, -1: any
		wantBroke  bool             // the adapter's runs made beats wrong
		wantSeen   bool
	}{
		{name: "adapter out of the scan: a click a PVC", every: 0,
			wantClicks: func(nv int) int { return nv }, wantFixed: func(int) int { return 0 }},
		{name: "adapter at the page's end: page 2's PVCs fixed by it", every: -1},
		{name: "adapter after 2 picks: the rest of the PVCs fixed by it", every: 2,
			wantClicks: func(int) int { return 2 }, wantFixed: func(nv int) int { return nv - 2 }},
		{name: "an adapter that breaks passed beats: the reader fixes them again", every: 2, bad: true,
			wantFixed: func(int) int { return -1 }, wantBroke: true},
		{name: "passed beats taken as agreed: a bad adapter cannot touch them", every: 2, bad: true, seen: true,
			wantFixed: func(int) int { return -1 }, wantBroke: true, wantSeen: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec, nv := unsureAboutV(t)
			if c.bad {
				rec.Adapter = sAdapter{}
			}
			costs := DefaultCosts()
			costs.MultiSelect, costs.RangeSelect = true, true
			costs.AdaptEvery, costs.SeenAgreed = c.every, c.seen
			d := run(t, rec, Adaptive, costs) // full agreement at the end
			if nv < 10 {
				t.Fatalf("%d PVCs: too few for the test", nv)
			}
			if c.wantClicks != nil && d.Total.Clicks != c.wantClicks(nv) {
				t.Errorf("%d clicks, want %d (%d PVCs)", d.Total.Clicks, c.wantClicks(nv), nv)
			}
			if c.every != 0 && !c.bad && d.Total.AdaptFixed == 0 {
				t.Errorf("the adapter put no beat right")
			}
			if c.wantFixed != nil && c.wantFixed(nv) >= 0 && d.Total.AdaptFixed != c.wantFixed(nv) {
				t.Errorf("adapter put %d beats right, want %d", d.Total.AdaptFixed, c.wantFixed(nv))
			}
			if (d.Total.AdaptBroke > 0) != c.wantBroke || (d.Total.Seen > 0) != c.wantSeen {
				t.Errorf("adapter made %d beats wrong, %d seen; want broken %v, seen %v", d.Total.AdaptBroke, d.Total.Seen, c.wantBroke, c.wantSeen)
			}
			for _, ph := range d.Phases {
				if ph.Name == "fix-up" && c.seen {
					t.Errorf("a fix-up scan after taking the passed beats as agreed: %+v", ph)
				}
			}
		})
	}
}

// TestAdaptInScanSaves: the adapter learning from the first PVCs fixed
// costs fewer actions than fixing every PVC, and each flush costs a key.
func TestAdaptInScanSaves(t *testing.T) {
	rec, nv := unsureAboutV(t)
	costs := DefaultCosts()
	costs.MultiSelect, costs.RangeSelect = true, true
	out := run(t, rec, Adaptive, costs)
	costs.AdaptEvery = 2
	in := run(t, rec, Adaptive, costs)
	if in.Total.Actions() >= out.Total.Actions() {
		t.Errorf("adapter in the scan %d actions, out of it %d (%d PVCs): want fewer", in.Total.Actions(), out.Total.Actions(), nv)
	}
	// open the view and Page Down, then one key for the first two PVCs;
	// out of the scan, a V key on each page
	if in, out := phaseNamed(t, in, "left").Keys, phaseNamed(t, out, "left").Keys; in != pages+1 || out != pages+2 {
		t.Errorf("scan keys %d with the adapter, %d without; want %d and %d", in, out, pages+1, pages+2)
	}
}

// TestRangeConfirmsBetween: a Shift+click range relabels every beat
// between its two wrong ends, as the window does; those already right
// become confirmed reader labels at no extra action.
func TestRangeConfirmsBetween(t *testing.T) {
	cases := []struct {
		name  string
		wrong []int // offsets from a true S beat's index of true N beats called V
		want  int   // right beats confirmed
	}{
		{"a run with 3 right beats inside", []int{-5, -1}, 3},
		{"two beats side by side", []int{-2, -1}, 0},
		{"one wrong beat", []int{-1}, 0},
		{"the S beat ends the run", []int{-2, 1}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec, ann := synthRecord(t)
			j := normalAround(t, rec, ann, 6)
			for _, o := range c.wrong {
				rec.Model[j+o] = modelBeat(rec.Model[j+o].Sample, annotate.ClassV, annotate.ClassV)
			}
			costs := DefaultCosts()
			costs.MultiSelect, costs.RangeSelect = true, true
			res := run(t, rec, Scan, costs)
			if res.Total.Confirms != c.want || res.Total.Relabels != len(c.wrong) {
				t.Errorf("%d confirmed, %d relabelled; want %d and %d", res.Total.Confirms, res.Total.Relabels, c.want, len(c.wrong))
			}
		})
	}
}
