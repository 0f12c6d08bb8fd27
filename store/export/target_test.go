package export

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// exportOpts are the options of the target tests: every format.
func exportOpts(seed uint64) Options {
	o := DefaultOptions()
	o.Formats, o.Seed, o.Split = []string{"npz", "csv", "wfdb"}, seed, [3]float64{50, 0, 50}
	o.Now = func() time.Time { return testNow }
	return o
}

// snapshot returns the content of every entry of dir by name (see
// snapshotAny).
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, en := range ents {
		p := filepath.Join(dir, en.Name())
		if !en.Type().IsRegular() {
			out[en.Name()] = snapshotAny(t, p)
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out[en.Name()] = string(b)
	}
	return out
}

// fullDisk passes the first room bytes of file name to the real file, then
// fails every write as a full disk does (ENOSPC), keeping what got in.
type fullDisk struct {
	w    io.Writer
	room int64
}

func (d *fullDisk) Write(p []byte) (int, error) {
	if int64(len(p)) <= d.room {
		d.room -= int64(len(p))
		return d.w.Write(p)
	}
	n, err := d.w.Write(p[:d.room])
	d.room -= int64(n)
	if err == nil {
		err = syscall.ENOSPC
	}
	return n, err
}

func fillDiskAt(name string, room int64) func(string, io.Writer) io.Writer {
	return func(n string, w io.Writer) io.Writer {
		if n != name {
			return w
		}
		return &fullDisk{w: w, room: room}
	}
}

// leftovers lists the staging and set-aside folders left beside out.
func leftovers(t *testing.T, out string) []string {
	t.Helper()
	ents, err := os.ReadDir(filepath.Dir(out))
	if err != nil {
		t.Fatal(err)
	}
	var l []string
	for _, en := range ents {
		if strings.HasPrefix(en.Name(), "."+filepath.Base(out)+".") {
			l = append(l, en.Name())
		}
	}
	return l
}

// TestExportFullDisk re-exports over a good export while the disk fills
// up in each file in turn, at its start and deep inside: the export fails
// with ENOSPC, and the earlier export stays byte for byte, with no staging
// folder left beside it.
func TestExportFullDisk(t *testing.T) {
	f := newFixture(t)
	out := filepath.Join(f.dir, "ds")
	if _, err := Export(f.db, out, exportOpts(1)); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, out)
	t.Cleanup(func() { testWrap = nil })
	for _, name := range slices.Sorted(maps.Keys(before)) {
		for _, room := range []int64{0, int64(len(before[name])) / 2} {
			testWrap = fillDiskAt(name, room)
			_, err := Export(f.db, out, exportOpts(2))
			testWrap = nil
			t.Logf("disk full in %s after %d bytes: %v", name, room, err)
			if !errors.Is(err, syscall.ENOSPC) {
				t.Errorf("disk full in %s after %d bytes: export says %v, want ENOSPC", name, room, err)
			}
			if after := snapshot(t, out); !maps.Equal(after, before) {
				t.Errorf("disk full in %s after %d bytes: the earlier export changed", name, room)
			}
			if l := leftovers(t, out); len(l) > 0 {
				t.Errorf("disk full in %s: left %v", name, l)
			}
		}
	}
	if _, err := Export(f.db, out, exportOpts(2)); err != nil {
		t.Fatalf("export with room again: %v", err)
	}
	if maps.Equal(snapshot(t, out), before) {
		t.Error("the export with another seed wrote the same files: the test shows nothing")
	}
}

// TestExportTargets checks which folders an export may be written to and
// that a refused one is left exactly as it was.
func TestExportTargets(t *testing.T) {
	f := newFixture(t)
	earlier := func(t *testing.T, out string) {
		if _, err := Export(f.db, out, exportOpts(1)); err != nil {
			t.Fatal(err)
		}
	}
	outside := filepath.Join(f.dir, "outside.txt")
	if err := os.WriteFile(outside, []byte("the user's own file"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		setup func(t *testing.T, out string)
		ok    bool
		says  string
	}{
		{"new folder", func(*testing.T, string) {}, true, ""},
		{"empty folder", func(t *testing.T, out string) { mkdir(t, out) }, true, ""},
		{"earlier export", earlier, true, ""},
		{"foreign folder", func(t *testing.T, out string) { mkdir(t, out); write(t, out, "notes.txt") }, false, "is not an earlier export"},
		{"foreign manifest", func(t *testing.T, out string) { mkdir(t, out); write(t, out, "manifest.json") }, false, "is not an earlier export"},
		{"file added to an earlier export", func(t *testing.T, out string) { earlier(t, out); write(t, out, "notes.txt") },
			false, "was not written by the earlier export"},
		{"earlier export changed", func(t *testing.T, out string) { earlier(t, out); write(t, out, "beats.csv") },
			false, "was changed since it was exported"},
		{"folder in an earlier export", func(t *testing.T, out string) { earlier(t, out); mkdir(t, filepath.Join(out, "sub")) },
			false, "was not written by the earlier export"},
		{"target is a file", func(t *testing.T, out string) { write(t, filepath.Dir(out), filepath.Base(out)) }, false, "is not a folder"},
		{"target is a symbolic link", func(t *testing.T, out string) {
			mkdir(t, out+"-real")
			symlink(t, out+"-real", out)
		}, false, "is a symbolic link"},
		{"symbolic link in an earlier export", func(t *testing.T, out string) {
			earlier(t, out)
			os.Remove(filepath.Join(out, "beats.csv"))
			symlink(t, outside, filepath.Join(out, "beats.csv"))
		}, false, "is a symbolic link"},
		{"symbolic link as manifest", func(t *testing.T, out string) {
			earlier(t, out)
			m := filepath.Join(out, "manifest.json")
			os.Rename(m, outside+".json")
			symlink(t, outside+".json", m)
		}, false, "manifest.json is not a regular file"},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "ds")
			c.setup(t, out)
			before := snapshotAny(t, out)
			outsideBefore, realBefore := snapshotAny(t, outside), snapshotAny(t, out+"-real")
			_, err := Export(f.db, out, exportOpts(uint64(10+i)))
			if c.ok {
				if err != nil {
					t.Fatal(err)
				}
				checkSums(t, out)
				return
			}
			if !errors.Is(err, ErrTarget) || !strings.Contains(err.Error(), c.says) {
				t.Fatalf("export says %v, want ErrTarget saying %q", err, c.says)
			}
			t.Log(err)
			if snapshotAny(t, out) != before || snapshotAny(t, outside) != outsideBefore || snapshotAny(t, out+"-real") != realBefore {
				t.Error("a refused target was changed")
			}
			if l := leftovers(t, out); len(l) > 0 {
				t.Errorf("left %v", l)
			}
		})
	}
}

