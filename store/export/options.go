package export

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
)

// ErrOption is wrapped by every error about a bad export option.
var ErrOption = errors.New("export: bad option")

// Options configure Export. The zero value is not ready: start from
// DefaultOptions.
type Options struct {
	// Records selects records by id, id prefix (8 or more hex digits),
	// name or last known path; empty means every record in the database.
	Records []string
	// Reader picks whose label set is exported. Empty means, per record,
	// the reader who signed it off, else its only reader; a record with
	// several readers and no sign-off is an error that names them.
	Reader annotate.ReaderID
	// Formats lists what to write: "npz" (beats.npz, rhythm.npz), "csv"
	// (beats.csv, episodes.csv, noise.csv), "wfdb" (one annotation file
	// per record), "edf" (one EDF+ file per record: signals and labels).
	// manifest.json is always written.
	Formats []string
	// Patients maps record names to patient keys (ParsePatients): the
	// records of one patient always land in the same split. Records it
	// does not name are each their own patient.
	Patients map[string]string
	Fs       float64 // output sampling frequency of x, Hz
	Before   float64 // window before the R peak, s
	After    float64 // window after the R peak, s
	// Labels is "aami" (classes N S V F Q) or "mit" (the WFDB beat
	// symbols).
	Labels string
	// Split is the train, val, test share of the records (any scale).
	Split [3]float64
	// Seed makes the split and the balancing reproducible.
	Seed uint64
	// Balance thins the training split; the zero value keeps every beat.
	Balance Balance
	// ExcludeNoise leaves out beats whose window, and rhythm segments
	// that, overlap a noise stretch, and beats flagged noisy.
	ExcludeNoise bool
	// ReviewedOnly leaves out labels no reader owns: model and detector
	// suggestions nobody confirmed (annotate.ReaderOwned).
	ReviewedOnly bool
	// Leads lists the lead indices to export; nil means every lead (and
	// then every record must have the same number of leads).
	Leads []int
	// Segment is the rhythm segment length (s); the hop is half of it.
	Segment float64
	// MaxRR is K, the RR intervals kept per rhythm segment.
	MaxRR int
	// Rhythms are the rhythm classes after "OTHER" (index 0).
	Rhythms []RhythmClass
	// AnnExt is the extension of exported WFDB annotation files.
	AnnExt string
	// Compress deflates the npz entries (numpy.savez_compressed style).
	Compress bool
	// Version is the ecgstation version quoted in the manifest.
	Version string
	// Now stamps the manifest; time.Now when nil.
	Now func() time.Time
}

// DefaultOptions returns the options of a plain `ecgstation export`.
func DefaultOptions() Options {
	return Options{
		Formats: []string{"npz"}, Fs: 250, Before: 0.36, After: 0.64, Labels: "aami",
		Split: [3]float64{70, 15, 15}, Segment: 30, MaxRR: 64,
		Rhythms: []RhythmClass{{"AF", []string{"AFIB"}}, {"AFL", []string{"AFL"}}},
		AnnExt:  "ecg", Version: "dev",
	}
}

// Balance says how the training split is thinned.
type Balance struct {
	// Kind is "" (keep all), "undersample" or "cap".
	Kind string
	// Ratio (undersample): the majority class keeps at most Ratio times
	// as many beats as the next largest class.
	Ratio float64
	// Cap (cap): at most Cap beats of each class from each record.
	Cap int
}

// String gives the flag form: "undersample:3", "cap:500" or "none".
func (b Balance) String() string {
	switch b.Kind {
	case "undersample":
		return "undersample:" + strconv.FormatFloat(b.Ratio, 'g', -1, 64)
	case "cap":
		return "cap:" + strconv.Itoa(b.Cap)
	}
	return "none"
}

