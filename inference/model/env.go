package model

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	ort "github.com/yalue/onnxruntime_go"
)

// LibraryEnv is the environment variable that names the ONNX Runtime
// shared library when no option does.
const LibraryEnv = "ONNXRUNTIME_LIB"

// ErrRuntimeUnavailable is wrapped by every RuntimeError: ONNX Runtime
// cannot be used, so model suggestions are off (records still open and
// readers still label by hand).
var ErrRuntimeUnavailable = errors.New("ONNX Runtime unavailable")

// RuntimeError says why ONNX Runtime could not be loaded and how to fix it.
type RuntimeError struct {
	Lib   string   // the library tried, "" when none was found
	Tried []string // where the library was looked for
	Err   error    // the cause
}

func (e *RuntimeError) Error() string {
	var b strings.Builder
	b.WriteString("model suggestions are off: ONNX Runtime is unavailable: ")
	if e.Lib != "" {
		fmt.Fprintf(&b, "%s: ", e.Lib)
	}
	fmt.Fprintf(&b, "%v. ", e.Err)
	if len(e.Tried) > 0 {
		fmt.Fprintf(&b, "Looked for it at: %s. ", strings.Join(e.Tried, ", "))
	}
	fmt.Fprintf(&b, "To fix: run `make ort` in the ECG Station source folder, "+
		"or set %s to the path of %s (ONNX Runtime 1.24 or newer), "+
		"or download the official ONNX Runtime 1.24 release archive "+
		"(github.com/microsoft/onnxruntime/releases) and copy its %s into lib/ beside the ecgstation program. "+
		"Records still open and beats can be labelled by hand.", LibraryEnv, LibraryName, LibraryName)
	return b.String()
}

// Unwrap returns ErrRuntimeUnavailable and the cause.
func (e *RuntimeError) Unwrap() []error { return []error{ErrRuntimeUnavailable, e.Err} }

// LibraryName is the file name of the ONNX Runtime shared library here.
var LibraryName = map[string]string{
	"windows": "onnxruntime.dll",
	"darwin":  "libonnxruntime.dylib",
}[runtime.GOOS]

func init() {
	if LibraryName == "" {
		LibraryName = "libonnxruntime.so.1"
	}
}

// How FindLibrary found the library (LibraryChoice.From).
const (
	FromOption  = "option"                  // a flag or a preference named it
	FromEnv     = "$" + LibraryEnv          // the environment variable named it
	FromProgram = "lib/ beside the program" // the package's own layout
	FromSystem  = "system library folder"   // a standard system folder
)

// LibraryChoice is the ONNX Runtime library FindLibrary chose, how it found
// it, and every place it looked.
type LibraryChoice struct {
	Path  string   // the library file, "" when none was found
	From  string   // FromOption, FromEnv, FromProgram or FromSystem
	Tried []string // the candidates, in the order looked at
}

// String says where the library is and how it was found.
func (c LibraryChoice) String() string {
	if c.Path == "" {
		return "none found"
	}
	return fmt.Sprintf("%s (%s)", c.Path, c.From)
}

// FindLibrary returns the ONNX Runtime library to load: explicit (from a
// flag or option) when not empty, else $ONNXRUNTIME_LIB when set, else
// lib/<LibraryName> in the executable's folder or its parent (the bin/ and
// lib/ layout of the package and of the source tree), else the system's
// standard library folders. It never looks in the working folder or its
// parents: a records folder on a stick or a share must not be able to plant
// a library, whose constructor would run as soon as it is loaded. For the
// same reason a searched library that another user owns, or that anyone may
// write (the file or its folder), is skipped and named in the error.
func FindLibrary(explicit string) (LibraryChoice, error) {
	for _, p := range []struct{ path, from string }{{explicit, FromOption}, {os.Getenv(LibraryEnv), FromEnv}} {
		if p.path == "" {
			continue
		}
		c := LibraryChoice{Path: p.path, From: p.from, Tried: []string{p.path}}
		if _, err := os.Stat(p.path); err != nil {
			c.Path = ""
			return c, fmt.Errorf("the library named by %s does not exist: %w", p.from, err)
		}
		return c, nil
	}
	var c LibraryChoice
	var skipped []string
	for _, dirs := range []struct {
		from string
		dirs []string
	}{{FromProgram, programLibDirs()}, {FromSystem, systemLibDirs()}} {
		for _, d := range dirs.dirs {
			p := filepath.Join(d, LibraryName)
			c.Tried = append(c.Tried, p)
			if st, err := os.Stat(p); err != nil || st.IsDir() {
				continue
			}
			if why := untrusted(p); why != "" {
				skipped = append(skipped, why)
				continue
			}
			c.Path, c.From = p, dirs.from
			return c, nil
		}
	}
	if len(skipped) > 0 {
		return c, fmt.Errorf("no %s found that is safe to load (skipped: %s)", LibraryName, strings.Join(skipped, "; "))
	}
	return c, fmt.Errorf("no %s found", LibraryName)
}

// programLibDirs returns lib/ in the executable's folder and in its parent
// (bin/ecgstation beside lib/), the executable's symlinks resolved.
func programLibDirs() []string {
	exe, err := os.Executable()
	if err != nil {
		return nil
	}
	if r, err := filepath.EvalSymlinks(exe); err == nil {
		exe = r
	}
	dir := filepath.Dir(exe)
	return []string{filepath.Join(dir, "lib"), filepath.Join(filepath.Dir(dir), "lib")}
}

