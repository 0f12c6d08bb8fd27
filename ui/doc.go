// Package ui is ECG Station's Fyne user interface: the record screen, the
// library, the preferences, the template gallery and review queue, the
// model-error browser and the plots, and the theme with the strip's
// colours. The record screen, where a reader reviews and corrects one
// recording from the keyboard, is made of:
//
//   - the ECG strip (Strip): every lead on ECG paper at 25 or 50 mm/s and 5,
//     10 or 20 mm/mV, a marker and a label on every beat (colour: AAMI
//     class; style: provenance — an unreviewed model label italic and
//     faded, a reader's bold, a confirmed one with a check mark, an
//     adapted one italic in full colour with a diamond), the RR
//     intervals in ms at reading zoom, noise stretches shaded and hatched,
//     the selection and the cursor;
//   - the full disclosure (Disclosure): 30, 60 or 120 s a line, 15, 30,
//     60 lines a page or as many as fit, non-N labels written;
//   - the overview (Overview): the whole record as tracks — ECG envelope,
//     ectopy, heart-rate trend, one track per rhythm, noise, uncertain
//     model labels, what a reader has reviewed — clickable to jump;
//   - the episode track (EpisodeTrack): drag an onset or offset, relabel,
//     add or delete an episode;
//   - the background-job bar (progress, beats/s, time left, cancel).
//
// The keys are one table (see Shortcuts): the handlers
// and the help overlay (F1 or ?) both read it. In short: arrows select
// beats (Shift: a range), n s v f q relabel, ; then any MIT symbol, i
// inserts a beat on the nearest R peak, Delete deletes, m moves, Enter
// and c confirm, ~ marks noise, r sets a rhythm episode, u l e and
// Alt+class jump, Ctrl+Z and Ctrl+Shift+Z undo and redo, F2 switches to
// the full disclosure.
//
// Labels: the screen draws from and edits through an annotate.LabelView
// (Labels) that follows an annotate.Editor (an *annotate.Session, which
// stores each command in the label database before it returns). An edit
// shows at once as a preview marked "…", built by the command's own code
// in annotate, and runs on the view's edit queue in order off the UI
// goroutine, so a key never waits for a model merge; when the editor has
// stored it, the view shows what was stored as done (a refused edit is
// taken back and the reader told why). The view's watcher reads the
// editor's labels off the UI goroutine whenever their revision moves
// (model merges, other screens) and hands them over whole. The screen
// itself only draws and handles input.
//
// The package never opens files itself: package app hands it an
// annotate.Signal (read lazily) and the editor. Pixels are drawn by
// package ui/trace, which needs no GUI and is benchmarked on its own;
// background work hands its results to the UI goroutine through fyne.Do.
package ui
