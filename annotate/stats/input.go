package stats

import (
	"errors"
	"fmt"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
)

// Errors of Compute.
var (
	ErrFs       = errors.New("stats: sampling frequency must be positive")
	ErrUnsorted = errors.New("stats: beats are not sorted by sample")
	ErrOptions  = errors.New("stats: bad options")
)

// Defaults of Options.
const (
	DefaultHRBeats        = 8
	DefaultPauseThreshold = 2 * time.Second
	DefaultBigeminyBeats  = 3
	// AFRhythm is the rhythm name whose episodes make the AF burden.
	AFRhythm = "AFIB"
	// NormalRhythm is the rhythm name of normal sinus rhythm episodes
	// (MIT-BIH "(N"), left out of the episode list.
	NormalRhythm = "N"
)

// Options set the definitions of the figures (see the package comment).
type Options struct {
	HRBeats        int           // RR intervals per heart-rate mean (8)
	PauseThreshold time.Duration // shortest RR interval that is a pause (2 s)
	BigeminyBeats  int           // fewest ectopic beats that make a bigeminy (3)
}

// DefaultOptions returns the definitions the package comment states.
func DefaultOptions() Options {
	return Options{HRBeats: DefaultHRBeats, PauseThreshold: DefaultPauseThreshold, BigeminyBeats: DefaultBigeminyBeats}
}

func (o Options) check() error {
	switch {
	case o.HRBeats < 1:
		return fmt.Errorf("%w: HRBeats %d < 1", ErrOptions, o.HRBeats)
	case o.PauseThreshold <= 0:
		return fmt.Errorf("%w: PauseThreshold %v <= 0", ErrOptions, o.PauseThreshold)
	case o.BigeminyBeats < 2:
		return fmt.Errorf("%w: BigeminyBeats %d < 2", ErrOptions, o.BigeminyBeats)
	}
	return nil
}

// Input is what the figures are computed from: the record's metadata (Fs,
// NSamples and Start matter) and the live labels of one label set.
type Input struct {
	Info     annotate.RecordInfo
	Beats    []annotate.Beat // sorted by Sample; non-beat codes are ignored
	Episodes []annotate.Episode
	Noise    []annotate.Noise
}

// FromLabelSet returns the input of a label set, leaving out tombstones.
func FromLabelSet(info annotate.RecordInfo, ls annotate.LabelSet) Input {
	in := Input{Info: info, Beats: ls.Beats}
	for _, e := range ls.Episodes {
		if !e.Deleted {
			in.Episodes = append(in.Episodes, e.Episode)
		}
	}
	for _, n := range ls.Noise {
		if !n.Deleted {
			in.Noise = append(in.Noise, n.Noise)
		}
	}
	return in
}

// check returns an error for input the figures cannot be computed from.
func (in *Input) check() error {
	if !(in.Info.Fs > 0) {
		return fmt.Errorf("%w: record %q has fs %v", ErrFs, in.Info.Name, in.Info.Fs)
	}
	for i := 1; i < len(in.Beats); i++ {
		if in.Beats[i].Sample < in.Beats[i-1].Sample {
			return fmt.Errorf("%w: record %q, beat %d at sample %d comes after sample %d",
				ErrUnsorted, in.Info.Name, i, in.Beats[i].Sample, in.Beats[i-1].Sample)
		}
	}
	return nil
}

// end returns the last sample of the record (one past), or the last label's
// position when the length is unknown.
func (in *Input) end() int64 {
	if in.Info.NSamples > 0 {
		return in.Info.NSamples
	}
	var e int64
	if n := len(in.Beats); n > 0 {
		e = in.Beats[n-1].Sample + 1
	}
	for _, x := range in.Episodes {
		e = max(e, x.End)
	}
	return e
}

// QRS returns the beats of in that are QRS complexes, in order.
func QRS(beats []annotate.Beat) []annotate.Beat {
	out := make([]annotate.Beat, 0, len(beats))
	for _, b := range beats {
		if b.Code.IsBeat() {
			out = append(out, b)
		}
	}
	return out
}

// Seconds converts a sample count at fs to a duration.
func Seconds(n int64, fs float64) time.Duration {
	return time.Duration(float64(n) / fs * float64(time.Second))
}
