package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/ecgstation/ecgstation/annotate/synth"
	"github.com/ecgstation/ecgstation/store/private"
)

// The demo record lives in the user's cache directory, generated on first
// start from synth.Demo and reused afterwards. demoVersion is part of the
// folder name: bump it when the demo's config changes so old caches are
// not shown.
const (
	demoName    = "demo"
	demoVersion = "v2"
	demoFormat  = 212
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
	if err := private.MkdirAll(filepath.Dir(dir)); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), "demo-tmp-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	cfg := synth.Demo()
	cfg.ADCBits = synthADCBits[demoFormat]
	if _, _, err := writeSynthRecord(tmp, demoName, cfg, demoFormat); err != nil {
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