// systemLibDirs returns the standard folders the dynamic loader searches
// on this system (only absolute, root-owned places; never the working
// folder).
func systemLibDirs() []string {
	switch runtime.GOOS {
	case "darwin":
		return []string{"/usr/local/lib", "/opt/homebrew/lib"}
	case "windows":
		return nil
	}
	dirs := []string{"/usr/local/lib", "/usr/local/lib64"}
	if t := multiarch[runtime.GOARCH]; t != "" {
		dirs = append(dirs, "/usr/lib/"+t, "/lib/"+t)
	}
	return append(dirs, "/usr/lib64", "/usr/lib", "/lib64", "/lib")
}

// multiarch is Debian's multiarch triplet of each GOARCH (the folder under
// /usr/lib where its packages put shared libraries).
var multiarch = map[string]string{
	"amd64": "x86_64-linux-gnu", "arm64": "aarch64-linux-gnu", "386": "i386-linux-gnu",
	"arm": "arm-linux-gnueabihf", "riscv64": "riscv64-linux-gnu", "ppc64le": "powerpc64le-linux-gnu",
}

// DefaultThreads is the default number of intra-op threads per session:
// one less than the number of CPUs, at least 1, leaving a core for the UI.
func DefaultThreads() int { return max(1, runtime.NumCPU()-1) }

// Options configure an Env.
type Options struct {
	Library string // ONNX Runtime library path; "" means FindLibrary's search
	Threads int    // intra-op threads per session; 0 means DefaultThreads()
	// Spin lets idle intra-op threads busy-wait for work between runs.
	// Off by default: spinning takes CPU from the UI and from other work
	// on a laptop with 2 to 4 cores, for little gain.
	Spin bool
}

// Env is a handle on the process-wide ONNX Runtime environment, which
// onnxruntime_go allows only once per process. NewEnv initialises it on
// first use and counts handles; the last Close destroys the sessions the
// handle opened and then the environment. All handles must name the same
// library. An Env is safe for concurrent use.
type Env struct {
	lib, version string
	from         string // how the library was found (LibraryChoice.From)
	threads      int
	spin         bool

	mu     sync.Mutex
	models map[*Model]struct{}
	closed bool
}

// global is the state of the single ONNX Runtime environment.
var global struct {
	sync.Mutex
	refs    int
	lib     string
	version string
}

// NewEnv loads ONNX Runtime. On failure the error is a *RuntimeError
// (errors.Is(err, ErrRuntimeUnavailable)) whose message says why model
// suggestions are off and how to fix it.
func NewEnv(opt Options) (*Env, error) {
	choice, err := FindLibrary(opt.Library)
	if err != nil {
		return nil, &RuntimeError{Tried: choice.Tried, Err: err}
	}
	lib := choice.Path
	if abs, err := filepath.Abs(lib); err == nil {
		lib = abs
	}
	version, err := acquire(lib)
	if err != nil {
		return nil, err
	}
	threads := opt.Threads
	if threads <= 0 {
		threads = DefaultThreads()
	}
	return &Env{lib: lib, from: choice.From, version: version, threads: threads, spin: opt.Spin, models: map[*Model]struct{}{}}, nil
}

// acquire initialises the process-wide environment with lib, or counts
// one more handle on it, and returns the library's version. Probing and
// initialising happen under one lock, and a library already in use is not
// probed again: the probe's dlopen/dlclose must never run beside another
// goroutine's initialisation (the GUI loads its models from two goroutines
// at once, and that hung pre-annotation now and then).
func acquire(lib string) (string, error) {
	global.Lock()
	defer global.Unlock()
	if global.refs > 0 {
		if global.lib != lib {
			return "", &RuntimeError{Lib: lib, Err: fmt.Errorf("this process already uses ONNX Runtime from %s, and only one library can be loaded", global.lib)}
		}
		global.refs++
		return global.version, nil
	}
	version, err := probeLibrary(lib)
	if err != nil {
		return "", &RuntimeError{Lib: lib, Err: err}
	}
	ort.SetSharedLibraryPath(lib)
	if err := ort.InitializeEnvironment(ort.WithLogLevelError()); err != nil {
		return "", &RuntimeError{Lib: lib, Err: fmt.Errorf("initialising it failed: %w", err)}
	}
	global.refs, global.lib, global.version = 1, lib, version
	return version, nil
}

// Library returns the path of the loaded ONNX Runtime library.
func (e *Env) Library() string { return e.lib }

// LibrarySource says how the library was found: FromOption, FromEnv,
// FromProgram or FromSystem.
func (e *Env) LibrarySource() string { return e.from }

// Version returns the loaded ONNX Runtime's version, e.g. "1.24.1".
func (e *Env) Version() string { return e.version }

// Threads returns the intra-op threads each session uses.
func (e *Env) Threads() int { return e.threads }

// Close closes every model loaded through e and releases e's hold on the
// environment; the last handle destroys it. Close is idempotent.
func (e *Env) Close() error {
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return nil
	}
	e.closed = true
	models := e.models
	e.models = nil
	e.mu.Unlock()
	var errs []error
	for m := range models {
		errs = append(errs, m.close())
	}
	global.Lock()
	defer global.Unlock()
	if global.refs--; global.refs == 0 {
		if err := ort.DestroyEnvironment(); err != nil {
			errs = append(errs, fmt.Errorf("model: destroy ONNX Runtime environment: %w", err))
		}
	}
	return errors.Join(errs...)
}

// track records m as open under e; it fails once e is closed.
func (e *Env) track(m *Model) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return &RuntimeError{Lib: e.lib, Err: errors.New("the environment was closed")}
	}
	e.models[m] = struct{}{}
	return nil
}

// untrack forgets m.
func (e *Env) untrack(m *Model) {
	e.mu.Lock()
	defer e.mu.Unlock()
	delete(e.models, m)
}
