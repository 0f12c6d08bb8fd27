// Package ui is ECG Station's Fyne user interface: the ECG strip widget
// that draws a long recording on ECG paper, the overview bar of the whole
// record, the record screen that puts them together, and the theme with the
// strip's colours.
//
// The package never opens files itself: package app hands it an
// annotate.Signal (read lazily) and the beats to show. Pixels are drawn by
// package ui/trace, which needs no GUI and is benchmarked on its own; the
// widgets here add the canvas objects (labels, ruler, lead names, the
// visible-window marker), the keyboard and mouse handling and the
// background build of the min/max pyramid, which hands its progress back to
// the UI goroutine through fyne.Do.
//
// Keyboard on a focused strip:
//
//	Left, Right        scroll a tenth of the visible span
//	Page Up, Page Down scroll nine tenths of the visible span
//	Home, End          go to the start or the end of the record
//	+, -               zoom in or out (paper speed doubles or halves)
//
// Mouse: the wheel scrolls, Ctrl+wheel zooms about the pointer, dragging
// pans, and clicking the overview bar jumps there.
package ui
