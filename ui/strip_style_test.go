package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"github.com/ecgstation/ecgstation/annotate"
)

// TestLabelContrast: in both themes every class's label, the reader's and
// a model's unreviewed (faded) one, keeps at least 3:1 contrast against
// the strip's grid (the light theme's faded V and F were pale pink on
// the pink grid), and a model's label is still fainter than a reader's
// where the class colour leaves room to fade.
func TestLabelContrast(t *testing.T) {
	th := NewTheme()
	model := annotate.Provenance{Source: annotate.SourceModel, Who: "beat@1", Confidence: 0.9}
	reader := annotate.Provenance{Source: annotate.SourceReader, Who: "alice"}
	for _, v := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		paper, grid := stripColor(th, ColorNameECGPaper, v), stripColor(th, ColorNameECGGrid, v)
		for _, code := range []annotate.Code{annotate.Normal, annotate.APC, annotate.PVC, annotate.Fusion, annotate.Unknown} {
			c := stripColor(th, beatColorName(code), v)
			mine := labelColor(annotate.Beat{Code: code, Prov: reader, Review: annotate.Changed}, c, paper, grid)
			sugg := labelColor(annotate.Beat{Code: code, Prov: model}, c, paper, grid)
			if r := contrast(mine, grid); r < minLabelContrast {
				t.Errorf("variant %d: the reader's %s label has contrast %.2f on the grid", v, code.Symbol(), r)
			}
			if r := contrast(sugg, grid); r < minLabelContrast {
				t.Errorf("variant %d: a model's %s label %v has contrast %.2f on the grid", v, code.Symbol(), sugg, r)
			}
			if sugg == mine && contrast(c, grid) > minLabelContrast+0.2 {
				t.Errorf("variant %d: a model's %s label looks like the reader's", v, code.Symbol())
			}
		}
	}
}
