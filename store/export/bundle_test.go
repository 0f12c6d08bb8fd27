package export

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

const (
	bHead = `{"t":"bundle","format":"ecgstation label bundle","version":1}` + "\n"
	bSet  = `{"t":"set","record":"` + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" + `","name":"r","fs":250,"reader":"alice"}` + "\n"
	bBeat = `{"t":"b","s":370,"c":"N","src":3,"who":"alice","r":2}` + "\n"
	bEnd1 = `{"t":"end","beats":1}` + "\n"
)

// bundleCases are parser inputs with the error they must give (nil: ok,
// with sets label sets); the fuzz target starts from them.
var bundleCases = []struct {
	name string
	in   string
	err  error
	sets int
	line int
}{
	{"one set", bHead + bSet + bBeat + bEnd1, nil, 1, 0},
	{"empty set", bHead + bSet + `{"t":"end"}` + "\n", nil, 1, 0},
	{"all kinds", bHead + bSet + bBeat + `{"t":"d","s":400,"by":"alice"}` + "\n" +
		`{"t":"e","id":1,"start":0,"end":900,"rhythm":"AFIB","src":3,"who":"alice","r":1}` + "\n" +
		`{"t":"n","id":1,"start":10,"end":90,"lead":-1,"reason":"noise","src":2,"who":"q@1"}` + "\n" +
		`{"t":"end","beats":1,"deleted":1,"episodes":1,"noise":1}` + "\n", nil, 1, 0},
	{"empty file", "", ErrNotBundle, 0, 0},
	{"not json", "hello\n", ErrNotBundle, 0, 1},
	{"wrong header", `{"t":"set"}` + "\n", ErrNotBundle, 0, 1},
	{"newer", `{"t":"bundle","format":"ecgstation label bundle","version":9}` + "\n", ErrBundleNewer, 0, 1},
	{"beat outside set", bHead + bBeat, ErrBundleOrder, 0, 2},
	{"truncated", bHead + bSet + bBeat, ErrBundleTruncated, 0, 3},
	{"count mismatch", bHead + bSet + bBeat + `{"t":"end","beats":2}` + "\n", ErrBundleCount, 0, 4},
	{"bad record id", bHead + strings.Replace(bSet, "0123", "XY23", 1), ErrBundleLine, 0, 2},
	{"unknown code", bHead + bSet + strings.Replace(bBeat, `"N"`, `"NN"`, 1), ErrBundleLine, 0, 3},
	{"beats out of order", bHead + bSet + bBeat + bBeat, ErrBundleOrder, 0, 4},
	{"bad source", bHead + bSet + strings.Replace(bBeat, `"src":3`, `"src":9`, 1), ErrBundleLine, 0, 3},
	{"empty episode", bHead + bSet + `{"t":"e","id":1,"start":5,"end":5,"rhythm":"AFIB"}` + "\n", ErrBundleLine, 0, 3},
	{"noise without lead", bHead + bSet + `{"t":"n","id":1,"start":5,"end":9}` + "\n", ErrBundleLine, 0, 3},
	{"set inside set", bHead + bSet + bSet, ErrBundleOrder, 0, 3},
	{"unknown line", bHead + bSet + `{"t":"zz"}` + "\n", ErrBundleLine, 0, 3},
	{"no reader", bHead + strings.Replace(bSet, `"alice"`, `""`, 1), ErrBundleLine, 0, 2},
	{"model layer", bHead2 + bModel + bBeat + bEnd1, nil, 1, 0},
	{"model layer with reader", bHead2 + strings.Replace(bModel, `"who"`, `"reader":"alice","who"`, 1), ErrBundleLine, 0, 2},
	{"model layer without who", bHead2 + strings.Replace(bModel, `"who":"qrs@2+beat@1"`, `"path":"/a"`, 1), ErrBundleLine, 0, 2},
	{"unknown layer", bHead2 + strings.Replace(bModel, `"model"`, `"adapter"`, 1), ErrBundleLine, 0, 2},
}

// A version 2 bundle's header and model layer set line.
const (
	bHead2 = `{"t":"bundle","format":"ecgstation label bundle","version":2}` + "\n"
	bModel = `{"t":"set","layer":"model","record":"` + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" +
		`","name":"r","fs":250,"who":"qrs@2+beat@1","path":"/archive/r.hea"}` + "\n"
)

func TestReadBundle(t *testing.T) {
	for _, c := range bundleCases {
		t.Run(c.name, func(t *testing.T) {
			sets := 0
			err := ReadBundle(strings.NewReader(c.in), "x.ecgb", func(BundleSet) error { sets++; return nil })
			if !errors.Is(err, c.err) || sets != c.sets {
				t.Fatalf("err %v, %d sets; want %v, %d", err, sets, c.err, c.sets)
			}
			var be *BundleError
			if c.err != nil && (!errors.As(err, &be) || be.Line != c.line || be.File != "x.ecgb") {
				t.Errorf("error %v does not say x.ecgb:%d", err, c.line)
			}
		})
	}
}

// FuzzReadBundle checks that no input makes the parser panic, that every
// error is a *BundleError saying where, and that an accepted label set
// keeps its beats in strictly increasing sample order. Seeds: the table
// above and a bundle written from the test fixture's database.
func FuzzReadBundle(f *testing.F) {
	for _, c := range bundleCases {
		f.Add([]byte(c.in))
	}
	fx := newFixture(f)
	var buf bytes.Buffer
	if _, err := WriteBundle(fx.db, &buf, BundleOptions{Now: testNow}); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	buf.Reset()
	fx.modelLayer(f)
	if _, err := WriteBundle(fx.db, &buf, BundleOptions{Now: testNow, Model: true, Paths: true}); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Fuzz(func(t *testing.T, b []byte) {
		var sets []BundleSet
		err := ReadBundle(bytes.NewReader(b), "f", func(s BundleSet) error { sets = append(sets, s); return nil })
		var be *BundleError
		if err != nil && !errors.As(err, &be) {
			t.Fatalf("error %v is not a *BundleError", err)
		}
		for _, s := range sets {
			for i := 1; i < len(s.Labels.Beats); i++ {
				if s.Labels.Beats[i].Sample <= s.Labels.Beats[i-1].Sample {
					t.Fatalf("beats out of order accepted")
				}
			}
		}
	})
}
