package eval

import (
	"errors"
	"fmt"
	"sort"

	"github.com/ecgstation/ecgstation/annotate"
)

// Annotation is one annotation of a reference or test stream, as the
// comparison needs it (the fields of a WFDB annotation that matter here).
type Annotation struct {
	Sample int64         // time, samples
	Code   annotate.Code // MIT code
	Sub    int8          // WFDB sub-type; marks shutdown on NOISE annotations
	Aux    string        // WFDB aux text, e.g. "(AFIB" on rhythm annotations
}

// FromBeats converts beats to annotations (sub-type and aux empty).
func FromBeats(beats []annotate.Beat) []Annotation {
	out := make([]Annotation, len(beats))
	for i, b := range beats {
		out[i] = Annotation{Sample: b.Sample, Code: b.Code}
	}
	return out
}

// Options set the comparison. Use DefaultOptions for EC57's settings.
type Options struct {
	Window int64 // match window, samples (bxb -w); must be > 0
	Start  int64 // start of the test period, samples (bxb -f)
	End    int64 // end of the test period, samples; <= 0: end of the reference annotations
}

// The comparison's errors: ErrOptions for a non-positive match window,
// End < Start, or a Start or End at or beyond MaxTime; ErrTime for an
// annotation time outside [0, MaxTime).
var (
	ErrOptions = errors.New("eval: invalid comparison options")
	ErrTime    = errors.New("eval: annotation time out of range")
)

// MaxTime bounds sample times, so that differences of two times never
// overflow; no record comes near it.
const MaxTime = huge

// Seconds converts seconds to samples as WFDB's strtim does: rounded to the
// nearest sample.
func Seconds(sec, fs float64) int64 { return int64(sec*fs + 0.5) }

// DefaultOptions returns EC57's settings for a record of n samples at fs Hz:
// a 150 ms match window and a 5-minute learning period.
func DefaultOptions(fs float64, n int64) Options {
	return Options{Window: Seconds(0.15, fs), Start: Seconds(300, fs), End: n}
}

// WholeRecord returns o with the learning period removed (Start = 0), for the
// figure EVALUATION.md asks to report beside the EC57 one, labelled as such.
func (o Options) WholeRecord() Options { o.Start = 0; return o }

func (o Options) check() error {
	if o.Window <= 0 || o.Start < 0 || (o.End > 0 && o.End < o.Start) || o.Start >= huge || o.End >= huge {
		return fmt.Errorf("%w: window %d, start %d, end %d", ErrOptions, o.Window, o.Start, o.End)
	}
	return nil
}

// checkTimes returns an error naming the first annotation of stream whose
// time is outside [0, MaxTime).
func checkTimes(stream string, anns []Annotation) error {
	for i, a := range anns {
		if a.Sample < 0 || a.Sample >= huge {
			return fmt.Errorf("%w: %s annotation %d at sample %d", ErrTime, stream, i, a.Sample)
		}
	}
	return nil
}

// huge stands for "no more annotations" (bxb's huge_time), small enough that
// differences of two times never overflow.
const huge = annotate.MaxMatchTime

type interval struct{ on, off int64 }

func inAny(iv []interval, t int64) bool {
	for _, v := range iv {
		if v.on <= t && t <= v.off {
			return true
		}
	}
	return false
}

type beat struct {
	t int64
	l Label
	i int // index in the annotations given to Compare
}

// stream is an annotation stream reduced to what bxb reads from it: beats
// outside VF, VF intervals and shutdown intervals.
type stream struct {
	beats []beat
	vf    []interval
	sd    []interval
}

func newStream(anns []Annotation, window int64) *stream {
	a, orig := sorted(anns)
	s := &stream{}
	var last, vfoff int64 = 0, -1
	for i := 0; i < len(a); i++ {
		x := a[i]
		switch {
		case x.Code.IsBeat():
			s.beats = append(s.beats, beat{x.Sample, labelOf(x.Code), orig[i]})
			last = x.Sample
		case x.Code == annotate.NoiseAnn && isShutdown(x.Sub):
			i = s.addShutdown(a, i, last, vfoff, window)
		case x.Code == annotate.VFOn:
			j := i + 1
			for j < len(a) && a[j].Code != annotate.VFOff {
				j++
			}
			if j == len(a) { // unterminated: nothing more is read
				s.vf = append(s.vf, interval{x.Sample, huge})
				return s
			}
			s.vf = append(s.vf, interval{x.Sample, a[j].Sample})
			vfoff, i = a[j].Sample, j
		}
	}
	return s
}

func isShutdown(sub int8) bool { return sub&0x30 == 0x30 }

// addShutdown records the shutdown that starts at a[i] and returns the index
// of the last annotation it consumed. A shutdown ended by a NOISE annotation
// without the shutdown bits ends there; a lone shutdown mark (AHA style)
// stands for [previous beat + W, next annotation - W].
func (s *stream) addShutdown(a []Annotation, i int, last, vfoff int64, w int64) int {
	on := a[i].Sample
	if i+1 == len(a) {
		s.sd = append(s.sd, interval{on, huge})
		return i
	}
	n := a[i+1]
	if n.Code == annotate.NoiseAnn && !isShutdown(n.Sub) {
		s.sd = append(s.sd, interval{on, n.Sample})
		return i + 1
	}
	on = last + w
	if vfoff > last {
		on = vfoff + w
	}
	off := n.Sample - w
	if on > off {
		on = off
	}
	s.sd = append(s.sd, interval{on, off})
	return i
}

// sorted returns anns sorted by time (stably) and each one's index in anns.
func sorted(anns []Annotation) ([]Annotation, []int) {
	orig := make([]int, len(anns))
	for i := range orig {
		orig[i] = i
	}
	sort.SliceStable(orig, func(i, j int) bool { return anns[orig[i]].Sample < anns[orig[j]].Sample })
	a := make([]Annotation, len(anns))
	for i, k := range orig {
		a[i] = anns[k]
	}
	return a, orig
}

// times returns the times of the stream's beats, for the matcher.
func (s *stream) times() []int64 {
	out := make([]int64, len(s.beats))
	for i, b := range s.beats {
		out[i] = b.t
	}
	return out
}
