package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/app/research"
)

// runNST is "ecgstation nst": research.NST on the app's QRS detector.
func runNST(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("nst", stderr)
	data := fs.String("data", os.Getenv("ECGDATA"), "data directory holding mitdb/ and noise/")
	recs := fs.String("records", "118,119", "clean records (comma-separated)")
	kinds := fs.String("noise", "bw,ma", "noise records (comma-separated)")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *data == "" {
		return fmt.Errorf("%w: --data DIR (or ECGDATA) is required", errUsage)
	}
	detect := func(sig annotate.Signal) ([]annotate.Beat, error) {
		beats, _, _, err := detectSignal(sig)
		return beats, err
	}
	return research.NST(research.NSTOptions{Data: *data, Records: strings.Split(*recs, ","),
		Noise: strings.Split(*kinds, ","), Detect: detect}, stdout)
}
