//go:build tools

// This file pins the modules that the project's packages use while they are
// being written, so that go mod tidy keeps them. It is never compiled.
package main

import (
	_ "codeberg.org/sbinet/npyio/npz"
	_ "fyne.io/fyne/v2/app"
	_ "fyne.io/fyne/v2/test"
	_ "fyne.io/fyne/v2/widget"
	_ "github.com/yalue/onnxruntime_go"
	_ "go.etcd.io/bbolt"
	_ "gonum.org/v1/gonum/dsp/fourier"
	_ "gonum.org/v1/gonum/stat"
	_ "gonum.org/v1/plot"
	_ "gonum.org/v1/plot/vg/vgpdf"
)
