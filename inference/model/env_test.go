package model

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// shared is the environment the tests share; TestMain closes it.
var shared struct {
	once sync.Once
	env  *Env
	err  error
}

// testEnv returns the shared environment, or skips the test when ONNX
// Runtime cannot be loaded here.
func testEnv(t testing.TB) *Env {
	t.Helper()
	shared.once.Do(func() { shared.env, shared.err = NewEnv(Options{}) })
	if shared.err != nil {
		t.Skipf("ONNX Runtime not available (run `make ort` or set %s): %v", LibraryEnv, shared.err)
	}
	return shared.env
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.env != nil {
		if err := shared.env.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "close:", err)
			code = 1
		}
	}
	os.Exit(code)
}

// TestEnvReinit opens, uses and closes the environment twice. Run first
// (as in `go test`), it destroys and re-creates the process-wide
// environment; run after other tests, it exercises the handle count.
func TestEnvReinit(t *testing.T) {
	for round := 0; round < 2; round++ {
		env, err := NewEnv(Options{})
		if err != nil {
			t.Skipf("ONNX Runtime not available (run `make ort` or set %s): %v", LibraryEnv, err)
		}
		m, err := Load(filepath.Join(modelDir, "beat_small.onnx"), env)
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		if err := env.Close(); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		if err := m.Close(); err != nil {
			t.Errorf("round %d: closing a model after its env: %v", round, err)
		}
	}
}

func TestRuntimeUnavailable(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "libonnxruntime.so.1")
	if err := os.WriteFile(text, []byte("not a shared library\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ name, lib, why string }{
		{"missing file", filepath.Join(dir, "nowhere", "libonnxruntime.so.1"), "does not exist"},
		{"not a library", text, "cannot load it"},
	}
	if libm, _ := filepath.Glob("/lib/x86_64-linux-gnu/libm.so.6"); len(libm) == 1 {
		cases = append(cases, struct{ name, lib, why string }{"another library", libm[0], "not an ONNX Runtime library"})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env, err := NewEnv(Options{Library: c.lib})
			if err == nil {
				env.Close()
				t.Fatal("NewEnv succeeded")
			}
			var re *RuntimeError
			if !errors.As(err, &re) || !errors.Is(err, ErrRuntimeUnavailable) {
				t.Fatalf("NewEnv = %v, want a *RuntimeError", err)
			}
			for _, s := range []string{"model suggestions are off", c.lib, c.why, "make ort", LibraryEnv, "ONNX Runtime 1.24 release", "labelled by hand"} {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("message does not say %q:\n%s", s, err)
				}
			}
		})
	}
}

// plant writes a file named LibraryName into dir/lib and returns its path.
// Its content marks it: a planted library must never be chosen.
func plant(t *testing.T, dir string) string {
	t.Helper()
	p := filepath.Join(dir, "lib", LibraryName)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte("planted by "+t.Name()+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestFindLibrary(t *testing.T) {
	root := t.TempDir()
	parent := plant(t, root)                         // lib/ in a parent of the working folder
	here := plant(t, filepath.Join(root, "records")) // lib/ in the working folder
	t.Chdir(filepath.Join(root, "records"))
	cases := []struct {
		name, explicit, env, want, from, wantErr string
	}{
		{"environment variable", "", "/dev/null", "/dev/null", FromEnv, ""},
		{"option wins over the environment", parent, "/nonexistent", parent, FromOption, ""},
		{"relative option is the user's choice", filepath.Join("lib", LibraryName), "", filepath.Join("lib", LibraryName), FromOption, ""},
		{"missing option is an error, not a fallback", "/nonexistent/lib.so", "", "", "", "named by option does not exist"},
		{"missing env path is an error", "", "/nonexistent/lib.so", "", "", "named by " + FromEnv + " does not exist"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv(LibraryEnv, c.env)
			got, err := FindLibrary(c.explicit)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) || got.Path != "" {
					t.Fatalf("FindLibrary = %v, %v; want error %q", got, err, c.wantErr)
				}
				return
			}
			if err != nil || got.Path != c.want || got.From != c.from || len(got.Tried) == 0 {
				t.Errorf("FindLibrary = %+v, %v; want %q from %q", got, err, c.want, c.from)
			}
		})
	}
	t.Run("planted lib/ in the working folder and its parent is never chosen", func(t *testing.T) {
		t.Setenv(LibraryEnv, "")
		got, err := FindLibrary("")
		for _, p := range append([]string{got.Path}, got.Tried...) {
			if p != "" && (!filepath.IsAbs(p) || strings.HasPrefix(p, root)) {
				t.Errorf("FindLibrary looked at %q (working folder %s): %+v, %v", p, filepath.Join(root, "records"), got, err)
			}
		}
		if err == nil && got.From != FromProgram && got.From != FromSystem {
			t.Errorf("FindLibrary = %+v from %q", got, got.From)
		}
		for _, p := range []string{here, parent} {
			if strings.Contains(fmt.Sprint(got.Tried), p) {
				t.Errorf("tried the planted %s", p)
			}
		}
	})
}

