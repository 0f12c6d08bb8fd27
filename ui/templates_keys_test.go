package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGuideListsEveryKey checks that the reader's guide lists every key of
// the record window and of the template window, so the guide and the keys
// cannot drift apart.
func TestGuideListsEveryKey(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "docs", "guide.md"))
	if err != nil {
		t.Fatal(err)
	}
	guide := string(b)
	for _, s := range append(Shortcuts(), TemplateShortcuts()...) {
		if row := "| `" + s.Keys + "` |"; !strings.Contains(guide, row) {
			t.Errorf("docs/guide.md has no row for %q (%s: %s)", s.Keys, s.Group, s.Help)
		}
	}
}
