package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/ecgstation/ecgstation/assets"
	"github.com/ecgstation/ecgstation/inference/model"
)

// runVersion prints the build's version (module version, VCS revision and
// time as the Go toolchain stamped them) and the built-in models' versions.
func runVersion(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("version", stderr)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return fmt.Errorf("%w: ecgstation version (or ecgstation --version)", errUsage)
	}
	bi, _ := debug.ReadBuildInfo()
	fmt.Fprintln(stdout, buildVersion(bi))
	for _, m := range []struct {
		what string
		data []byte
	}{{assets.BeatModelName, assets.BeatModel}, {assets.RhythmModelName, assets.RhythmModel}} {
		fmt.Fprintf(stdout, "built-in model %s: %s\n", m.what, modelVersion(m.data))
	}
	return nil
}

// buildVersion is "ecgstation VERSION (commit REV, TIME[, modified]) GO":
// the main module's version ("(devel)" for a plain go build) and the VCS
// stamp when the build had one.
func buildVersion(bi *debug.BuildInfo) string {
	if bi == nil {
		return "ecgstation (no build information) " + runtime.Version()
	}
	s := "ecgstation " + bi.Main.Version
	vcs := map[string]string{}
	for _, kv := range bi.Settings {
		vcs[kv.Key] = kv.Value
	}
	if rev := vcs["vcs.revision"]; rev != "" {
		s += " (commit " + rev[:min(12, len(rev))]
		if t := vcs["vcs.time"]; t != "" {
			s += ", " + t
		}
		if vcs["vcs.modified"] == "true" {
			s += ", modified"
		}
		s += ")"
	}
	return s + " " + bi.GoVersion
}

// modelVersion is a model's name@version from its metadata, or why not.
func modelVersion(data []byte) string {
	props, err := model.MetadataProps(data)
	if err != nil {
		return "unreadable: " + err.Error()
	}
	m, err := model.ParseMeta(props)
	if err != nil {
		return "unreadable: " + err.Error()
	}
	return m.ID()
}
