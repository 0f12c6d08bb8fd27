package export

import (
	"slices"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
)

// TestPairClosest checks the closest-pair matching on small cases worked
// out by hand.
func TestPairClosest(t *testing.T) {
	cases := []struct {
		name         string
		a, b         []int64
		tol          int64
		pairs        []beatPair
		onlyA, onlyB []int
	}{
		{"empty", nil, nil, 5, nil, nil, nil},
		{"same samples", []int64{10, 20}, []int64{10, 20}, 0, []beatPair{{0, 0}, {1, 1}}, nil, nil},
		{"one sample apart", []int64{100}, []int64{101}, 5, []beatPair{{0, 0}}, nil, nil},
		{"out of reach", []int64{100}, []int64{106}, 5, nil, []int{0}, []int{0}},
		{"at the edge of reach", []int64{100}, []int64{105}, 5, []beatPair{{0, 0}}, nil, nil},
		{"nearest wins", []int64{100}, []int64{96, 102}, 5, []beatPair{{0, 1}}, nil, []int{0}},
		{"tie goes to the later, as bxb", []int64{100}, []int64{97, 103}, 5, []beatPair{{0, 1}}, nil, []int{0}},
		{"closest pair first", []int64{100, 104}, []int64{105}, 5, []beatPair{{1, 0}}, []int{0}, nil},
		{"taken: next nearest", []int64{100, 103}, []int64{101, 104}, 5, []beatPair{{0, 0}, {1, 1}}, nil, nil},
		{"doubled beats", []int64{0, 1000, 2000}, []int64{0, 3, 1000, 1003, 2000}, 54,
			[]beatPair{{0, 0}, {1, 2}, {2, 4}}, nil, []int{1, 3}},
		{"dense run", []int64{10, 11, 12}, []int64{11}, 3, []beatPair{{1, 0}}, []int{0, 2}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, a, b := pairClosest(c.a, c.b, c.tol)
			if !slices.Equal(p, c.pairs) || !slices.Equal(a, c.onlyA) || !slices.Equal(b, c.onlyB) {
				t.Errorf("got %v %v %v, want %v %v %v", p, a, b, c.pairs, c.onlyA, c.onlyB)
			}
		})
	}
}

// mergeFs is the sampling frequency of mergeOnto's records:
// PairTolerance is 38 samples there, Refractory 50.
const mergeFs = 250

// TestMergePairing merges label sets whose beats sit near each other and
// checks the pairing rules: the same beat a sample or two apart, reader
// against suggestion, reader against reader, and the refractory check.
func TestMergePairing(t *testing.T) {
	N, V := annotate.Normal, annotate.PVC
	rb := func(s int64, c annotate.Code) annotate.Beat { return readerBeat(s, c, "alice") }
	cases := []struct {
		name                          string
		local, in                     annotate.LabelSet
		added, updated, deleted, kept int
		conflicts                     int
		want                          map[int64]annotate.Code
	}{
		{name: "reader moves a suggestion one sample", local: beats(modelBeat(300, N)), in: beats(rb(301, V)),
			updated: 1, want: map[int64]annotate.Code{301: V}},
		{name: "same label one sample apart, both readers: conflict", local: beats(rb(300, N)), in: beats(rb(301, N)),
			conflicts: 1, want: map[int64]annotate.Code{300: N}},
		{name: "both readers, other label, two samples apart: conflict", local: beats(rb(300, N)), in: beats(rb(302, V)),
			conflicts: 1, want: map[int64]annotate.Code{300: N}},
		{name: "suggestion one sample from a reader beat: reader wins", local: beats(rb(300, V)), in: beats(modelBeat(302, N)),
			kept: 1, want: map[int64]annotate.Code{300: V}},
		{name: "incoming reader's close pair kept", in: beats(rb(300, N), rb(320, V)),
			added: 2, want: map[int64]annotate.Code{300: N, 320: V}},
		{name: "local reader's close pair kept", local: beats(rb(300, N), rb(320, V)), in: beats(rb(300, N), rb(320, V)),
			want: map[int64]annotate.Code{300: N, 320: V}},
		{name: "reader beat closer than 200 ms to a reader beat: conflict", local: beats(rb(300, N)), in: beats(rb(345, N)),
			conflicts: 1, want: map[int64]annotate.Code{300: N}},
		{name: "suggestion closer than 200 ms to a reader beat: kept out", local: beats(rb(300, N)), in: beats(modelBeat(345, N)),
			kept: 1, want: map[int64]annotate.Code{300: N}},
		{name: "suggestion makes way for a reader beat 180 ms off", local: beats(modelBeat(300, N)), in: beats(rb(345, V)),
			added: 1, deleted: 1, want: map[int64]annotate.Code{345: V}},
		{name: "beats 400 ms apart both stay", local: beats(rb(300, N)), in: beats(rb(400, V)),
			added: 1, want: map[int64]annotate.Code{300: N, 400: V}},
		{name: "deletion one sample off", local: beats(modelBeat(300, N)), in: annotate.LabelSet{Deleted: []annotate.Tomb{{Sample: 301, By: "alice"}}},
			deleted: 1, want: map[int64]annotate.Code{}},
		{name: "local deletion two samples off a reader beat: conflict",
			local: annotate.LabelSet{Deleted: []annotate.Tomb{{Sample: 300, By: "alice"}}}, in: beats(rb(302, N)),
			conflicts: 1, want: map[int64]annotate.Code{}},
		{name: "another detector's positions", local: beats(rb(300, N), rb(550, N), rb(800, V)), in: beats(rb(302, N), rb(551, N), rb(803, N)),
			conflicts: 3, want: map[int64]annotate.Code{300: N, 550: N, 800: V}},
		{name: "an annotation one sample from a beat is not that beat", local: beats(rb(300, N)), in: beats(rb(301, annotate.Arfct)),
			added: 1, want: map[int64]annotate.Code{300: N, 301: annotate.Arfct}},
		{name: "a non-conducted P 80 ms after a beat is no double", local: beats(rb(300, N)), in: beats(rb(320, annotate.NAPC)),
			added: 1, want: map[int64]annotate.Code{300: N, 320: annotate.NAPC}},
		{name: "an annotation at a beat's sample: conflict", local: beats(rb(300, N)), in: beats(rb(300, annotate.Arfct)),
			conflicts: 1, want: map[int64]annotate.Code{300: N}},
		{name: "incoming reader's close pair beside the same beat here", local: beats(rb(800, V)), in: beats(rb(800, V), rb(803, N)),
			added: 1, want: map[int64]annotate.Code{800: V, 803: N}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db, id, res := mergeOnto(t, 10, c.local, c.in)
			if res.Added != c.added || res.Updated != c.updated || res.Deleted != c.deleted || res.Kept != c.kept || len(res.Conflicts) != c.conflicts {
				t.Errorf("got %s, want %d added %d updated %d deleted %d kept %d conflicts", res, c.added, c.updated, c.deleted, c.kept, c.conflicts)
			}
			for _, cf := range res.Conflicts {
				t.Log(cf)
			}
			checkAfter(t, db, id, c.want, nil)
			again, err := Merge(db, Incoming{Record: id, Name: "r", Reader: "alice", Labels: c.in, From: "test"}, testNow)
			if err != nil || again.Rev != 0 {
				t.Errorf("the same merge again wrote revision %d (%v): %s", again.Rev, err, again)
			}
		})
	}
}

