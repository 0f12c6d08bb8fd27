package export

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// mitPlans are plans for 22 records named like MIT-BIH's 100..121 and 201,
// 202 (one subject: the MIT-BIH directory says records 201 and 202 come
// from the same patient), with patient keys from pm.
func mitPlans(pm map[string]string) []*recPlan {
	ps := plansOf(22, nil)
	for i, p := range ps {
		p.info.Name = fmt.Sprint(100 + i)
	}
	ps[20].info.Name, ps[21].info.Name = "201", "202"
	for _, p := range ps {
		p.patient = pm[p.info.Name]
	}
	return ps
}

// TestPatientSplit: with a patient map that names 201 and 202 as one
// subject, no seed puts them in different splits, and the shares count
// patients (21 groups: 15/3/3); without it, some seed separates them,
// which is the leak the map closes.
func TestPatientSplit(t *testing.T) {
	pm, err := ParsePatients(strings.NewReader("# MIT-BIH\n201,mitdb-201-202\n202, mitdb-201-202\n"))
	if err != nil {
		t.Fatal(err)
	}
	separated := 0
	for seed := range uint64(200) {
		with, without := mitPlans(pm), mitPlans(nil)
		assignSplits(with, [3]float64{70, 15, 15}, seed)
		assignSplits(without, [3]float64{70, 15, 15}, seed)
		if with[20].split != with[21].split {
			t.Fatalf("seed %d: 201 in %s, 202 in %s", seed, splitNames[with[20].split], splitNames[with[21].split])
		}
		if without[20].split != without[21].split {
			separated++
		}
		var groups [3]int
		for i, p := range with[:21] { // 201 and 202 count once
			if i < 20 || p.split == with[21].split {
				groups[p.split]++
			}
		}
		if groups != [3]int{15, 3, 3} {
			t.Fatalf("seed %d: patients per split %v, want [15 3 3]", seed, groups)
		}
	}
	if separated == 0 {
		t.Error("without a patient map no seed separated 201 and 202: the test shows nothing")
	}
	t.Logf("without the patient map, %d of 200 seeds put 201 and 202 in different splits", separated)
}

// TestPatientSplitUnchanged: without a patient map the split is the
// per-record one of earlier exports (the same records in the same splits).
func TestPatientSplitUnchanged(t *testing.T) {
	a, b := mitPlans(nil), mitPlans(map[string]string{"none": "x"})
	assignSplits(a, [3]float64{70, 15, 15}, 7)
	assignSplits(b, [3]float64{70, 15, 15}, 7)
	if fmt.Sprint(splitsOf(a)) != fmt.Sprint(splitsOf(b)) {
		t.Errorf("an unused patient map changed the split: %v vs %v", splitsOf(a), splitsOf(b))
	}
}

func TestParsePatients(t *testing.T) {
	cases := []struct {
		name, in string
		want     map[string]string
		err      bool
	}{
		{"pairs", "201,p1\n202,p1\n\n# c\n100,p2\n", map[string]string{"201": "p1", "202": "p1", "100": "p2"}, false},
		{"same twice", "201,p1\n201,p1\n", map[string]string{"201": "p1"}, false},
		{"no comma", "201 p1\n", nil, true},
		{"empty patient", "201,\n", nil, true},
		{"two patients", "201,p1\n201,p2\n", nil, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ParsePatients(strings.NewReader(c.in))
			if c.err {
				if !errors.Is(err, ErrOption) {
					t.Fatalf("error %v, want ErrOption", err)
				}
				return
			}
			if err != nil || fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("ParsePatients = %v, %v; want %v", got, err, c.want)
			}
		})
	}
}

// FuzzParsePatients: any text parses or fails with ErrOption, never panics,
// and every pair it returns is non-empty.
func FuzzParsePatients(f *testing.F) {
	f.Add("201,p1\n202,p1\n")
	f.Add("# x\n\n100,a\n100,b\n")
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParsePatients(strings.NewReader(s))
		if err != nil {
			return
		}
		for k, v := range m {
			if k == "" || v == "" {
				t.Fatalf("empty pair %q,%q from %q", k, v, s)
			}
		}
	})
}

// TestPatientIndexes: the manifest's patient field numbers the patient keys
// p001, p002, ... as they first appear among the records sorted by name,
// the same for any spelling of the keys (nothing of the key is in it), ""
// for a record without a key.
func TestPatientIndexes(t *testing.T) {
	for _, pm := range []map[string]string{
		{"201": "Jane Doe", "202": "Jane Doe", "105": "MRN 0042", "110": "MRN 0042", "103": "x"},
		{"201": "a", "202": "a", "105": "b", "110": "b", "103": "c"},
	} {
		ps := mitPlans(pm)
		slices.Reverse(ps) // the order the plans come in does not matter
		assignPatientIndexes(ps)
		got := map[string]string{}
		for _, p := range ps {
			got[p.info.Name] = p.patientIndex
		}
		want := map[string]string{"103": "p001", "105": "p002", "110": "p002", "201": "p003", "202": "p003", "100": "", "119": ""}
		for name, w := range want {
			if got[name] != w {
				t.Errorf("keys %v: record %s has patient %q, want %q", pm, name, got[name], w)
			}
		}
	}
}
