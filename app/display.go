package main

import (
	"errors"
	"fmt"
	"net"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// errNoDisplay: the window cannot open because no X server answers. Fyne
// would otherwise panic with a goroutine dump.
var errNoDisplay = errors.New("no display: set DISPLAY to a running X server, or use a headless command (ecgstation help lists them)")

// checkDisplay returns errNoDisplay, with the reason, when the window could
// not open: on X11 systems (not Windows or macOS), when DISPLAY is empty or
// no X server answers at it. getenv reads the environment.
func checkDisplay(getenv func(string) string) error {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		return nil
	}
	d := getenv("DISPLAY")
	if d == "" {
		return fmt.Errorf("%w (DISPLAY is not set)", errNoDisplay)
	}
	network, addrs, err := xAddrs(d)
	if err != nil {
		return fmt.Errorf("%w (DISPLAY=%s: %v)", errNoDisplay, d, err)
	}
	for _, a := range addrs {
		if c, err := net.DialTimeout(network, a, 2*time.Second); err == nil {
			c.Close()
			return nil
		}
	}
	return fmt.Errorf("%w (DISPLAY=%s: no X server answers at %s)", errNoDisplay, d, strings.Join(addrs, " or "))
}

// xAddrs returns where the X server of display d ("[host]:N[.S]") listens:
// its Unix socket (and the Linux abstract one) for a local display, TCP
// port 6000+N on host otherwise.
func xAddrs(d string) (string, []string, error) {
	i := strings.LastIndex(d, ":")
	if i < 0 {
		return "", nil, errors.New("not of the form [host]:N")
	}
	num, _, _ := strings.Cut(d[i+1:], ".")
	n, err := strconv.Atoi(num)
	if err != nil || n < 0 {
		return "", nil, fmt.Errorf("display number %q", num)
	}
	switch h := d[:i]; h {
	case "", "unix":
		sock := "/tmp/.X11-unix/X" + num
		if runtime.GOOS == "linux" {
			return "unix", []string{sock, "@" + sock}, nil
		}
		return "unix", []string{sock}, nil
	default:
		return "tcp", []string{net.JoinHostPort(strings.TrimSuffix(strings.TrimPrefix(h, "["), "]"), strconv.Itoa(6000+n))}, nil
	}
}
