package ui

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestNoStoreImports keeps package ui off package store (ARCHITECTURE.md:
// app hands ui what it needs): no non-test file imports a store package
// but the chart drawing, which pulls no database or record format in.
func TestNoStoreImports(t *testing.T) {
	const store = "github.com/ecgstation/ecgstation/store"
	allowed := map[string]bool{store + "/report/chart": true}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		ast, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, im := range ast.Imports {
			p, _ := strconv.Unquote(im.Path.Value)
			if (p == store || strings.HasPrefix(p, store+"/")) && !allowed[p] {
				t.Errorf("%s imports %s: hand ui the data (annotate) and a callback from app instead", f, p)
			}
		}
	}
}
