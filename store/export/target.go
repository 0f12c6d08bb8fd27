package export

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/ecgstation/ecgstation/store/private"
)

// ErrTarget is wrapped by the reasons an export folder is refused.
var ErrTarget = errors.New("export folder refused")

// maxManifest bounds the manifest.json an earlier export is read from.
const maxManifest = 64 << 20

// target is the export folder as found before writing: path is absolute,
// exists says whether there is an empty folder or an earlier export to
// replace.
type target struct {
	path   string
	exists bool
}

// checkTarget says whether an export may be written to out: a new name, an
// empty folder, or an earlier export (see checkEarlier). A symbolic link is
// refused, not followed.
func checkTarget(out string) (target, error) {
	path, err := filepath.Abs(out)
	if err != nil {
		return target{}, fmt.Errorf("export: %w", err)
	}
	if filepath.Dir(path) == path {
		return target{}, fmt.Errorf("%w: %s is a file system root: choose a folder inside it", ErrTarget, path)
	}
	fi, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return target{path: path}, nil
	case err != nil:
		return target{}, fmt.Errorf("export: %w", err)
	case fi.Mode()&fs.ModeSymlink != 0:
		return target{}, fmt.Errorf("%w: %s is a symbolic link, which is not followed: give the folder itself, or a new one", ErrTarget, path)
	case !fi.IsDir():
		return target{}, fmt.Errorf("%w: %s exists and is not a folder: choose a new folder", ErrTarget, path)
	}
	return target{path: path, exists: true}, checkEarlier(path, true)
}

// checkEarlier accepts an empty folder, or an earlier export that nobody
// added to or changed: a manifest.json of an ECG Station training set and
// no other entry than the regular files it lists, each with the size and
// SHA-256 it lists (manifests of format 1 list names only). Anything else
// is the user's, and replacing the folder would delete it. Without hash,
// sizes stand in for the sums (the check just before the swap).
func checkEarlier(dir string, hash bool) error {
	ents, err := os.ReadDir(dir)
	if err != nil || len(ents) == 0 {
		return err
	}
	listed, err := earlierFiles(dir)
	if err != nil {
		return fmt.Errorf("%w: %s is not empty and is not an earlier export (%v): choose an empty or new folder; nothing was written", ErrTarget, dir, err)
	}
	for _, en := range ents {
		if err := checkEarlierFile(dir, en, listed, hash); err != nil {
			return fmt.Errorf("%w: %s: move it away or choose another folder; nothing was written", ErrTarget, err)
		}
	}
	return nil
}

func checkEarlierFile(dir string, en fs.DirEntry, listed map[string]*FileSum, hash bool) error {
	path := filepath.Join(dir, en.Name())
	sum, ok := listed[en.Name()]
	switch {
	case en.Type()&fs.ModeSymlink != 0:
		return fmt.Errorf("%s is a symbolic link, which an export never writes (it is not followed)", path)
	case !ok || !en.Type().IsRegular():
		return fmt.Errorf("%s was not written by the earlier export there", path)
	case sum == nil:
		return nil
	}
	n, h := int64(-1), ""
	if fi, err := en.Info(); err == nil {
		n, h = fi.Size(), sum.SHA256
	}
	if hash {
		var err error
		if n, h, err = fileSHA256(path); err != nil {
			return err
		}
	}
	if n != sum.Bytes || h != sum.SHA256 {
		return fmt.Errorf("%s was changed since it was exported (its SHA-256 is not the one in manifest.json)", path)
	}
	return nil
}

// earlierFiles reads the manifest.json in dir and returns the files it
// lists, with their sums (nil for manifests of format 1, and for the
// manifest itself).
func earlierFiles(dir string) (map[string]*FileSum, error) {
	path := filepath.Join(dir, "manifest.json")
	fi, err := os.Lstat(path)
	if err != nil {
		return nil, errors.New("no manifest.json")
	}
	if !fi.Mode().IsRegular() {
		return nil, errors.New("manifest.json is not a regular file")
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var m struct {
		Format string          `json:"format"`
		Files  json.RawMessage `json:"files"`
	}
	if err := json.NewDecoder(io.LimitReader(f, maxManifest)).Decode(&m); err != nil || m.Format != manifestFormat {
		return nil, errors.New("manifest.json is not the manifest of an ECG Station training set")
	}
	return listedFiles(m.Files)
}

// listedFiles decodes the files of a manifest: FileSum objects (format 2)
// or names (format 1).
func listedFiles(raw json.RawMessage) (map[string]*FileSum, error) {
	out := map[string]*FileSum{"manifest.json": nil}
	var sums []FileSum
	if err := json.Unmarshal(raw, &sums); err == nil {
		for i := range sums {
			out[sums[i].Name] = &sums[i]
		}
		return out, nil
	}
	var names []string
	if err := json.Unmarshal(raw, &names); err != nil {
		return nil, errors.New("manifest.json does not list its files")
	}
	for _, n := range names {
		out[n] = nil
	}
	return out, nil
}

// stage makes the staging folder beside the target, where the export is
// written before it is renamed into place.
func (t target) stage() (string, error) {
	if err := private.MkdirAll(filepath.Dir(t.path)); err != nil {
		return "", fmt.Errorf("export: %w", err)
	}
	dir, err := os.MkdirTemp(filepath.Dir(t.path), "."+filepath.Base(t.path)+".export-*")
	if err != nil {
		return "", fmt.Errorf("export: %w", err)
	}
	return dir, os.Chmod(dir, private.DirMode)
}

// publish renames the staged export in: into a new name at once, or over
// an earlier export as far as POSIX allows, by renaming the earlier one
// aside, the new one in, and removing the earlier one. The target is
// checked again first, in case files appeared in it meanwhile.
func (t target) publish(staged string) error {
	parent := filepath.Dir(t.path)
	if err := syncDir(staged); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if !t.exists {
		if err := os.Rename(staged, t.path); err != nil {
			return fmt.Errorf("export: %w", err)
		}
		return syncDir(parent)
	}
	if err := checkEarlier(t.path, false); err != nil {
		return err
	}
	return t.swap(staged)
}

// swap replaces the folder at t.path with staged.
func (t target) swap(staged string) error {
	parent := filepath.Dir(t.path)
	aside, err := os.MkdirTemp(parent, "."+filepath.Base(t.path)+".old-*")
	if err == nil {
		err = os.Remove(aside)
	}
	if err == nil {
		err = os.Rename(t.path, aside)
	}
	if err != nil {
		return fmt.Errorf("export: move the earlier export aside: %w", err)
	}
	if err := os.Rename(staged, t.path); err != nil {
		if rerr := os.Rename(aside, t.path); rerr != nil {
			return fmt.Errorf("export: %v; the earlier export is in %s", err, aside)
		}
		return fmt.Errorf("export: %w", err)
	}
	if err := syncDir(parent); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if err := os.RemoveAll(aside); err != nil {
		return fmt.Errorf("export: written to %s, but the earlier export could not be removed from %s: %w", t.path, aside, err)
	}
	return nil
}
