package report

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/stats"
)

var updateEvents = flag.Bool("update-events", false, "rewrite testdata/keyevents.golden")

// TestKeyEventsCleanestGolden checks which occurrence each strip shows on a
// hand-made summary (fs 100, 7-s strips) against testdata/keyevents.golden:
// of two AF episodes the clean later one comes first (the earlier has no
// clean strip: its least noisy one, at the onset, is shown), of two V runs
// of the longest length the strip goes to the one noise does not touch,
// and a long RR interval in artefact has its strip, folded with the
// bigeminy episode it lies in.
func TestKeyEventsCleanestGolden(t *testing.T) {
	const fs = 100
	noise := []annotate.Span{{Start: 1000, End: 8700}, {Start: 20000, End: 21500}, {Start: 40000, End: 40400}}
	af := func(a, b int64) stats.EpisodeSummary {
		return stats.EpisodeSummary{Episode: annotate.Episode{Start: a, End: b, Rhythm: "AFIB"}}
	}
	s := &stats.Summary{Fs: fs, Options: stats.DefaultOptions(), Noise: noise,
		HR: stats.HR{Min: stats.HRPoint{BPM: 48, Sample: 60000, N: 8}, Max: stats.HRPoint{BPM: 150, Sample: 70000, N: 9}, Mean: 80},
		V: stats.Ectopy{Class: annotate.ClassV, Runs: 3, LongestRun: 5, LongestRunAt: 20100,
			Stretches: []stats.Stretch{{First: 20100, Last: 20400, Beats: 5}, {First: 5000, Last: 5200, Beats: 3}, {First: 30000, Last: 30300, Beats: 5}}},
		LongRRToCheck: []stats.RR{{Prev: 40000, Sample: 40300, Sec: 3}},
		Episodes: []stats.EpisodeSummary{af(800, 9000), af(50000, 52000),
			{Episode: annotate.Episode{Start: 39800, End: 40600, Rhythm: "B"}}}}
	var b strings.Builder
	for _, e := range KeyEvents(s, 7*fs) {
		a, z := e.At-7*fs/2, e.At+7*fs/2
		fmt.Fprintf(&b, "%-100s at %6d, noise in strip %4d samples\n", e.Title, e.At, noiseIn(noise, a, z))
	}
	checkGolden(t, filepath.Join("testdata", "keyevents.golden"), b.String())
}

// checkGolden compares got with the golden file, rewriting it with
// -update-events.
func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	if *updateEvents {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./store/report -run TestKeyEventsCleanestGolden -update-events)", err)
	}
	if got != string(want) {
		t.Errorf("key events differ from %s:\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}
