package model

import (
	"errors"
	"fmt"
	"os"
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

func TestFindLibrary(t *testing.T) {
	root := t.TempDir()
	found := filepath.Join(root, "lib", LibraryName)
	deep := filepath.Join(root, "a", "b")
	for _, d := range []string{filepath.Dir(found), deep} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(found, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(deep)
	cases := []struct {
		name, explicit, env, want, wantErr string
	}{
		{"walks up from the working directory", "", "", found, ""},
		{"environment variable wins over lib/", "", "/dev/null", "/dev/null", ""},
		{"option wins over the environment", found, "/nonexistent", found, ""},
		{"missing option is an error, not a fallback", "/nonexistent/lib.so", "", "", "named by option does not exist"},
		{"missing env path is an error", "", "/nonexistent/lib.so", "", "named by " + LibraryEnv + " does not exist"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv(LibraryEnv, c.env)
			got, tried, err := FindLibrary(c.explicit)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("FindLibrary = %q, %v; want error %q", got, err, c.wantErr)
				}
				return
			}
			if err != nil || got != c.want || len(tried) == 0 {
				t.Errorf("FindLibrary = %q, %v, %v; want %q", got, tried, err, c.want)
			}
		})
	}
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
