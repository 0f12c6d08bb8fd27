package main

import (
	"github.com/ecgstation/ecgstation/app/research"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/eval"
	"github.com/ecgstation/ecgstation/annotate/synth"
)

// ec57Pinned are the EC57 matrices ([reference][test], N S V F Q O X) that
// eval gave before the one beat matcher (annotate.MatchTimes) replaced its
// own walk: computed once by running this file's comparisons with the code
// at commit 900f744 (git worktree add /tmp/oldm 900f744; the same test
// printing r.Matrix with %#v). Records: MIT-BIH atr against the project's
// QRS detector (benchOne, as bench-qrs runs it) and against mutateAnns(atr);
// synthetic records against mutateAnns. EC57 (5-minute learning period) and
// whole records.
var ec57Pinned = []struct {
	record, test string
	whole        bool
	want         eval.Matrix
}{
	{"100", "detector", false, eval.Matrix{{1872, 0, 0, 0, 0, 0, 0}, {29, 0, 0, 0, 0, 0, 0}, {1, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}}},
	{"100", "mutated", false, eval.Matrix{{1437, 243, 0, 0, 0, 187, 5}, {0, 20, 2, 0, 0, 7, 0}, {0, 0, 1, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}, {96, 3, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}}},
	{"100", "detector", true, eval.Matrix{{2239, 0, 0, 0, 0, 0, 0}, {33, 0, 0, 0, 0, 0, 0}, {1, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}}},
	{"100", "mutated", true, eval.Matrix{{1722, 290, 0, 0, 0, 222, 5}, {0, 21, 4, 0, 0, 8, 0}, {0, 0, 1, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}, {115, 3, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}}},
	{"105", "detector", false, eval.Matrix{{2101, 0, 0, 0, 0, 20, 0}, {0, 0, 0, 0, 0, 0, 0}, {29, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}, {5, 0, 0, 0, 0, 0, 0}, {31, 0, 0, 0, 0, 0, 0}, {5, 0, 0, 0, 0, 0, 0}}},
	{"105", "mutated", false, eval.Matrix{{1631, 273, 0, 0, 0, 213, 4}, {0, 0, 0, 0, 0, 0, 0}, {0, 0, 20, 7, 0, 2, 0}, {0, 0, 0, 0, 0, 0, 0}, {2, 0, 0, 0, 1, 2, 0}, {117, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}}},
	{"105", "detector", true, eval.Matrix{{2506, 0, 0, 0, 0, 20, 0}, {0, 0, 0, 0, 0, 0, 0}, {41, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}, {5, 0, 0, 0, 0, 0, 0}, {31, 0, 0, 0, 0, 0, 0}, {5, 0, 0, 0, 0, 0, 0}}},
	{"105", "mutated", true, eval.Matrix{{1946, 323, 0, 0, 0, 252, 5}, {0, 0, 0, 0, 0, 0, 0}, {0, 0, 29, 9, 0, 3, 0}, {0, 0, 0, 0, 0, 0, 0}, {2, 0, 0, 0, 1, 2, 0}, {139, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}}},
	{"108", "detector", false, eval.Matrix{{1457, 0, 0, 0, 0, 4, 0}, {4, 0, 0, 0, 0, 0, 0}, {13, 0, 0, 0, 0, 0, 0}, {2, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}, {12, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}}},
	{"108", "mutated", false, eval.Matrix{{1121, 186, 0, 0, 0, 150, 4}, {0, 3, 1, 0, 0, 0, 0}, {0, 0, 8, 5, 0, 0, 0}, {0, 0, 0, 1, 0, 1, 0}, {0, 0, 0, 0, 0, 0, 0}, {77, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}}},
	{"108", "detector", true, eval.Matrix{{1735, 0, 0, 0, 0, 5, 0}, {4, 0, 0, 0, 0, 0, 0}, {17, 0, 0, 0, 0, 0, 0}, {2, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}, {17, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}}},
	{"108", "mutated", true, eval.Matrix{{1337, 222, 0, 0, 0, 177, 4}, {0, 3, 1, 0, 0, 0, 0}, {0, 0, 12, 5, 0, 0, 0}, {0, 0, 0, 1, 0, 1, 0}, {0, 0, 0, 0, 0, 0, 0}, {92, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}}},
	{"203", "detector", false, eval.Matrix{{2094, 0, 0, 0, 0, 9, 0}, {0, 0, 0, 0, 0, 0, 0}, {367, 0, 0, 0, 0, 6, 0}, {1, 0, 0, 0, 0, 0, 0}, {4, 0, 0, 0, 0, 0, 0}, {13, 0, 0, 0, 0, 0, 0}, {3, 0, 0, 0, 0, 0, 0}}},
	{"203", "mutated", false, eval.Matrix{{1604, 279, 0, 0, 0, 215, 5}, {0, 0, 0, 0, 0, 0, 0}, {0, 0, 304, 37, 0, 32, 0}, {0, 0, 0, 0, 1, 0, 0}, {1, 0, 0, 0, 2, 1, 0}, {132, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}}},
	{"203", "detector", true, eval.Matrix{{2518, 0, 0, 0, 0, 11, 0}, {2, 0, 0, 0, 0, 0, 0}, {434, 0, 0, 0, 0, 10, 0}, {1, 0, 0, 0, 0, 0, 0}, {4, 0, 0, 0, 0, 0, 0}, {14, 0, 0, 0, 0, 0, 0}, {3, 0, 0, 0, 0, 0, 0}}},
	{"203", "mutated", true, eval.Matrix{{1934, 335, 0, 0, 0, 254, 6}, {0, 2, 0, 0, 0, 0, 0}, {0, 0, 358, 44, 0, 42, 0}, {0, 0, 0, 0, 1, 0, 0}, {1, 0, 0, 0, 2, 1, 0}, {156, 0, 2, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}}},
	{"207", "detector", false, eval.Matrix{{1376, 0, 0, 0, 0, 0, 0}, {107, 0, 0, 0, 0, 0, 0}, {109, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}, {3, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}}},
	{"207", "mutated", false, eval.Matrix{{1055, 178, 0, 0, 0, 140, 3}, {0, 81, 15, 0, 0, 11, 0}, {0, 0, 82, 15, 0, 12, 0}, {0, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}, {82, 1, 2, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}}},
	{"207", "detector", true, eval.Matrix{{1543, 0, 0, 0, 0, 0, 0}, {107, 0, 0, 0, 0, 0, 0}, {210, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}, {3, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}}},
	{"207", "mutated", true, eval.Matrix{{1180, 199, 0, 0, 0, 161, 3}, {0, 81, 15, 0, 0, 11, 0}, {0, 0, 162, 29, 0, 19, 0}, {0, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}, {95, 1, 3, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}}},
	{"208", "detector", false, eval.Matrix{{1297, 0, 0, 0, 0, 11, 0}, {2, 0, 0, 0, 0, 0, 0}, {824, 0, 0, 0, 0, 0, 0}, {300, 0, 0, 0, 0, 1, 0}, {1, 0, 0, 0, 0, 1, 0}, {10, 0, 0, 0, 0, 0, 0}, {5, 0, 0, 0, 0, 0, 0}}},
	{"208", "mutated", false, eval.Matrix{{1008, 157, 0, 0, 0, 138, 5}, {0, 1, 0, 0, 0, 1, 0}, {0, 0, 619, 124, 0, 81, 0}, {0, 0, 0, 235, 36, 29, 1}, {0, 0, 0, 0, 1, 1, 0}, {114, 0, 11, 2, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}}},
	{"208", "detector", true, eval.Matrix{{1574, 0, 0, 0, 0, 12, 0}, {2, 0, 0, 0, 0, 0, 0}, {991, 0, 0, 0, 0, 1, 0}, {372, 0, 0, 0, 0, 1, 0}, {1, 0, 0, 0, 0, 1, 0}, {11, 0, 0, 0, 0, 0, 0}, {5, 0, 0, 0, 0, 0, 0}}},
	{"208", "mutated", true, eval.Matrix{{1222, 192, 0, 0, 0, 167, 5}, {0, 1, 0, 0, 0, 1, 0}, {0, 0, 745, 151, 0, 96, 0}, {0, 0, 0, 294, 42, 35, 2}, {0, 0, 0, 0, 1, 1, 0}, {140, 0, 12, 2, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}}},
	{"synth1", "mutated", false, eval.Matrix{{310, 58, 0, 0, 0, 88, 1}, {0, 19, 4, 0, 0, 4, 0}, {0, 0, 47, 8, 0, 11, 1}, {0, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}, {65, 2, 5, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}}},
	{"synth1", "mutated", true, eval.Matrix{{517, 98, 0, 0, 0, 145, 1}, {0, 30, 8, 0, 0, 12, 0}, {0, 0, 67, 10, 0, 14, 1}, {0, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}, {111, 5, 8, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}}},
	{"synth2", "mutated", false, eval.Matrix{{289, 56, 0, 0, 0, 87, 2}, {0, 15, 2, 0, 0, 5, 0}, {0, 0, 60, 11, 0, 12, 0}, {0, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}, {65, 3, 6, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}}},
	{"synth2", "mutated", true, eval.Matrix{{490, 98, 0, 0, 0, 140, 2}, {0, 38, 4, 0, 0, 10, 0}, {0, 0, 74, 13, 0, 21, 0}, {0, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}, {108, 5, 12, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}}},
	{"synth3", "mutated", false, eval.Matrix{{302, 59, 0, 0, 0, 86, 2}, {0, 14, 2, 0, 0, 2, 0}, {0, 0, 52, 9, 0, 15, 0}, {0, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}, {64, 1, 8, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}}},
	{"synth3", "mutated", true, eval.Matrix{{509, 95, 0, 0, 0, 142, 2}, {0, 31, 6, 0, 0, 9, 0}, {0, 0, 64, 14, 0, 19, 0}, {0, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}, {111, 4, 9, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0}}},
}