// snapshotAny describes whatever is at path, without following a link.
func snapshotAny(t *testing.T, path string) string {
	t.Helper()
	fi, err := os.Lstat(path)
	switch {
	case err != nil:
		return err.Error()
	case fi.Mode()&os.ModeSymlink != 0:
		l, _ := os.Readlink(path)
		return "-> " + l
	case fi.IsDir():
		b, _ := json.Marshal(snapshot(t, path))
		return string(b)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func mkdir(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
}

func write(t *testing.T, dir, name string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte("{\"mine\": true}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

// checkSums compares the manifest's file list with the folder and with
// what sha256sum prints for each file.
func checkSums(t *testing.T, dir string) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m Manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, fs := range m.Files {
		names = append(names, fs.Name)
	}
	onDisk := slices.Sorted(maps.Keys(snapshot(t, dir)))
	if want := slices.Sorted(slices.Values(append(names, "manifest.json"))); !slices.Equal(onDisk, want) {
		t.Errorf("folder holds %v, manifest lists %v and itself", onDisk, names)
	}
	if _, err := exec.LookPath("sha256sum"); err != nil {
		t.Skip("no sha256sum to compare with")
	}
	cmd := exec.Command("sha256sum", names...)
	cmd.Dir = dir
	got, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	for _, fs := range m.Files {
		want.WriteString(fs.SHA256 + "  " + fs.Name + "\n")
	}
	if string(got) != want.String() {
		t.Errorf("sha256sum prints\n%s\nmanifest says\n%s", got, want.String())
	}
}

// TestExportTargetChangedMeanwhile saves a file into the earlier export
// while the new one is being written: the swap is refused, so the file is
// not deleted with the earlier export.
func TestExportTargetChangedMeanwhile(t *testing.T) {
	f := newFixture(t)
	out := filepath.Join(f.dir, "ds")
	if _, err := Export(f.db, out, exportOpts(1)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { testWrap = nil })
	testWrap = func(name string, w io.Writer) io.Writer {
		if name == "manifest.json" {
			write(t, out, "notes.txt")
		}
		return w
	}
	_, err := Export(f.db, out, exportOpts(2))
	if !errors.Is(err, ErrTarget) || !strings.Contains(err.Error(), "notes.txt") {
		t.Fatalf("export says %v, want ErrTarget naming notes.txt", err)
	}
	if _, err := os.Stat(filepath.Join(out, "notes.txt")); err != nil {
		t.Errorf("the file saved meanwhile is gone: %v", err)
	}
	if l := leftovers(t, out); len(l) > 0 {
		t.Errorf("left %v", l)
	}
}

// TestExportReplaces re-exports npz only over an export in every format:
// the folder then holds exactly the new files, no stale CSV beside a
// manifest that does not list it.
func TestExportReplaces(t *testing.T) {
	f := newFixture(t)
	out := filepath.Join(f.dir, "ds")
	if _, err := Export(f.db, out, exportOpts(1)); err != nil {
		t.Fatal(err)
	}
	o := exportOpts(1)
	o.Formats = []string{"npz"}
	if _, err := Export(f.db, out, o); err != nil {
		t.Fatal(err)
	}
	if got := slices.Sorted(maps.Keys(snapshot(t, out))); !slices.Equal(got, []string{"beats.npz", "manifest.json", "rhythm.npz"}) {
		t.Errorf("folder holds %v after the npz-only export", got)
	}
	checkSums(t, out)
	if l := leftovers(t, out); len(l) > 0 {
		t.Errorf("left %v", l)
	}
}

// FuzzListedFiles feeds the files field of an earlier manifest to its
// parser: it never panics, and what it accepts always lists the manifest
// itself with no sum. Seeds: both formats and a wrong one.
func FuzzListedFiles(f *testing.F) {
	f.Add([]byte(`[{"name":"beats.npz","bytes":3,"sha256":"ab"}]`))
	f.Add([]byte(`["beats.npz","manifest.json"]`))
	f.Add([]byte(`{"beats.npz":1}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		got, err := listedFiles(raw)
		if err != nil {
			return
		}
		if s, ok := got["manifest.json"]; !ok || (s != nil && s.Name != "manifest.json") {
			t.Fatalf("%q: manifest.json listed as %v, %v", raw, s, ok)
		}
	})
}
