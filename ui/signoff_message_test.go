package ui

import (
	"strings"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
)

// TestSignOffMessage checks that the sign-off question counts the beats
// nobody reviewed by where their labels come from: imported reference
// labels are not called the model's.
func TestSignOffMessage(t *testing.T) {
	beat := func(src annotate.Source, rev annotate.Review) annotate.Beat {
		return annotate.Beat{Code: annotate.ClassN.Code(), Prov: annotate.Provenance{Source: src}, Review: rev}
	}
	model, ref := beat(annotate.SourceModel, annotate.Unreviewed), beat(annotate.SourceReference, annotate.Unreviewed)
	for _, c := range []struct {
		name  string
		beats []annotate.Beat
		want  []string
		not   []string
	}{
		{"all reviewed", []annotate.Beat{beat(annotate.SourceModel, annotate.Confirmed), beat(annotate.SourceReader, annotate.Changed)},
			nil, []string{"reviewed", "imported"}},
		{"one model beat", []annotate.Beat{model}, []string{"\n1 beat has not been reviewed: signed off with the labels the models gave."}, []string{"imported"}},
		{"imported only", []annotate.Beat{ref, ref}, []string{"\n2 beats keep their imported reference labels"}, []string{"models gave"}},
		{"both", []annotate.Beat{model, model, ref}, []string{"2 beats have not been reviewed", "1 beat keeps its imported"}, nil},
		{"reader's own unreviewed label", []annotate.Beat{beat(annotate.SourceReader, annotate.Unreviewed)}, nil, []string{"reviewed", "imported"}},
	} {
		got := signOffMessage("100", "ann", c.beats)
		if !strings.HasPrefix(got, "Sign off 100 as reader ann?") {
			t.Errorf("%s: %q", c.name, got)
		}
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %q lacks %q", c.name, got, w)
			}
		}
		for _, w := range c.not {
			if strings.Contains(got, w) {
				t.Errorf("%s: %q says %q", c.name, got, w)
			}
		}
	}
}
