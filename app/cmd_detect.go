package main

import (
	"bufio"
	"fmt"
	"io"
	"path/filepath"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/inference/qrs"
	"github.com/ecgstation/ecgstation/inference/quality"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/store/private"
	"github.com/ecgstation/ecgstation/store/wfdb"
)

func runDetect(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("detect", stderr)
	ext := fs.String("out-ext", "qrs", "extension of the annotation files written")
	dir := fs.String("out-dir", "", "folder for the annotation files, created if missing (default: beside each record)")
	recs, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(recs) == 0 || *ext == "" {
		return fmt.Errorf("%w: ecgstation detect RECORD... --out-ext EXT [--out-dir DIR] "+
			"(RECORD: WFDB, EDF/EDF+, BDF or ISHNE)", errUsage)
	}
	if *dir != "" {
		if err := private.MkdirAll(*dir); err != nil {
			return fmt.Errorf("--out-dir: %w", err)
		}
	}
	for _, r := range recs {
		if err := detectOne(r, *ext, *dir, stdout); err != nil {
			return err
		}
	}
	return nil
}

// detectOne detects the beats of the record arg (any format store.Open
// reads) and writes them as PATH.EXT, beside the record or in dir.
func detectOne(arg, ext, dir string, stdout io.Writer) error {
	beats, noise, path, err := detectRecordAt(arg)
	if err != nil {
		return err
	}
	out := annotationPath(path, ext)
	if dir != "" {
		out = filepath.Join(dir, filepath.Base(out))
	}
	if err := writeBeats(out, beats); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %d beats, %d unreadable stretches -> %s\n", path, len(beats), len(noise), out)
	return nil
}

// detectRecordAt detects the beats of the record at arg, opened by the
// common record opener (WFDB, EDF/EDF+, BDF, ISHNE), and returns the path
// it opened.
func detectRecordAt(arg string) ([]annotate.Beat, []annotate.Noise, string, error) {
	rec, err := store.Open(arg)
	if err != nil {
		return nil, nil, "", err
	}
	defer rec.Close()
	beats, noise, _, err := detectSignal(modelSignal(rec.Signal, store.RecordSettings{})) // the ECG leads
	return beats, noise, rec.Path, err
}

// detectRecord detects the beats of the WFDB record at path and flags
// those in unreadable stretches.
func detectRecord(path string) ([]annotate.Beat, []annotate.Noise, annotate.RecordInfo, error) {
	rec, err := wfdb.Open(path)
	if err != nil {
		return nil, nil, annotate.RecordInfo{}, err
	}
	defer rec.Close()
	return detectSignal(rec)
}

func detectSignal(sig annotate.Signal) ([]annotate.Beat, []annotate.Noise, annotate.RecordInfo, error) {
	info := sig.Info()
	beats, err := qrs.Detect(sig, qrs.Options{})
	if err != nil {
		return nil, nil, info, err
	}
	noise, err := quality.Assess(sig)
	if err != nil {
		return nil, nil, info, err
	}
	noise = quality.KeepPauses(noise, beats, info.Fs) // a quiet stretch between QRS complexes is a pause
	quality.Flag(beats, noise)
	annotate.MapNoiseLeads(noise, sig)
	return beats, noise, info, nil
}

// writeBeats writes beats as an MIT-format annotation file.
func writeBeats(path string, beats []annotate.Beat) error {
	anns := make([]wfdb.Annotation, len(beats))
	for i, b := range beats {
		anns[i] = wfdb.Annotation{Sample: b.Sample, Code: b.Code, Chan: b.Chan}
	}
	f, err := private.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	if err := wfdb.WriteAnnotations(w, anns); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Close()
}
