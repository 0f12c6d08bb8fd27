// Package locale gives Fyne a locale it can parse when the system's is
// the C or POSIX locale with an encoding, such as C.UTF-8, the default of
// Debian and of most containers.
//
// Fyne's lang package reads the locale in its init function, through
// github.com/jeandeaual/go-locale: the first non-empty of LC_ALL,
// LC_MESSAGES and LANG; when that is exactly "C" or "POSIX" it uses no
// locale (and English), otherwise $LANGUAGE when set, otherwise that value.
// "C.UTF-8" is neither, so it reaches golang.org/x/text's parser as "C",
// which fails, and Fyne logs "Error parsing user locale C" in every command.
//
// This package's init sets LANGUAGE=en in that case, before Fyne's lang
// package initialises: Go initialises, among the packages whose imports are
// done, the one with the smallest import path first, so this package (which
// imports only the standard library) runs before any golang.org/x/text
// package, which Fyne's lang package needs. LC_* and LANG are left as they
// are; LANGUAGE only names the language of messages, which the C locale
// ignores.
package locale

import (
	"os"
	"strings"
)

// Fallback is the language set in LANGUAGE when the locale is C or POSIX.
const Fallback = "en"

func init() { Fix(os.Getenv, os.Setenv) }

// Fix sets LANGUAGE to Fallback, through set, when the locale that
// go-locale would read (through get) is C or POSIX with an encoding or a
// modifier and LANGUAGE is unset. It reports whether it did.
func Fix(get func(string) string, set func(string, string) error) bool {
	if get("LANGUAGE") != "" || !IsC(effective(get)) {
		return false
	}
	return set("LANGUAGE", Fallback) == nil
}

// effective returns the first non-empty of LC_ALL, LC_MESSAGES and LANG.
func effective(get func(string) string) string {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := get(k); v != "" {
			return v
		}
	}
	return ""
}

// IsC reports whether v names the C or POSIX locale with something after
// it ("C.UTF-8", "C.utf8", "POSIX@x"); plain "C" and "POSIX" need nothing.
func IsC(v string) bool {
	lang, _, found := strings.Cut(strings.NewReplacer("@", ".", "_", ".").Replace(v), ".")
	return found && (lang == "C" || lang == "POSIX")
}
