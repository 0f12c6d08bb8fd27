package cinc

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecgstation/ecgstation/store/ecgdata"
	"github.com/ecgstation/ecgstation/store/wfdb"
)

var referenceCases = []struct {
	name, text string
	want       []Label
	line       int // error line, 0 when the text is valid
}{
	{name: "lf", text: "A00001,N\nA00002,A\n", want: []Label{{"A00001", Normal}, {"A00002", AF}}},
	{name: "crlf and no final newline", text: "A00001,O\r\nA00005,~", want: []Label{{"A00001", Other}, {"A00005", Noisy}}},
	{name: "blank lines skipped", text: "\nA00001,N\n\n", want: []Label{{"A00001", Normal}}},
	{name: "empty", text: "", line: 0},
	{name: "only blank", text: "\n\r\n", line: 2},
	{name: "no comma", text: "A00001 N\n", line: 1},
	{name: "two commas", text: "A00001,N,x\n", line: 1},
	{name: "unknown label", text: "A00001,N\nA00002,X\n", line: 2},
	{name: "empty label", text: "A00001,\n", line: 1},
	{name: "long label", text: "A00001,NN\n", line: 1},
	{name: "lower-case label", text: "A00001,n\n", line: 1},
	{name: "empty name", text: ",N\n", line: 1},
	{name: "path in name", text: "../A00001,N\n", line: 1},
	{name: "space in name", text: "A 1,N\n", line: 1},
	{name: "duplicate", text: "A00001,N\nA00002,N\nA00001,A\n", line: 3},
	{name: "overlong line", text: strings.Repeat("A", 300) + ",N\n", line: 1},
}

func TestReadReference(t *testing.T) {
	for _, c := range referenceCases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ReadReference(strings.NewReader(c.text), "REFERENCE.csv")
			if c.want == nil {
				var pe *ParseError
				if !errors.Is(err, ErrFormat) || !errors.As(err, &pe) {
					t.Fatalf("err = %v, want a ParseError wrapping ErrFormat", err)
				}
				if c.line > 0 && pe.Line != c.line {
					t.Errorf("error on line %d, want %d: %v", pe.Line, c.line, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(c.want) {
				t.Fatalf("got %v, want %v", got, c.want)
			}
			for i := range got {
				if got[i] != c.want[i] {
					t.Errorf("label %d = %v, want %v", i, got[i], c.want[i])
				}
			}
		})
	}
}

func TestClassName(t *testing.T) {
	for c, want := range map[Class]string{Normal: "normal", AF: "AF", Other: "other", Noisy: "noisy", 'X': `class 'X'`} {
		if got := c.Name(); got != want {
			t.Errorf("%q.Name() = %q, want %q", byte(c), got, want)
		}
	}
}

func TestOpenMissing(t *testing.T) {
	_, err := Open(t.TempDir())
	if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), "REFERENCE.csv") {
		t.Fatalf("err = %v, want a missing REFERENCE.csv", err)
	}
}

func TestOpenPaths(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "REFERENCE.csv"), []byte("A00001,N\nA00002,A\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	recs, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[1].Path != filepath.Join(dir, "A00002") || recs[1].Class != AF {
		t.Fatalf("records %+v", recs)
	}
}

// TestCinC2017 reads the real set: the label counts are those the challenge
// published (Clifford et al. 2017: 5,050 N, 738 A, 2,456 O, 284 ~), and a
// recording opens at 300 Hz with the length its header states.
func TestCinC2017(t *testing.T) {
	dir := ecgdata.Dir(t, "cinc2017", "REFERENCE.csv")
	recs, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	n := map[Class]int{}
	for _, r := range recs {
		n[r.Class]++
	}
	want := map[Class]int{Normal: 5050, AF: 738, Other: 2456, Noisy: 284}
	for c, w := range want {
		if n[c] != w {
			t.Errorf("%s: %d records, want %d", c.Name(), n[c], w)
		}
	}
	rec, err := wfdb.Open(recs[0].Path)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Close()
	if info := rec.Info(); info.Fs != 300 || info.NSamples != 9000 {
		t.Errorf("%s: fs %v, %d samples; want 300 Hz, 9000", recs[0].Record, info.Fs, info.NSamples)
	}
}
