package eval

import (
	"strings"
	"testing"
)

// TestWriteSummaryUndefined checks that gross and average figures no record
// defines print as "-", as the per-record lines do, and defined ones as
// percentages.
func TestWriteSummaryUndefined(t *testing.T) {
	onlyN := &Result{Record: "a"}
	onlyN.Matrix[LabelN][LabelN] = 99
	onlyN.Matrix[LabelN][LabelO] = 1
	withV := &Result{Record: "b"}
	withV.Matrix[LabelV][LabelV] = 3
	withV.Matrix[LabelV][LabelN] = 1
	cases := []struct {
		name    string
		results []*Result
		want    string
	}{
		{"no V or S beats anywhere", []*Result{onlyN},
			"Gross         99     1     0   99.00  100.00       -       -       -       -\n" +
				"Average                        99.00  100.00       -       -       -       -\n"},
		{"V beats in one record", []*Result{onlyN, withV},
			"Gross        103     1     0   99.04  100.00   75.00  100.00       -       -\n" +
				"Average                        99.50  100.00   75.00  100.00       -       -\n"},
		{"no records", nil,
			"Gross          0     0     0       -       -       -       -       -       -\n" +
				"Average                            -       -       -       -       -       -\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var b strings.Builder
			if err := WriteSummary(&b, "", c.results); err != nil {
				t.Fatal(err)
			}
			if b.String() != c.want {
				t.Errorf("got\n%swant\n%s", b.String(), c.want)
			}
		})
	}
}
