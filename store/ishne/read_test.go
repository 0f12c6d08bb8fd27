package ishne

import (
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
)

type validCase struct {
	name     string
	header   func() Header
	n        int64
	edit     func([]byte) []byte // applied to the written bytes (CRC fixed after)
	names    []string
	gains    []float64
	start    time.Time
	nsamples int64
}

func validCases() []validCase {
	start := time.Date(2024, 3, 5, 8, 30, 15, 0, time.UTC)
	one := func() Header { h := twoLeads(); h.Leads = h.Leads[:1]; return h }
	twelve := func() Header {
		h := twoLeads()
		h.Leads = nil
		for c := LeadI; c <= LeadV6; c++ {
			h.Leads = append(h.Leads, LeadInfo{c, QualityGood, 5000})
		}
		return h
	}
	withBlock := func() Header { h := twoLeads(); h.VarBlock = []byte("device serial 42; filter 0.05-40 Hz"); return h }
	noDate := func() Header { h := twoLeads(); h.RecordDate = Date{-9, -9, -9}; return h }
	two := []string{"II", "V5"}
	return []validCase{
		{"two leads", twoLeads, 1000, nil, two, []float64{400, 1000}, start, 1000},
		{"one lead", one, 333, nil, two[:1], []float64{400}, start, 333},
		{"twelve leads", twelve, 50, nil, []string{"I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"},
			[]float64{200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200}, start, 50},
		{"variable-length block", withBlock, 10, nil, two, []float64{400, 1000}, start, 10},
		{"unknown record date", noDate, 10, nil, two, []float64{400, 1000}, time.Time{}, 10},
		{"ECG size counts all leads", twoLeads, 10, func(b []byte) []byte {
			le.PutUint32(b[offECGSize:], 20)
			return b
		}, two, []float64{400, 1000}, start, 10},
		{"trailing bytes ignored", twoLeads, 10, func(b []byte) []byte { return append(b, 1, 2, 3) },
			two, []float64{400, 1000}, start, 10},
	}
}

func TestReadValid(t *testing.T) {
	for _, c := range validCases() {
		t.Run(c.name, func(t *testing.T) {
			h := c.header()
			want := samples(len(h.Leads), c.n)
			b := encode(t, h, patient, want)
			if c.edit != nil {
				b = fixCRC(c.edit(b))
			}
			f, err := openBytes(b)
			if err != nil {
				t.Fatal(err)
			}
			checkInfo(t, f.Info(), c)
			for _, strip := range []int{1, 7, 100, 5000} {
				if got := readAll(t, f, strip); !reflect.DeepEqual(got, want) {
					t.Fatalf("strip %d: samples differ", strip)
				}
			}
			if got := f.Header(); got.Fs != h.Fs || got.Recorder != h.Recorder || string(got.VarBlock) != string(h.VarBlock) {
				t.Errorf("Header = %+v", got)
			}
		})
	}
}

func checkInfo(t *testing.T, info annotate.RecordInfo, c validCase) {
	t.Helper()
	var names []string
	var gains []float64
	for _, l := range info.Leads {
		names = append(names, l.Name)
		gains = append(gains, l.Gain)
		if l.Units != "mV" || l.Baseline != 0 || l.ADCRes != 16 {
			t.Errorf("lead %+v", l)
		}
	}
	if info.Format != "ISHNE" || info.Fs != 200 || info.NSamples != c.nsamples || info.Name != "mem" ||
		!info.Start.Equal(c.start) || !reflect.DeepEqual(names, c.names) || !reflect.DeepEqual(gains, c.gains) {
		t.Errorf("info = %+v, want %d samples, leads %q gains %v, start %v", info, c.nsamples, c.names, c.gains, c.start)
	}
}

func readAll(t *testing.T, f *File, n int) [][]int32 {
	t.Helper()
	info := f.Info()
	out := make([][]int32, len(info.Leads))
	dst := make([][]int32, len(info.Leads))
	for j := range dst {
		dst[j] = make([]int32, n)
	}
	for pos := int64(0); pos < info.NSamples; {
		got, err := f.Read(dst, pos)
		if err != nil || got == 0 {
			t.Fatalf("Read at %d: %d, %v", pos, got, err)
		}
		for j := range dst {
			out[j] = append(out[j], dst[j][:got]...)
		}
		pos += int64(got)
	}
	return out
}

// TestPhysical checks the scale: 2500 nV per unit, so 400 units = 1 mV.
func TestPhysical(t *testing.T) {
	f, err := openBytes(encode(t, twoLeads(), patient, [][]int32{{400, -1000}, {1, 2}}))
	if err != nil {
		t.Fatal(err)
	}
	l := f.Info().Leads[0]
	if l.Physical(400) != 1 || l.Physical(-1000) != -2.5 {
		t.Errorf("Physical: %g %g", l.Physical(400), l.Physical(-1000))
	}
}

func TestPHI(t *testing.T) {
	f, err := openBytes(encode(t, twoLeads(), patient, samples(2, 3)))
	if err != nil {
		t.Fatal(err)
	}
	if f.Patient() != patient {
		t.Errorf("Patient = %+v", f.Patient())
	}
	info := f.Info()
	if len(info.Comments) != 0 || info.Name == patient.LastName {
		t.Errorf("patient data in RecordInfo: %+v", info)
	}
}

func TestReadArguments(t *testing.T) {
	f, err := openBytes(encode(t, twoLeads(), patient, samples(2, 8)))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		dst   [][]int32
		start int64
		n     int
		err   error
	}{
		{"tail is short", [][]int32{make([]int32, 5), make([]int32, 5)}, 6, 2, nil},
		{"negative start", [][]int32{make([]int32, 1), make([]int32, 1)}, -1, 0, annotate.ErrOutOfRange},
		{"start at end", [][]int32{make([]int32, 1), make([]int32, 1)}, 8, 0, annotate.ErrOutOfRange},
		{"one slice for two leads", [][]int32{make([]int32, 1)}, 0, 0, ErrDst},
		{"no slices", nil, 0, 0, ErrDst},
		{"unequal lengths", [][]int32{make([]int32, 1), make([]int32, 2)}, 0, 0, ErrDst},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n, err := f.Read(c.dst, c.start)
			if n != c.n || !errors.Is(err, c.err) {
				t.Errorf("Read = %d, %v; want %d, %v", n, err, c.n, c.err)
			}
		})
	}
}

// TestConcurrentRead reads from many goroutines at once (run with -race).
func TestConcurrentRead(t *testing.T) {
	want := samples(2, 3000)
	f, err := openBytes(encode(t, twoLeads(), patient, want))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			dst := [][]int32{make([]int32, 77), make([]int32, 77)}
			for start := int64(g * 13); start < 3000; start += 97 {
				n, err := f.Read(dst, start)
				if err != nil || !reflect.DeepEqual(dst[1][:n], want[1][start:start+int64(n)]) {
					t.Errorf("goroutine %d start %d: %d, %v", g, start, n, err)
					return
				}
			}
		})
	}
	wg.Wait()
}