// TestEC57FiguresUnchanged compares every count of the EC57 matrix with the
// values the code before the one matcher gave.
func TestEC57FiguresUnchanged(t *testing.T) {
	dir := filepath.Join(os.Getenv("ECGDATA"), "mitdb")
	for _, c := range ec57Pinned {
		name := c.record + "/" + c.test
		if c.whole {
			name += "/whole"
		}
		t.Run(name, func(t *testing.T) {
			got, err := pinnedMatrix(t, dir, c.record, c.test, c.whole)
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Errorf("matrix\n%v\nwant\n%v", got, c.want)
			}
		})
	}
}

// pinnedMatrix runs one comparison of ec57Pinned.
func pinnedMatrix(t *testing.T, dir, record, test string, whole bool) (eval.Matrix, error) {
	var info annotate.RecordInfo
	var ref []eval.Annotation
	if seed, ok := map[string]uint64{"synth1": 1, "synth2": 2, "synth3": 3}[record]; ok {
		info, ref = synthAnns(t, seed)
	} else {
		path := filepath.Join(dir, record)
		if _, err := os.Stat(path + ".hea"); os.Getenv("ECGDATA") == "" || err != nil {
			t.Skipf("MIT-BIH record %s not found (set ECGDATA to the data folder): %v", record, err)
		}
		if test == "detector" {
			r, err := benchOne(path, whole)
			if err != nil {
				return eval.Matrix{}, err
			}
			return r.Matrix, nil
		}
		var err error
		if info, err = recordInfo(path); err != nil {
			return eval.Matrix{}, err
		}
		if ref, err = research.ReadAnnotations(path, "atr"); err != nil {
			return eval.Matrix{}, err
		}
	}
	r, err := compareRecord(info, ref, mutateAnns(ref), whole)
	if err != nil {
		return eval.Matrix{}, err
	}
	return r.Matrix, nil
}

