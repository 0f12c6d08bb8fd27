//go:build !unix

package model

// untrusted has nothing to check where files have no Unix owner: the
// library is trusted as found.
func untrusted(string) string { return "" }
