package main

import (
	"bufio"
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate/synth"
)

// TestWindowXvfb starts the real binary on a synthetic record in an X
// server, sends keys with xdotool and checks the view moved and the
// screenshot shows a strip. It runs when DISPLAY is set (the CI starts
// Xvfb) or when ECGSTATION_XVFB=1 (it then starts its own Xvfb). The
// screenshot is kept in ECGSTATION_SCREENSHOT_DIR when that is set.
func TestWindowXvfb(t *testing.T) {
	if testing.Short() {
		t.Skip("real-window test skipped in -short mode")
	}
	display := xDisplay(t)
	rec := filepath.Join(t.TempDir(), "rec")
	cfg := synth.Default()
	cfg.Duration, cfg.ADCBits, cfg.PVC.PerHour = 3*time.Minute, 12, 200
	if _, _, err := writeSynthRecord(filepath.Dir(rec), "rec", cfg, 212); err != nil {
		t.Fatal(err)
	}
	bin := buildBinary(t)
	w := startWindow(t, bin, display, rec+".hea", "--db", filepath.Join(t.TempDir(), "labels.db"), "--reader", "xvfb")
	id := w.windowID(t)
	w.expect(t, "session-open-ms")

	a0, b0 := w.view(t, false)
	w.key(t, id, "ctrl+Right")
	a1, b1 := w.viewChanged(t, a0, b0)
	if span := b0 - a0; a1-a0 < span/10-2 || a1-a0 > span/10+2 || b1-a1 != span {
		t.Errorf("Ctrl+Right: view [%d,%d) -> [%d,%d), want a tenth of the span further", a0, b0, a1, b1)
	}
	w.key(t, id, "plus")
	a2, b2 := w.viewChanged(t, a1, b1)
	if b2-a2 > (b1-a1)/2+2 {
		t.Errorf("plus: view [%d,%d) -> [%d,%d), want half the span", a1, b1, a2, b2)
	}
	dir := os.Getenv("ECGSTATION_SCREENSHOT_DIR") // keep it for a person to look at
	if dir == "" {
		dir = t.TempDir()
	}
	shot := filepath.Join(dir, "window-xvfb.png")
	screenshot(t, display, shot)
	t.Logf("screenshot: %s", shot)
	checkNotBlank(t, shot)
	// The models (or, without ONNX Runtime, the detector and the rules)
	// label the 3-minute record in the background and say when done.
	if l := w.expect(t, "preannotate-"); !strings.HasPrefix(l, "preannotate-done") {
		t.Fatalf("pre-annotation did not finish: %s", l)
	}
}

// xDisplay returns the X display to use, starting an Xvfb when asked to.
func xDisplay(t *testing.T) string {
	for _, tool := range []string{"xdotool", "import"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed (apt-get install xdotool imagemagick): real-window test skipped", tool)
		}
	}
	if d := os.Getenv("DISPLAY"); d != "" {
		return d
	}
	if os.Getenv("ECGSTATION_XVFB") != "1" {
		t.Skip("no DISPLAY: set DISPLAY to an X server (e.g. Xvfb :77) or ECGSTATION_XVFB=1 to run the real-window test")
	}
	if _, err := exec.LookPath("Xvfb"); err != nil {
		t.Skip("Xvfb not installed (apt-get install xvfb): real-window test skipped")
	}
	d := fmt.Sprintf(":%d", 100+os.Getpid()%400)
	x := exec.Command("Xvfb", d, "-screen", "0", "1280x800x24", "-nolisten", "tcp")
	if err := x.Start(); err != nil {
		t.Fatalf("starting Xvfb: %v", err)
	}
	t.Cleanup(func() { _ = x.Process.Kill(); _ = x.Wait() })
	probe := &window{display: d}
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		if _, err := probe.xdotool("getdisplaygeometry"); err == nil {
			return d
		}
	}
	t.Fatalf("Xvfb %s did not come up within 10 s", d)
	return d
}