// envFindHelper makes the test binary print FindLibrary's choice and exit:
// TestFindLibraryBesideProgram runs copies of the binary that way.
const envFindHelper = "ECGSTATION_FINDLIB_HELPER"

func TestFindLibraryHelper(t *testing.T) {
	if os.Getenv(envFindHelper) != "1" {
		t.Skip("helper process only")
	}
	c, err := FindLibrary("")
	fmt.Printf("%s\t%s\t%v\n", c.Path, c.From, err)
}

// TestFindLibraryBesideProgram runs a copy of this test binary from
// PKG/bin/ in a records folder that holds planted libraries (in it and in
// its parent): with PKG/lib/ present the package's library is chosen, and
// without it a planted one never is.
func TestFindLibraryBesideProgram(t *testing.T) {
	if testing.Short() {
		t.Skip("copies the test binary")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Skip(err)
	}
	root := t.TempDir()
	plant(t, root)
	records := filepath.Join(root, "records")
	plant(t, records)
	for _, c := range []struct {
		name, bin, lib string // bin: the program's folder; lib: where its lib/ is, "" none
		spoil          func(lib string) error
	}{
		{"package lib/ beside bin/", "pkg/bin", "pkg", nil},
		{"lib/ in the program's own folder", "flat", "flat", nil},
		{"no lib/ beside the program", "bare/bin", "", nil},
		{"lib/ anyone may write", "open/bin", "open", func(lib string) error { return os.Chmod(filepath.Dir(lib), 0o777) }},
		{"library of another user", "other/bin", "other", func(lib string) error {
			if os.Getuid() != 0 {
				return errors.ErrUnsupported // only root can give a file away
			}
			return os.Chown(lib, 65534, 65534)
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			bin := copyExe(t, exe, filepath.Join(root, c.bin))
			want := ""
			if c.lib != "" {
				want = plant(t, filepath.Join(root, c.lib))
			}
			wantErr := ""
			if c.spoil != nil {
				if err := c.spoil(want); err != nil {
					t.Skip(err)
				}
				want, wantErr = "", "safe to load (skipped: "
			}
			cmd := exec.Command(bin, "-test.run=^TestFindLibraryHelper$")
			cmd.Dir = records
			cmd.Env = append(os.Environ(), envFindHelper+"=1", LibraryEnv+"=")
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("%v: %s", err, out)
			}
			f := strings.Split(strings.SplitN(string(out), "\n", 2)[0], "\t")
			if len(f) != 3 {
				t.Fatalf("helper printed %q", out)
			}
			if want != "" && (f[0] != want || f[1] != FromProgram) {
				t.Errorf("chose %q (%s), want %q (%s)", f[0], f[1], want, FromProgram)
			}
			if want == "" && strings.HasPrefix(f[0], root) {
				t.Errorf("chose the planted %q (%s)", f[0], f[1])
			}
			if !strings.Contains(f[2], wantErr) {
				t.Errorf("error %q does not say %q", f[2], wantErr)
			}
		})
	}
}

// copyExe copies the executable exe into dir and returns the copy's path.
func copyExe(t *testing.T, exe, dir string) string {
	t.Helper()
	b, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, filepath.Base(exe))
	if err := os.WriteFile(p, b, 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestEnvOptions(t *testing.T) {
	env := testEnv(t)
	if env.Threads() != DefaultThreads() || DefaultThreads() < 1 {
		t.Errorf("default threads %d, DefaultThreads %d", env.Threads(), DefaultThreads())
	}
	if !strings.HasPrefix(env.Version(), "1.") {
		t.Errorf("version %q", env.Version())
	}
	two, err := NewEnv(Options{Library: env.Library(), Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer two.Close()
	if two.Threads() != 2 {
		t.Errorf("threads %d, want 2", two.Threads())
	}
}

// TestEnvClose checks that closing a handle closes its models and that a
// closed handle loads nothing, while other handles keep working.
func TestEnvClose(t *testing.T) {
	env := testEnv(t)
	second, err := NewEnv(Options{Library: env.Library()})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(modelDir, "beat_small.onnx")
	m, err := Load(path, second)
	if err != nil {
		t.Fatal(err)
	}
	if err := second.Close(); err != nil {
		t.Fatal(err)
	}
	if err := second.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := m.Run(&Batch{N: 0}); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Errorf("Run after Close = %v, want a closed error", err)
	}
	if _, err := Load(path, second); !errors.Is(err, ErrRuntimeUnavailable) {
		t.Errorf("Load on a closed env = %v", err)
	}
	m2, err := Load(path, env)
	if err != nil {
		t.Fatalf("the shared env stopped working: %v", err)
	}
	m2.Close()
}
