package trace

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
)

// memSignal is an in-memory annotate.Signal; maxRead > 0 makes Read return
// at most that many samples, to exercise short reads.
type memSignal struct {
	info    annotate.RecordInfo
	data    [][]int32
	maxRead int
}

func newMemSignal(data [][]int32, adcRes int) *memSignal {
	info := annotate.RecordInfo{Name: "mem", Fs: 250, NSamples: int64(len(data[0]))}
	for range data {
		info.Leads = append(info.Leads, annotate.Lead{Name: "x", Units: "mV", Gain: 200, ADCRes: adcRes})
	}
	return &memSignal{info: info, data: data}
}

func (m *memSignal) Info() annotate.RecordInfo { return m.info }

func (m *memSignal) Read(dst [][]int32, start int64) (int, error) {
	if start < 0 || start >= m.info.NSamples {
		return 0, annotate.ErrOutOfRange
	}
	n := len(dst[0])
	if m.maxRead > 0 {
		n = min(n, m.maxRead)
	}
	k := 0
	for l := range dst {
		k = copy(dst[l][:n], m.data[l][start:])
	}
	return k, nil
}

func randomData(rng *rand.Rand, leads, n int, amp int32) [][]int32 {
	data := make([][]int32, leads)
	for l := range data {
		data[l] = make([]int32, n)
		for i := range data[l] {
			data[l][i] = rng.Int32N(2*amp+1) - amp
		}
	}
	return data
}

func bruteRange(s []int32, from, to int64) (int32, int32) {
	lo, hi := s[from], s[from]
	for _, v := range s[from+1 : to] {
		lo, hi = min(lo, v), max(hi, v)
	}
	return lo, hi
}

// TestPyramidMatchesBruteForce checks every level against a direct scan of
// the samples over the bucket-widened range, on random data.
func TestPyramidMatchesBruteForce(t *testing.T) {
	cases := []struct {
		name    string
		leads   int
		n       int
		amp     int32
		adcRes  int
		maxRead int
		shift   uint
	}{
		{"one lead, whole chunks", 1, 1 << 17, 2048, 12, 0, 0},
		{"two leads, partial last bucket", 2, 100_003, 2048, 12, 0, 0},
		{"short reads", 2, 70_001, 1000, 12, 777, 0},
		{"24-bit values shifted by 8", 1, 50_000, 1 << 23, 24, 0, 8},
		{"shorter than one bucket", 1, 5, 100, 12, 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, uint64(c.n)))
			sig := newMemSignal(randomData(rng, c.leads, c.n, c.amp), c.adcRes)
			sig.maxRead = c.maxRead
			p, err := NewPyramid(sig, 0)
			if err != nil {
				t.Fatal(err)
			}
			if err := p.Build(context.Background(), nil); err != nil {
				t.Fatal(err)
			}
			if p.Done() != int64(c.n) {
				t.Fatalf("Done = %d, want %d", p.Done(), c.n)
			}
			for lead := range c.leads {
				checkLevels(t, p, sig.data[lead], lead, c.shift, rng)
			}
		})
	}
}

func checkLevels(t *testing.T, p *Pyramid, s []int32, lead int, shift uint, rng *rand.Rand) {
	t.Helper()
	n := int64(len(s))
	for j := range p.Levels() {
		k := uint(p.K0() + j)
		for range 200 {
			from := rng.Int64N(n)
			to := from + 1 + rng.Int64N(n-from)
			lo, hi, ok := p.Range(lead, j, from, to)
			if !ok {
				t.Fatalf("level %d [%d,%d): not ok", j, from, to)
			}
			a, b := from>>k<<k, min(((to-1)>>k+1)<<k, n)
			wlo, whi := bruteRange(s, a, b)
			wlo, whi = wlo>>shift<<shift, whi>>shift<<shift
			if lo != wlo || hi != whi {
				t.Fatalf("level %d [%d,%d): got [%d,%d], want [%d,%d]", j, from, to, lo, hi, wlo, whi)
			}
		}
	}
	if lo, hi, _ := p.Range(lead, p.Levels()-1, 0, n); true {
		wlo, whi := bruteRange(s, 0, n)
		if lo != wlo>>shift<<shift || hi != whi>>shift<<shift {
			t.Fatalf("top level: got [%d,%d], want [%d,%d]", lo, hi, wlo, whi)
		}
	}
}