// buildBinary builds the ecgstation binary into a temporary folder.
func buildBinary(t *testing.T) string {
	bin := filepath.Join(t.TempDir(), "ecgstation")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// window is a running ecgstation process and the lines it traces.
type window struct {
	cmd     *exec.Cmd
	display string
	lines   chan string
	last    string   // the newest "view" line seen
	backlog []string // other lines read while waiting for another prefix
}

func startWindow(t *testing.T, bin, display string, args ...string) *window {
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, append([]string{"open", "--quit-after", "60s"}, args...)...)
	// Preferences of its own (Fyne keeps them under XDG_CONFIG_HOME): the
	// clicks land where the default paper and full-disclosure density put
	// things, whatever the person running the tests chose for themselves.
	cmd.Env = append(os.Environ(), "DISPLAY="+display, "LANG=en_US.UTF-8", envTiming+"=1", "XDG_CONFIG_HOME="+t.TempDir())
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); _ = cmd.Wait() })
	w := &window{display: display, lines: make(chan string, 1000), cmd: cmd}
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			w.lines <- sc.Text()
		}
		close(w.lines)
	}()
	w.expect(t, "first-strip-ms")
	return w
}

// expect waits for a traced line starting with prefix and returns it;
// lines read past on the way are kept for later expects (view lines
// only as the newest view).
func (w *window) expect(t *testing.T, prefix string) string {
	t.Helper()
	for i, l := range w.backlog {
		if strings.HasPrefix(l, prefix) {
			w.backlog = append(w.backlog[:i], w.backlog[i+1:]...)
			return l
		}
	}
	timeout := time.After(30 * time.Second)
	for {
		select {
		case l, ok := <-w.lines:
			if !ok {
				t.Fatalf("ecgstation exited before printing %q", prefix)
			}
			isView := strings.HasPrefix(l, "view ")
			if isView {
				w.last = l
			}
			if strings.HasPrefix(l, prefix) {
				return l
			}
			if !isView {
				w.backlog = append(w.backlog, l)
			}
		case <-timeout:
			t.Fatalf("no %q from ecgstation within 30 s", prefix)
		}
	}
}

// view returns the newest traced view; after a key, next waits for the
// view that key made.
func (w *window) view(t *testing.T, next bool) (int64, int64) {
	t.Helper()
	if next || w.last == "" {
		w.expect(t, "view ")
	}
	for len(w.lines) > 0 {
		if n := <-w.lines; strings.HasPrefix(n, "view ") {
			w.last = n
		} else {
			w.backlog = append(w.backlog, n) // a later expect may wait for it
		}
	}
	l := w.last
	f := strings.Fields(l)
	a, err1 := strconv.ParseInt(f[1], 10, 64)
	b, err2 := strconv.ParseInt(f[2], 10, 64)
	if err1 != nil || err2 != nil {
		t.Fatalf("bad view line %q", l)
	}
	return a, b
}

// viewChanged waits for a traced view other than [a, b): a key's effect,
// not a repaint of the old view that was still on its way.
func (w *window) viewChanged(t *testing.T, a, b int64) (int64, int64) {
	t.Helper()
	for {
		a1, b1 := w.view(t, true)
		if a1 != a || b1 != b {
			return a1, b1
		}
	}
}

func (w *window) windowID(t *testing.T) string {
	out, err := w.xdotool("search", "--sync", "--name", "ECG Station")
	if err != nil {
		t.Fatalf("xdotool search: %v", err)
	}
	return strings.Fields(out)[0]
}

func (w *window) key(t *testing.T, id, key string) {
	t.Helper()
	if _, err := w.xdotool("windowfocus", "--sync", id); err != nil {
		t.Fatalf("xdotool windowfocus: %v", err)
	}
	if _, err := w.xdotool("key", key); err != nil {
		t.Fatalf("xdotool key %s: %v", key, err)
	}
}

func (w *window) xdotool(args ...string) (string, error) {
	cmd := exec.Command("xdotool", args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+w.display)
	out, err := cmd.Output()
	return string(out), err
}

func screenshot(t *testing.T, display, path string) {
	cmd := exec.Command("import", "-window", "root", path)
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
}

// checkNotBlank fails unless a tenth of the screenshot differs from its
// most common colour and it has many colours (text, grid, trace).
func checkNotBlank(t *testing.T, path string) {
	img := loadPNG(t, path)
	counts := colourCounts(img)
	most := 0
	for _, n := range counts {
		most = max(most, n)
	}
	total := img.Bounds().Dx() * img.Bounds().Dy()
	if len(counts) < 50 || total-most < total/10 {
		t.Errorf("screenshot %s looks blank: %d colours, %d of %d pixels differ from the commonest", path, len(counts), total-most, total)
	}
}

// loadPNG decodes the PNG file at path.
func loadPNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func colourCounts(img image.Image) map[[3]uint32]int {
	counts := map[[3]uint32]int{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			counts[[3]uint32{r, g, bl}]++
		}
	}
	return counts
}
