package report

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
)

// ErrSnippet is returned for a snippet that lies outside the record.
var ErrSnippet = errors.New("report: snippet outside the record")

// Snippet is a stretch of signal around a beat, in physical units, for a
// gallery tile or a report strip.
type Snippet struct {
	At    int64   // the beat the snippet is about
	Start int64   // first sample
	Fs    float64 // Hz
	Leads []annotate.Lead
	// Values holds Values[lead][i], sample Start+i, in the lead's units
	// (normally mV).
	Values [][]float32
	// Beats are the labels given to ReadSnippet that fall inside.
	Beats []annotate.Beat
}

// Seconds returns the time of sample t from the snippet's start.
func (s *Snippet) Seconds(t int64) float64 { return float64(t-s.Start) / s.Fs }

// ReadSnippet reads the signal from before ahead of sample at to after it
// (clipped to the record), with the labels of beats (sorted) that fall
// inside.
func ReadSnippet(sig annotate.Signal, at int64, before, after time.Duration, beats []annotate.Beat) (*Snippet, error) {
	info := sig.Info()
	if at < 0 || (info.NSamples > 0 && at >= info.NSamples) {
		return nil, fmt.Errorf("%w: %s has %d samples, beat at %d", ErrSnippet, info.Name, info.NSamples, at)
	}
	start := max(0, at-int64(before.Seconds()*info.Fs))
	end := at + int64(after.Seconds()*info.Fs)
	if info.NSamples > 0 {
		end = min(end, info.NSamples)
	}
	n := int(end - start)
	raw := make([][]int32, len(info.Leads))
	for i := range raw {
		raw[i] = make([]int32, n)
	}
	got, err := sig.Read(raw, start)
	if err != nil {
		return nil, fmt.Errorf("report: read %s at %d: %w", info.Name, start, err)
	}
	s := &Snippet{At: at, Start: start, Fs: info.Fs, Leads: info.Leads, Values: make([][]float32, len(raw))}
	for l, lead := range info.Leads {
		s.Values[l] = make([]float32, got)
		for i, v := range raw[l][:got] {
			s.Values[l][i] = float32(lead.Physical(v))
		}
	}
	f := func(b annotate.Beat, t int64) int { return cmp.Compare(b.Sample, t) }
	lo, _ := slices.BinarySearchFunc(beats, start, f)
	hi, _ := slices.BinarySearchFunc(beats, start+int64(got), f)
	s.Beats = slices.Clone(beats[lo:max(lo, hi)])
	return s, nil
}
