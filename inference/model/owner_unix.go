//go:build unix

package model

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// untrusted says why the library at path must not be loaded from a
// searched folder ("" when it may): the file or its folder belongs to
// another user than root or this one, or anyone may write it, so someone
// else could have put it there.
func untrusted(path string) string {
	for _, p := range []string{path, filepath.Dir(path)} {
		fi, err := os.Stat(p)
		if err != nil {
			return err.Error()
		}
		if st, ok := fi.Sys().(*syscall.Stat_t); ok && st.Uid != 0 && int(st.Uid) != os.Getuid() {
			return fmt.Sprintf("%s belongs to user %d, neither you nor root", p, st.Uid)
		}
		if fi.Mode().Perm()&0o002 != 0 {
			return fmt.Sprintf("anyone may write %s", p)
		}
	}
	return ""
}
