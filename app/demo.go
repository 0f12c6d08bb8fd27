package main

import (
	"bufio"
	"cmp"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/synth"
	"github.com/ecgstation/ecgstation/store/wfdb"
)

// The demo record lives in the user's cache directory, generated on first
// start from synth.Demo and reused afterwards. demoVersion is part of the
// folder name: bump it when the demo's config changes so old caches are
// not shown.
const (
	demoName    = "demo"
	demoVersion = "v1"
	demoFormat  = 212
	demoChunk   = 1 << 16 // samples per lead per write
)

// demoPath returns the demo record's header path, generating the record
// first if the cache does not hold it yet.
func demoPath() (string, error) {
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("demo record: no cache directory: %w", err)
	}
	dir := filepath.Join(cache, "ecgstation", "demo-"+demoVersion)
	hea := filepath.Join(dir, demoName+".hea")
	if _, err := os.Stat(hea); err == nil {
		return hea, nil
	}
	if err := writeDemo(dir); err != nil {
		return "", fmt.Errorf("demo record: %w", err)
	}
	return hea, nil
}

// writeDemo generates the demo into a temporary folder beside dir and
// renames it into place, so a half-written demo is never reused.
func writeDemo(dir string) error {
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), "demo-tmp-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	cfg := synth.Demo()
	cfg.ADCBits = 12 // format 212 holds 12-bit samples
	if err := writeSynth(tmp, demoName, cfg); err != nil {
		return err
	}
	if err := os.Rename(tmp, dir); err != nil && !errors.Is(err, os.ErrExist) {
		if _, serr := os.Stat(filepath.Join(dir, demoName+".hea")); serr == nil {
			return nil // another start got there first
		}
		return err
	}
	return nil
}

// writeSynth streams the record cfg describes into dir/name.{hea,dat,atr}.
func writeSynth(dir, name string, cfg synth.Config) error {
	g, err := synth.New(cfg)
	if err != nil {
		return err
	}
	info := g.Info()
	info.Name = name
	w, err := wfdb.Create(dir, name, info, demoFormat)
	if err != nil {
		return err
	}
	buf := make([][]int32, len(info.Leads))
	for i := range buf {
		buf[i] = make([]int32, demoChunk)
	}
	var ann synth.Annotations
	for {
		n := g.Next(buf)
		if n == 0 {
			break
		}
		if err := w.Write(truncate(buf, n)); err != nil {
			w.Close()
			return err
		}
		g.Drain(&ann)
	}
	g.Drain(&ann)
	if err := w.Close(); err != nil {
		return err
	}
	return writeAtr(filepath.Join(dir, name+".atr"), ann)
}

func truncate(buf [][]int32, n int) [][]int32 {
	out := make([][]int32, len(buf))
	for i := range buf {
		out[i] = buf[i][:n]
	}
	return out
}

// writeAtr writes the beats and rhythm episodes as a WFDB annotation file.
func writeAtr(path string, ann synth.Annotations) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	werr := wfdb.WriteAnnotations(bw, toWFDB(ann))
	if werr == nil {
		werr = bw.Flush()
	}
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return fmt.Errorf("writing %s: %w", path, werr)
	}
	return nil
}

// toWFDB turns beats and episodes into MIT annotations in sample order:
// each episode becomes a rhythm annotation "(NAME" at its start and "(N"
// at its end (unless another episode starts there), as MIT-BIH marks them.
func toWFDB(ann synth.Annotations) []wfdb.Annotation {
	var out []wfdb.Annotation
	starts := map[int64]bool{}
	for _, e := range ann.Episodes {
		starts[e.Start] = true
	}
	for _, e := range ann.Episodes {
		out = append(out, wfdb.Annotation{Sample: e.Start, Code: annotate.Rhythm, Aux: "(" + e.Rhythm})
		if !starts[e.End] {
			out = append(out, wfdb.Annotation{Sample: e.End, Code: annotate.Rhythm, Aux: "(N"})
		}
	}
	for _, b := range ann.Beats {
		out = append(out, wfdb.Annotation{Sample: b.Sample, Code: b.Code, Chan: b.Chan})
	}
	slices.SortStableFunc(out, func(a, b wfdb.Annotation) int {
		if a.Sample != b.Sample {
			return cmp.Compare(a.Sample, b.Sample)
		}
		return cmp.Compare(rank(a), rank(b)) // rhythm changes before the beat they precede
	})
	return out
}

func rank(a wfdb.Annotation) int {
	if a.Code == annotate.Rhythm {
		return 0
	}
	return 1
}
