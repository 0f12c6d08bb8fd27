package annotate

import "testing"

// dayOfLabels returns a session over a day of labels: 100,000 beats, 20
// episodes and 50 noise stretches, merged from the model.
func dayOfLabels(b *testing.B) *Session {
	b.Helper()
	var out ModelOutput
	for i := range 100_000 {
		out.Beats = append(out.Beats, Beat{Sample: int64(i) * 216, Code: Normal,
			Prov: Provenance{Source: SourceModel, Who: "beatnet@2", Confidence: 0.9}})
	}
	for i := range 20 {
		out.Episodes = append(out.Episodes, Episode{Start: int64(i) * 1_000_000, End: int64(i)*1_000_000 + 50_000, Rhythm: "AFIB"})
	}
	for i := range 50 {
		out.Noise = append(out.Noise, Noise{Start: int64(i)*400_000 + 7, End: int64(i)*400_000 + 9000, Reason: "flat"})
	}
	s, err := Open(&MemRepository{}, testRec, Options{Reader: "ann"})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.MergeModel(out); err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkEpisodesNoise reads the live episodes and noise of a day of
// labels: "copy-all" as Episodes and Noise did before (a copy of the
// whole label set, then the live ones), "direct" as they do now.
func BenchmarkEpisodesNoise(b *testing.B) {
	s := dayOfLabels(b)
	b.Run("copy-all", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			ls := s.Labels()
			var eps []EpisodeEntry
			for _, e := range ls.Episodes {
				if !e.Deleted {
					eps = append(eps, e)
				}
			}
			var ns []NoiseEntry
			for _, n := range ls.Noise {
				if !n.Deleted {
					ns = append(ns, n)
				}
			}
			if len(eps) != 20 || len(ns) != 50 {
				b.Fatalf("%d episodes, %d noise", len(eps), len(ns))
			}
		}
	})
	b.Run("direct", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if eps, ns := s.Episodes(), s.Noise(); len(eps) != 20 || len(ns) != 50 {
				b.Fatalf("%d episodes, %d noise", len(eps), len(ns))
			}
		}
	})
}
