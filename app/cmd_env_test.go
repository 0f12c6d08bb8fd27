package main

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestNoDisplay runs the window commands without a usable display: they
// stop before Fyne starts, with a plain message and exit status 1, never a
// panic and a goroutine dump.
func TestNoDisplay(t *testing.T) {
	if checkDisplay(func(string) string { return "" }) == nil {
		t.Skip("this system needs no X display")
	}
	cases := []struct{ name, display, says string }{
		{"DISPLAY unset", "", "DISPLAY is not set"},
		{"nobody at the display", ":9876", "no X server answers at /tmp/.X11-unix/X9876"},
		{"not a display name", "nonsense", "not of the form [host]:N"},
	}
	for _, c := range cases {
		for _, args := range [][]string{{}, {"open", "--db", t.TempDir() + "/l.db"}} {
			t.Run(c.name+" "+strings.Join(args, " "), func(t *testing.T) {
				t.Setenv("DISPLAY", c.display)
				var out, errs bytes.Buffer
				code := run(args, &out, &errs)
				msg := errs.String()
				if code != 1 || !strings.Contains(msg, "no display: set DISPLAY to a running X server, or use a headless command") ||
					!strings.Contains(msg, c.says) || strings.Contains(msg, "goroutine") {
					t.Errorf("exit %d: %s", code, msg)
				}
			})
		}
	}
}

func TestXAddrs(t *testing.T) {
	cases := []struct{ display, network, addrs string }{
		{":0", "unix", "/tmp/.X11-unix/X0"},
		{"unix:87.0", "unix", "/tmp/.X11-unix/X87"},
		{"localhost:10.0", "tcp", "localhost:6010"},
		{"[::1]:2", "tcp", "[::1]:6002"},
	}
	for _, c := range cases {
		n, a, err := xAddrs(c.display)
		if err != nil || n != c.network || a[0] != c.addrs {
			t.Errorf("xAddrs(%q) = %s %v %v, want %s %s", c.display, n, a, err, c.network, c.addrs)
		}
	}
	for _, bad := range []string{"", "0", ":x", ":-1"} {
		if _, _, err := xAddrs(bad); err == nil {
			t.Errorf("xAddrs(%q) accepted", bad)
		}
	}
}

// envLocaleHelper makes this test binary run "ecgstation help" and exit:
// TestLocaleMessage starts it afresh so that Fyne's lang package reads the
// locale at start-up, as in the real program.
const envLocaleHelper = "ECGSTATION_LOCALE_HELPER"

func TestLocaleHelper(t *testing.T) {
	if os.Getenv(envLocaleHelper) != "1" {
		t.Skip("helper process only")
	}
	os.Exit(run([]string{"help"}, os.Stdout, os.Stderr))
}

// TestLocaleMessage starts the program under the locales of Debian and
// containers (C.UTF-8) and others: none prints Fyne's "Error parsing user
// locale".
func TestLocaleMessage(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Skip(err)
	}
	for _, c := range []struct{ name, env string }{
		{"LANG=C.UTF-8", "LANG=C.UTF-8"},
		{"LANG=C.utf8", "LANG=C.utf8"},
		{"LC_ALL=C.UTF-8", "LC_ALL=C.UTF-8"},
		{"LANG=C", "LANG=C"},
		{"LANG=POSIX", "LANG=POSIX"},
		{"LANG=en_US.UTF-8", "LANG=en_US.UTF-8"},
		{"no locale", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			cmd := exec.Command(exe, "-test.run=^TestLocaleHelper$")
			cmd.Env = []string{envLocaleHelper + "=1"}
			for _, kv := range os.Environ() {
				k, _, _ := strings.Cut(kv, "=")
				if k != "LANG" && k != "LANGUAGE" && !strings.HasPrefix(k, "LC_") {
					cmd.Env = append(cmd.Env, kv)
				}
			}
			if c.env != "" {
				cmd.Env = append(cmd.Env, c.env)
			}
			var out, errs bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &errs
			if err := cmd.Run(); err != nil {
				t.Fatalf("%v: %s", err, errs.String())
			}
			if strings.Contains(errs.String(), "locale") || !strings.Contains(out.String(), "usage: ecgstation") {
				t.Errorf("stderr:\n%s\nstdout:\n%.200s", errs.String(), out.String())
			}
		})
	}
}
