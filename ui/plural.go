package ui

import (
	"fmt"
	"strings"
)

// Count says n of a noun in English: "1 beat", "0 beats", "2 clusters",
// "3 noise stretches" (noun is the singular, a regular one).
func Count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	for _, end := range []string{"s", "sh", "ch", "x"} {
		if strings.HasSuffix(noun, end) {
			return fmt.Sprintf("%d %ses", n, noun)
		}
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// phrase says n with a singular or plural phrase after it: phrase(1,
// "beat has", "beats have") is "1 beat has", phrase(3, ...) "3 beats have".
func phrase(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