func TestFinestShift(t *testing.T) {
	// Expected values: the smallest k >= 4 with 4 bytes per bucket over all
	// levels (about 8n/2^k per lead) within min(n*leads*2/16, 32 MiB).
	// 8n/2^k <= n/8 needs 2^k >= 64, but the bucket count rounding up makes
	// k = 6 just too big, so most records land on 7; the 32 MiB cap moves
	// long records further; short records get the 64 KiB floor.
	const day = 24 * 3600
	cases := []struct {
		name  string
		n     int64
		leads int
		want  int
	}{
		{"MIT-BIH 30 min 360 Hz 2 leads", 30 * 60 * 360, 2, 7},
		{"24 h 250 Hz 2 leads", day * 250, 2, 7},
		{"7 days 250 Hz 2 leads", 7 * day * 250, 2, 7},
		{"14 days 250 Hz 2 leads", 14 * day * 250, 2, 8},
		{"14 days 1000 Hz 12 leads", 14 * day * 1000, 12, 12},
		{"100 samples (64 KiB floor)", 100, 1, 4},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := FinestShift(c.n, c.leads, 0)
			if got != c.want {
				t.Errorf("FinestShift = %d, want %d", got, c.want)
			}
			if b := PyramidBytes(c.n, c.leads, got); b > DefaultMaxBytes || b > max(c.n*int64(c.leads)*2/16, minBudget) {
				t.Errorf("pyramid takes %d bytes, over budget", b)
			}
		})
	}
}

func TestLevelFor(t *testing.T) {
	sig := newMemSignal(randomData(rand.New(rand.NewPCG(2, 2)), 1, 1<<20, 10), 12)
	p, err := NewPyramid(sig, 0)
	if err != nil {
		t.Fatal(err)
	}
	k0 := p.K0() // 7 for 2^20 samples, 1 lead
	cases := []struct {
		spp    float64
		want   int
		wantOK bool
	}{
		{0.25, 0, false},
		{1, 0, false},
		{float64(int(1)<<k0) - 0.5, 0, false},
		{float64(int(1) << k0), 0, true},
		{float64(int(1)<<(k0+1)) - 1, 0, true},
		{float64(int(1) << (k0 + 1)), 1, true},
		{float64(int(1) << (k0 + 5)), 5, true},
		{1e12, p.Levels() - 1, true},
	}
	for _, c := range cases {
		t.Run(fmt.Sprint(c.spp), func(t *testing.T) {
			got, ok := p.LevelFor(c.spp)
			if got != c.want || ok != c.wantOK {
				t.Errorf("LevelFor(%g) = %d, %v; want %d, %v", c.spp, got, ok, c.want, c.wantOK)
			}
		})
	}
}

func TestPyramidErrors(t *testing.T) {
	cases := []struct {
		name string
		sig  annotate.Signal
		want error
	}{
		{"no leads", &memSignal{info: annotate.RecordInfo{NSamples: 10}}, ErrNoLeads},
		{"unknown length", &memSignal{info: annotate.RecordInfo{Leads: []annotate.Lead{{Gain: 1}}}}, ErrUnknownLength},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := NewPyramid(c.sig, 0); !errors.Is(err, c.want) {
				t.Errorf("err = %v, want %v", err, c.want)
			}
		})
	}
	t.Run("signal shorter than stated", func(t *testing.T) {
		sig := newMemSignal(randomData(rand.New(rand.NewPCG(3, 3)), 1, 1000, 10), 12)
		sig.info.NSamples = 5000
		p, err := NewPyramid(sig, 0)
		if err != nil {
			t.Fatal(err)
		}
		err = p.Build(context.Background(), nil)
		if !errors.Is(err, ErrShortRead) {
			t.Errorf("Build err = %v, want ErrShortRead", err)
		}
		if want := "at sample 1000:"; err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Build err = %v, want it to say %q", err, want)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		sig := newMemSignal(randomData(rand.New(rand.NewPCG(4, 4)), 1, 1000, 10), 12)
		p, _ := NewPyramid(sig, 0)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := p.Build(ctx, nil); !errors.Is(err, context.Canceled) {
			t.Errorf("Build err = %v, want context.Canceled", err)
		}
		if _, _, ok := p.Range(0, 0, 0, 10); ok {
			t.Error("Range ok on an unbuilt pyramid")
		}
	})
}
