package locale

import "testing"

func TestFix(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		want bool // LANGUAGE set to Fallback
	}{
		{"C.UTF-8 in LANG", map[string]string{"LANG": "C.UTF-8"}, true},
		{"C.utf8 in LC_ALL", map[string]string{"LC_ALL": "C.utf8", "LANG": "en_GB.UTF-8"}, true},
		{"POSIX with a modifier", map[string]string{"LC_MESSAGES": "POSIX@x"}, true},
		{"plain C is parsed as no locale", map[string]string{"LANG": "C"}, false},
		{"plain POSIX", map[string]string{"LANG": "POSIX"}, false},
		{"a real locale", map[string]string{"LANG": "en_US.UTF-8"}, false},
		{"LC_ALL wins over a C LANG", map[string]string{"LC_ALL": "de_DE.UTF-8", "LANG": "C.UTF-8"}, false},
		{"LANGUAGE already set", map[string]string{"LANG": "C.UTF-8", "LANGUAGE": "fr"}, false},
		{"nothing set", map[string]string{}, false},
		{"Catalan is not C", map[string]string{"LANG": "ca_ES.UTF-8"}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := map[string]string{}
			for k, v := range c.env {
				env[k] = v
			}
			set := func(k, v string) error { env[k] = v; return nil }
			got := Fix(func(k string) string { return env[k] }, set)
			if got != c.want || (c.want && env["LANGUAGE"] != Fallback) || (!c.want && env["LANGUAGE"] != c.env["LANGUAGE"]) {
				t.Errorf("Fix = %v, LANGUAGE %q", got, env["LANGUAGE"])
			}
		})
	}
}
