// Package assets holds the files ECG Station embeds in its binary, such as
// the app icon. It imports nothing but the standard library, so any
// package may use it.
package assets

import _ "embed"

// IconPNG is the app icon, a 256 x 256 PNG rendered from the hand-written
// icon.svg by icon_gen.go ("go run icon_gen.go" in this folder).
//
//go:embed icon.png
var IconPNG []byte
