package main

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/store"
)

// dumpChunk is how many samples per lead dump decodes at a time.
const dumpChunk = 1 << 14

func runDump(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("dump", stderr)
	from := fs.String("from", "0", "first sample: a sample number or h:m:s")
	to := fs.String("to", "", "end (exclusive): a sample number or h:m:s; default the record's end")
	chans := fs.String("channels", "", "comma-separated lead numbers, e.g. 0,2; default all")
	phys := fs.Bool("physical", false, "print physical values (mV) instead of digital ones; a missing sample prints as - (as rdsamp -p)")
	full := fs.Bool("full-precision", false, "with --physical: every digit of the physical value, not 3 decimals (as rdsamp -P)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: ecgstation dump RECORD [--from T] [--to T] [--channels 0,2] [--physical [--full-precision]]", errUsage)
	}
	r, err := store.Open(pos[0])
	if err != nil {
		return err
	}
	defer r.Close()
	in := r.Signal.Info()
	d := dumper{sig: r.Signal, info: in, physical: *phys, prec: 3}
	if *full {
		d.prec = -1
	}
	if d.chans, err = parseChannels(*chans, len(in.Leads)); err != nil {
		return err
	}
	if d.start, d.end, err = parseRange(*from, *to, in); err != nil {
		return err
	}
	if g, ok := r.Signal.(getvecFramer); ok {
		d.end = max(min(d.end, g.GetvecFrames()), d.start) // rdsamp stops where getvec does
	}
	w := bufio.NewWriterSize(stdout, 1<<16)
	if err := d.dump(w); err != nil {
		return err
	}
	return w.Flush()
}

// getvecFramer is a WFDB record: the frames its getvec delivers end before
// the record when it has skewed signals.
type getvecFramer interface{ GetvecFrames() int64 }

// dumper prints a span of a record's samples.
type dumper struct {
	sig        annotate.Signal
	info       annotate.RecordInfo
	chans      []int
	start, end int64
	physical   bool
	prec       int // decimals of physical values; -1: as many as the value needs
}

func (d *dumper) dump(w *bufio.Writer) error {
	buf := make([][]int32, len(d.info.Leads))
	for i := range buf {
		buf[i] = make([]int32, dumpChunk)
	}
	line := make([]byte, 0, 128)
	for at := d.start; at < d.end; {
		n := int(min(int64(dumpChunk), d.end-at))
		for i := range buf {
			buf[i] = buf[i][:n]
		}
		got, err := annotate.ReadMarked(d.sig, buf, at)
		if err != nil {
			return fmt.Errorf("reading samples at %d: %w", at, err)
		}
		if got == 0 {
			return nil
		}
		for k := 0; k < got; k++ {
			line = d.appendLine(line[:0], at+int64(k), buf, k)
			if _, err := w.Write(line); err != nil {
				return err
			}
		}
		at += int64(got)
	}
	return nil
}

func (d *dumper) appendLine(line []byte, s int64, buf [][]int32, k int) []byte {
	line = strconv.AppendInt(line, s, 10)
	for _, c := range d.chans {
		line = append(line, '\t')
		switch {
		case d.physical && d.info.IsInvalid(buf[c][k]):
			line = append(line, '-')
		case d.physical:
			line = strconv.AppendFloat(line, d.info.Leads[c].Physical(buf[c][k]), 'f', d.prec, 64)
		default:
			line = strconv.AppendInt(line, int64(buf[c][k]), 10)
		}
	}
	return append(line, '\n')
}

// parseChannels parses "0,2" into lead indexes; "" means every lead.
func parseChannels(s string, nleads int) ([]int, error) {
	if s == "" {
		out := make([]int, nleads)
		for i := range out {
			out[i] = i
		}
		return out, nil
	}
	var out []int
	for _, f := range strings.Split(s, ",") {
		c, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || c < 0 || c >= nleads {
			return nil, fmt.Errorf("%w: --channels %q: lead %q is not one of 0..%d", errUsage, s, f, nleads-1)
		}
		out = append(out, c)
	}
	return out, nil
}

// parseRange resolves --from and --to against the record.
func parseRange(from, to string, in annotate.RecordInfo) (int64, int64, error) {
	start, err := parseTime(from, in.Fs)
	if err != nil {
		return 0, 0, fmt.Errorf("%w: --from: %v", errUsage, err)
	}
	end := in.NSamples
	if to != "" {
		if end, err = parseTime(to, in.Fs); err != nil {
			return 0, 0, fmt.Errorf("%w: --to: %v", errUsage, err)
		}
	}
	if in.NSamples > 0 && end > in.NSamples {
		end = in.NSamples
	}
	if start < 0 || start > end {
		return 0, 0, fmt.Errorf("%w: empty or reversed range %d..%d", errUsage, start, end)
	}
	return start, end, nil
}

// parseTime reads a sample number ("1500") or a time ("1:02:03.5", "2:30",
// "12.5s") at fs Hz and returns the sample number.
func parseTime(s string, fs float64) (int64, error) {
	s = strings.TrimSpace(s)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, nil
	}
	secs, err := parseClock(strings.TrimSuffix(s, "s"))
	if err != nil {
		return 0, fmt.Errorf("%q is neither a sample number nor h:m:s", s)
	}
	return int64(math.Round(secs * fs)), nil
}

// parseClock reads "h:m:s", "m:s" or "s", each part possibly fractional.
func parseClock(s string) (float64, error) {
	parts := strings.Split(s, ":")
	if len(parts) > 3 {
		return 0, fmt.Errorf("too many colons")
	}
	total := 0.0
	for _, p := range parts {
		v, err := strconv.ParseFloat(p, 64)
		if err != nil || v < 0 {
			return 0, fmt.Errorf("bad number %q", p)
		}
		total = total*60 + v
	}
	return total, nil
}
