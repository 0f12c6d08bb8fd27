package edf

import (
	"encoding/binary"
	"github.com/ecgstation/ecgstation/store/ecgdata"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// sampleDir returns $ECGDATA/wfdb-samples, or skips the test.
func sampleDir(t *testing.T) string {
	return ecgdata.Dir(t, "wfdb-samples", "")
}

// heaSignal is one signal line of a WFDB header: "file 16x200 32.7675/uV
// 15 0 3276 0 0 description" (format x samples per frame, gain/units, ADC
// resolution, ADC zero, initial value, checksum, block size, description).
type heaSignal struct {
	spf      int
	gain     float64
	units    string
	initial  int32
	checksum int16
	desc     string
}

func readHea(t *testing.T, path string) (frames int, sigs []heaSignal) {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(strings.ReplaceAll(string(b), "\r", "")), "\n")
	frames, _ = strconv.Atoi(strings.Fields(lines[0])[3])
	for _, l := range lines[1:] {
		f := strings.SplitN(l, " ", 9)
		spf, _ := strconv.Atoi(strings.Split(f[1], "x")[1])
		g, u, _ := strings.Cut(f[2], "/")
		gain, _ := strconv.ParseFloat(g, 64)
		iv, _ := strconv.Atoi(f[5])
		ck, _ := strconv.Atoi(f[6])
		sigs = append(sigs, heaSignal{spf, gain, latin1(u), int32(iv), int16(ck), f[8]})
	}
	return frames, sigs
}

// TestTestGenerator2 reads test_generator_2.edf and checks it against the
// WFDB record of the same data from the wfdb-python sample folder
// (test_generator_2.hea and .dat, format 16, 200 samples per frame and
// signal, 51 for the "EDF Annotations" signal): the gains, the initial
// values and 16-bit checksums of the header, and every sample of the .dat.
func TestTestGenerator2(t *testing.T) {
	dir := sampleDir(t)
	f, err := Open(filepath.Join(dir, "test_generator_2.edf"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	frames, hea := readHea(t, filepath.Join(dir, "test_generator_2.hea"))
	info := f.Info()
	if len(info.Leads) != len(hea)-1 || info.Fs != 200 || info.NSamples != int64(frames*200) {
		t.Fatalf("info: %d leads %g Hz %d samples; header: %d signals, %d frames", len(info.Leads), info.Fs, info.NSamples, len(hea), frames)
	}
	got := readAll(t, f, 4096)
	dat := readDat(t, filepath.Join(dir, "test_generator_2.dat"), hea, frames)
	for j, l := range info.Leads {
		checkAgainstHea(t, j, l.Name, l.Units, l.Gain, got[j], hea[j])
		for i := range dat[j] {
			if got[j][i] != dat[j][i] {
				t.Fatalf("lead %d sample %d = %d, .dat has %d", j, i, got[j][i], dat[j][i])
			}
		}
	}
	anns, err := f.Annotations()
	want := []Annotation{{Onset: 0, Text: "RECORD START"}, {Onset: 600, Text: "REC STOP"}}
	if err != nil || len(anns) != 2 || anns[0] != want[0] || anns[1] != want[1] {
		t.Errorf("Annotations = %v, %v; want %v", anns, err, want)
	}
}

// checkAgainstHea compares one lead with its WFDB header line: WFDB gives
// the gain per uV (so x1000 per mV) or per degree (written as Latin-1
// "\xb0", like the EDF header), and the initial value
// and checksum (sum of all samples modulo 2^16) of the signal.
func checkAgainstHea(t *testing.T, j int, name, units string, gain float64, v []int32, h heaSignal) {
	t.Helper()
	wantGain, wantUnits := h.gain, h.units
	if h.units == "uV" {
		wantGain, wantUnits = h.gain*1000, "mV"
	}
	if name != h.desc || units != wantUnits || !near(gain, wantGain) {
		t.Errorf("lead %d = %q %q gain %g; header %q %q gain %g", j, name, units, gain, h.desc, wantUnits, wantGain)
	}
	var sum int32
	for _, x := range v {
		sum += x
	}
	if v[0] != h.initial || int16(sum) != h.checksum {
		t.Errorf("lead %d initial %d checksum %d; header %d %d", j, v[0], int16(sum), h.initial, h.checksum)
	}
}

// readDat decodes a WFDB format-16 file of frames with hea's samples per
// frame, and returns the samples of each signal.
func readDat(t *testing.T, path string, hea []heaSignal, frames int) [][]int32 {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := make([][]int32, len(hea))
	p := 0
	for range frames {
		for k, h := range hea {
			for range h.spf {
				out[k] = append(out[k], int32(int16(binary.LittleEndian.Uint16(b[p:]))))
				p += 2
			}
		}
	}
	if p != len(b) {
		t.Fatalf(".dat has %d bytes, frames use %d", len(b), p)
	}
	return out
}

// TestEDFAnnotationsFile reads test_edfann.edf, an EDF+ file with only an
// annotation signal (record duration 0). The expected values are its bytes
// as shown by xxd: start "01.01.01" "23.59.30", first TALs
// "+0\x1530\x14Sleep stage W\x14", "+30\x1530\x14Sleep stage W\x14",
// "+33.43\x150\x14Lights off@@EEG F4-A1\x14".
func TestEDFAnnotationsFile(t *testing.T) {
	dir := sampleDir(t)
	f, err := Open(filepath.Join(dir, "test_edfann.edf"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	info := f.Info()
	if len(info.Leads) != 0 || info.NSamples != 0 || info.Start.Format("2006-01-02 15:04:05") != "2001-01-01 23:59:30" {
		t.Errorf("info = %+v", info)
	}
	anns, err := f.Annotations()
	if err != nil || len(anns) < 3 {
		t.Fatalf("Annotations: %d, %v", len(anns), err)
	}
	want := []Annotation{{0, 30, "Sleep stage W"}, {30, 30, "Sleep stage W"}, {33.43, 0, "Lights off@@EEG F4-A1"}}
	for i, w := range want {
		if anns[i] != w {
			t.Errorf("annotation %d = %+v, want %+v", i, anns[i], w)
		}
	}
	for i := 1; i < len(anns); i++ {
		if anns[i].Onset < anns[i-1].Onset {
			t.Fatalf("annotations out of order at %d", i)
		}
	}
}