// ParseBalance reads "undersample:RATIO", "cap:N" or "none".
func ParseBalance(s string) (Balance, error) {
	kind, arg, _ := strings.Cut(s, ":")
	switch kind {
	case "", "none":
		return Balance{}, nil
	case "undersample":
		r, err := strconv.ParseFloat(arg, 64)
		if err != nil || !(r >= 1) || math.IsInf(r, 0) {
			return Balance{}, fmt.Errorf("%w: --balance %q: ratio must be a number >= 1", ErrOption, s)
		}
		return Balance{Kind: kind, Ratio: r}, nil
	case "cap":
		n, err := strconv.Atoi(arg)
		if err != nil || n < 1 {
			return Balance{}, fmt.Errorf("%w: --balance %q: cap must be an integer >= 1", ErrOption, s)
		}
		return Balance{Kind: kind, Cap: n}, nil
	}
	return Balance{}, fmt.Errorf("%w: --balance %q: want undersample:RATIO, cap:N or none", ErrOption, s)
}

// ParseSplit reads "70,15,15" (shares of train, val, test; any scale).
func ParseSplit(s string) ([3]float64, error) {
	var out [3]float64
	parts := strings.Split(s, ",")
	if len(parts) != 3 {
		return out, fmt.Errorf("%w: --split %q: want three shares TRAIN,VAL,TEST", ErrOption, s)
	}
	sum := 0.0
	for i, p := range parts {
		v, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || v < 0 || math.IsInf(v, 0) {
			return out, fmt.Errorf("%w: --split %q: share %q is not a number >= 0", ErrOption, s, p)
		}
		out[i], sum = v, sum+v
	}
	if sum <= 0 {
		return out, fmt.Errorf("%w: --split %q: shares sum to 0", ErrOption, s)
	}
	return out, nil
}

// RhythmClass is one rhythm class of rhythm.npz: the episode rhythms
// (annotate.Episode.Rhythm, e.g. "AFIB") it stands for.
type RhythmClass struct {
	Name  string
	Match []string
}

// ParseRhythms reads "AF=AFIB,AFL" style lists: each item is CLASS or
// CLASS=RHYTHM+RHYTHM...; a bare CLASS matches the rhythm of that name.
func ParseRhythms(s string) ([]RhythmClass, error) {
	var out []RhythmClass
	seen := map[string]bool{"OTHER": true}
	for _, item := range strings.Split(s, ",") {
		name, match, ok := strings.Cut(strings.TrimSpace(item), "=")
		ms := []string{name}
		if ok {
			ms = strings.Split(match, "+")
		}
		if name == "" || seen[name] || slicesHasEmpty(ms) {
			return nil, fmt.Errorf("%w: --rhythms %q: item %q is empty, repeated or OTHER", ErrOption, s, item)
		}
		seen[name] = true
		out = append(out, RhythmClass{Name: name, Match: ms})
	}
	return out, nil
}

func slicesHasEmpty(ss []string) bool {
	for _, s := range ss {
		if s == "" {
			return true
		}
	}
	return false
}

// check validates o and fills the defaults that depend on others.
func (o *Options) check() error {
	switch {
	case !(o.Fs > 0) || o.Fs > 1e5:
		return fmt.Errorf("%w: --fs %g must be in (0, 100000] Hz", ErrOption, o.Fs)
	case o.Before < 0 || o.After <= 0 || o.Before+o.After > 60:
		return fmt.Errorf("%w: window --before %g --after %g s", ErrOption, o.Before, o.After)
	case o.samplesAfter() < 1:
		return fmt.Errorf("%w: --after %g s is no sample at --fs %g Hz: the window must hold the R peak", ErrOption, o.After, o.Fs)
	case o.Labels != "aami" && o.Labels != "mit":
		return fmt.Errorf("%w: --labels %q: want aami or mit", ErrOption, o.Labels)
	case !(o.Segment > 0) || o.MaxRR < 1:
		return fmt.Errorf("%w: --segment %g s and --max-rr %d must be positive", ErrOption, o.Segment, o.MaxRR)
	}
	for _, f := range o.Formats {
		if f != "npz" && f != "csv" && f != "wfdb" && f != "edf" {
			return fmt.Errorf("%w: --format %q: want npz, csv, wfdb or edf", ErrOption, f)
		}
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return nil
}

// samplesBefore and samplesAfter give the window in output samples.
func (o *Options) samplesBefore() int { return int(math.Round(o.Before * o.Fs)) }
func (o *Options) samplesAfter() int  { return int(math.Round(o.After * o.Fs)) }

// has reports whether format f is asked for.
func (o *Options) has(f string) bool {
	for _, g := range o.Formats {
		if g == f {
			return true
		}
	}
	return false
}
