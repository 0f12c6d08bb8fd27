package main

import (
	"path/filepath"
	"testing"

	"github.com/ecgstation/ecgstation/store/ecgdata"
)

// TestDumpWFDBConventions runs dump on every wfdb-samples record with
// several samples per frame, missing samples or skew, and checks the lines
// against the conventions of WFDB's rdsamp: a frame's value is getvec's
// mean truncated toward zero (03700181's first signal has 4 samples per
// frame; store/wfdb's TestGetvecMeans checks every frame), a missing sample
// (WFDB_INVALID_SAMPLE, -32768) prints as "-" with -p and as -32768 without,
// and a record with skewed signals ends where getvec stops, its largest
// skew before the header's length.
func TestDumpWFDBConventions(t *testing.T) {
	dir := ecgdata.Dir(t, "wfdb-samples", "")
	s25047 := filepath.Join("multi-segment", "s25047", "s25047-2704-05-04-10-44.hea")
	cases := []struct {
		rec  string
		args []string
		want string
	}{
		{"03700181", []string{"--to", "2"}, "0\t56\t-943\t-208\n1\t23\t-946\t-186\n"},
		{"03700181", []string{"--to", "1", "--physical"}, "0\t0.019\t51.558\t-0.104\n"},
		{"03700181", []string{"--to", "1", "--physical", "--full-precision"}, "0\t0.01889485351427405\t51.557632398753896\t-0.104\n"},
		{s25047, []string{"--to", "1"}, "0\t-32768\t-32768\t-32768\n"},
		{s25047, []string{"--to", "1", "--physical"}, "0\t-\t-\t-\n"},
		// Skew 3: rdsamp's last line is frame 649996 (getvec reads 3 frames
		// ahead and stops at the end of 100.dat), which is 100's sample
		// 649999 of V5.
		{"100skew", []string{"--from", "649995", "--physical"}, "649995\t-0.075\t-0.335\n649996\t-0.445\t0.000\n"},
		{"test01_00s_skew", []string{"--from", "3995"}, "3995\t-26\t-18\t14\t18\n3996\t-26\t-18\t14\t17\n"},
		// ECG_1 (skew 3) is test01_00s's sample 3999; ECG_2 the truncated
		// mean of -18 and 16.
		{"test01_00s_skewframe", []string{"--from", "3996"}, "3996\t-26\t-1\t17\n"},
	}
	for _, c := range cases {
		t.Run(c.rec+" "+c.args[len(c.args)-1], func(t *testing.T) {
			args := append([]string{"dump", filepath.Join(dir, c.rec)}, c.args...)
			out, stderr, code := runCmd(t, args...)
			if code != 0 || out != c.want {
				t.Errorf("%v: exit %d, out %q (stderr %q), want %q", args[1:], code, out, stderr, c.want)
			}
		})
	}
}
