package main

import (
	"bufio"
	"fmt"
	"io"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/store/cinc"
	"github.com/ecgstation/ecgstation/store/private"
)

// cincBeatsHeader is the first line of the CSV cinc-beats writes; one row
// per detected beat, and one row with beat -1 for a record where the
// detector found none, so that no label is lost. noisy is 1 when the beat
// lies in a stretch inference/quality calls unreadable; noise_s is the
// record's unreadable time in seconds.
const cincBeatsHeader = "record,label,fs,samples,noise_s,beat,noisy"

func runCinCBeats(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("cinc-beats", stderr)
	out := fs.String("out", "", "CSV file to write (training/cinc.py reads it)")
	limit := fs.Int("limit", 0, "only the first N records of REFERENCE.csv (0: all)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || *out == "" || *limit < 0 {
		return fmt.Errorf("%w: ecgstation cinc-beats DIR --out FILE.csv [--limit N] "+
			"(DIR: the CinC 2017 folder with REFERENCE.csv)", errUsage)
	}
	recs, err := cinc.Open(pos[0])
	if err != nil {
		return err
	}
	if *limit > 0 && *limit < len(recs) {
		recs = recs[:*limit]
	}
	return writeCinCBeats(*out, recs, stdout)
}

// writeCinCBeats detects the beats of every record with the app's own QRS
// detector and quality assessment (detectSignal, as the pipeline does) and
// writes them to path.
func writeCinCBeats(path string, recs []cinc.Record, stdout io.Writer) error {
	f, err := private.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, cincBeatsHeader)
	t0, beats := time.Now(), 0
	for _, r := range recs {
		n, err := writeCinCRecord(w, r)
		if err != nil {
			f.Close()
			return fmt.Errorf("cinc-beats: %s: %w", r.Record, err)
		}
		beats += n
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d records, %d beats in %.1f s -> %s\n", len(recs), beats, time.Since(t0).Seconds(), path)
	return nil
}

// writeCinCRecord writes one record's rows and returns its beat count.
func writeCinCRecord(w io.Writer, r cinc.Record) (int, error) {
	rec, err := store.Open(r.Path)
	if err != nil {
		return 0, err
	}
	defer rec.Close()
	beats, noise, info, err := detectSignal(rec.Signal)
	if err != nil {
		return 0, err
	}
	var noiseS float64
	for _, z := range noise {
		noiseS += float64(z.End-z.Start) / info.Fs
	}
	prefix := fmt.Sprintf("%s,%s,%g,%d,%.3f", r.Record, r.Class, info.Fs, info.NSamples, noiseS)
	n := 0
	for _, b := range beats {
		if !b.Code.IsBeat() {
			continue
		}
		fmt.Fprintf(w, "%s,%d,%d\n", prefix, b.Sample, btoi(b.Flags&annotate.FlagNoisy != 0))
		n++
	}
	if n == 0 {
		fmt.Fprintf(w, "%s,-1,0\n", prefix)
	}
	return n, nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