// mutateAnns is a test annotator made from the reference by fixed rules, so
// that every kind of outcome occurs: beats relabelled to the next AAMI
// class, missed, moved by 30 to 60 samples (inside and outside the match
// window), doubled with an extra beat 20 samples on (one test beat near two
// reference beats), jittered by up to 50 samples either way (close calls
// between neighbours), and a shutdown around every 400th beat.
func mutateAnns(ref []eval.Annotation) []eval.Annotation {
	codes := []annotate.Code{annotate.Normal, annotate.APC, annotate.PVC, annotate.Fusion, annotate.Unknown}
	var out []eval.Annotation
	for i, a := range ref {
		if !a.Code.IsBeat() {
			continue
		}
		switch {
		case i%400 == 399:
			out = append(out, eval.Annotation{Sample: a.Sample - 10, Code: annotate.NoiseAnn, Sub: 0x30},
				eval.Annotation{Sample: a.Sample + 10, Code: annotate.NoiseAnn})
			continue
		case i%11 == 0:
			continue
		case i%7 == 0:
			a.Code = codes[(int(a.Code.Class()) % len(codes))]
		case i%13 == 0:
			a.Sample += int64(30 + i%31)
		case i%17 == 0:
			out = append(out, eval.Annotation{Sample: a.Sample + 20, Code: annotate.Normal})
		case i%3 == 0:
			a.Sample += int64((i*37)%101 - 50)
		}
		out = append(out, a)
	}
	return out
}

// synthAnns returns the annotations of a 12-minute synthetic record with
// ectopic beats, a VT run, an AF episode, and VF marks around 30 s of it
// (ventricular flutter, whose beats are not scored).
func synthAnns(t testing.TB, seed uint64) (annotate.RecordInfo, []eval.Annotation) {
	c := synth.Default()
	c.Duration, c.Seed, c.Leads = 12*time.Minute, seed, 1
	c.PVC.PerHour, c.PAC.PerHour = 300, 300
	c.Events = []synth.Event{{Rhythm: "VT", At: 6 * time.Minute, Length: 20 * time.Second}, {Rhythm: "AFIB", At: 8 * time.Minute, Length: 2 * time.Minute}}
	info, _, ann, err := synth.Record(c)
	if err != nil {
		t.Fatal(err)
	}
	vf := []eval.Annotation{{Sample: eval.Seconds(420, info.Fs), Code: annotate.VFOn}, {Sample: eval.Seconds(450, info.Fs), Code: annotate.VFOff}}
	return info, append(eval.FromBeats(ann.Beats), vf...)
}