func beats(bs ...annotate.Beat) annotate.LabelSet { return annotate.LabelSet{Beats: bs} }

// minRR returns the shortest interval between two beats and where.
func minRR(bs []annotate.Beat) (int64, int64) {
	best, at := int64(-1), int64(-1)
	for i := 1; i < len(bs); i++ {
		if d := bs[i].Sample - bs[i-1].Sample; best < 0 || d < best {
			best, at = d, bs[i-1].Sample
		}
	}
	return best, at
}

// FuzzPairClosest checks the contract of pairClosest, and of pairNear with
// every third position not a QRS beat, on any two position sets: pairs one
// to one and in the order of a, none further apart than tol (0 for other
// annotations), and every index either paired or listed once as unpaired.
// (An unpaired a and an unpaired b may still lie within tol of each other:
// bxb's walk decides locally, testdata seed b90923d8afef282f; the merge's
// refractory rule then keeps them from becoming two beats.)
func FuzzPairClosest(f *testing.F) {
	f.Add([]byte{0, 3, 10, 1}, []byte{1, 2, 20}, uint8(3))
	f.Add([]byte{5, 5, 5}, []byte{1, 1, 1, 1}, uint8(4))
	f.Fuzz(func(t *testing.T, da, db []byte, tol uint8) {
		a, b := ascending(da), ascending(db)
		all := func(int) bool { return true }
		p, oa, ob := pairClosest(a, b, int64(tol))
		checkPairs(t, a, b, p, oa, ob, int64(tol), all, all)
		qrs := func(i int) bool { return i%3 != 2 }
		p, oa, ob = pairNear(a, b, qrs, qrs, int64(tol))
		checkPairs(t, a, b, p, oa, ob, int64(tol), qrs, qrs)
	})
}

func checkPairs(t *testing.T, a, b []int64, pairs []beatPair, onlyA, onlyB []int, tol int64, qrsA, qrsB func(int) bool) {
	t.Helper()
	reach := func(i, j int) int64 {
		if qrsA(i) && qrsB(j) {
			return tol
		}
		return 0
	}
	seenA, seenB := make([]int, len(a)), make([]int, len(b))
	for k, p := range pairs {
		if abs64(a[p.A]-b[p.B]) > reach(p.A, p.B) || (k > 0 && pairs[k-1].A >= p.A) {
			t.Fatalf("pair %v out of reach or order", p)
		}
		seenA[p.A]++
		seenB[p.B]++
	}
	for _, i := range onlyA {
		seenA[i]++
	}
	for _, j := range onlyB {
		seenB[j]++
	}
	if slices.ContainsFunc(seenA, func(n int) bool { return n != 1 }) || slices.ContainsFunc(seenB, func(n int) bool { return n != 1 }) {
		t.Fatalf("indices not partitioned: a %v b %v", seenA, seenB)
	}
}

// ascending turns fuzz bytes into strictly ascending positions (gaps).
func ascending(d []byte) []int64 {
	var out []int64
	s := int64(0)
	for _, g := range d {
		s += int64(g) + 1
		out = append(out, s)
	}
	return out
}
