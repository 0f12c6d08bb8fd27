// Package private creates the files and folders ECG Station writes, all
// with one mode: FileMode (0600, owner read and write only) for files and
// DirMode (0700) for folders.
//
// Every file the app writes can hold patient data: the label database keeps
// record paths and header comments (medications, diagnoses), label bundles
// and exports keep labels and record names, reports and plots show the
// signal, converted records are the signal itself. A laptop is often shared
// with other accounts, so nothing is readable by group or others; sharing a
// file is the owner's deliberate act (chmod, or copying it elsewhere).
// 0640 was considered and not taken: group membership on a clinical laptop
// is not a grant of access to patient data.
//
// The modes are asked for at creation, so a umask can only narrow them;
// CreateTemp (whose mode Go fixes at 0600) and Chmod set them exactly.
//
// The package is a leaf (standard library only) so that store and its
// format sub-packages (wfdb, edf, ishne) can all use it.
package private

import (
	"io/fs"
	"os"
)

// FileMode is the permission of every file ECG Station creates.
const FileMode fs.FileMode = 0o600

// DirMode is the permission of every folder ECG Station creates.
const DirMode fs.FileMode = 0o700

// Create creates or truncates the file at path with FileMode, as os.Create
// does with 0666. An existing file keeps its mode.
func Create(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_TRUNC, FileMode)
}

// WriteFile writes data to the file at path, created with FileMode.
func WriteFile(path string, data []byte) error {
	return os.WriteFile(path, data, FileMode)
}

// CreateTemp creates a new temporary file in dir (os.CreateTemp) and sets
// its mode to FileMode, so that renaming it into place publishes a file of
// the documented mode.
func CreateTemp(dir, pattern string) (*os.File, error) {
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	if err := f.Chmod(FileMode); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	return f, nil
}

// MkdirAll makes the folder path and any missing parents with DirMode.
// Folders that exist keep their mode.
func MkdirAll(path string) error {
	return os.MkdirAll(path, DirMode)
}
