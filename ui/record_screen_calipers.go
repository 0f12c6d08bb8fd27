package ui

// caliperGroup is the help's heading of the caliper keys.
const caliperGroup = "Calipers (display only, never an edit)"

// caliperBindings are the caliper's rows of the shortcut table. The keys
// that act only while a caliper shows (the arrows, Esc) are handled by the
// strip before the table (Strip.caliperKey), so their rows only document.
func caliperBindings() []binding {
	const g = caliperGroup
	return []binding{
		{g, "k", "caliper: on, both legs at the cursor / off; while it shows, a drag measures", runes("k"),
			func(r *RecordScreen, t trigger) { r.toggleCaliper() }},
		{g, "← → with a caliper", "move its second leg 1 mm of paper; with Shift, one sample", nil, nil},
		{g, "↑ ↓ with a caliper", "read the amplitude on the lead above / below", nil, nil},
		{g, "K", "march-out: repeat the caliper's interval across the strip", runes("K"),
			func(r *RecordScreen, t trigger) { r.toggleMarchOut() }},
		{g, "Esc with a caliper", "remove the caliper", nil, nil},
	}
}

// toggleCaliper puts a caliper on the strip at the cursor, or removes it.
func (r *RecordScreen) toggleCaliper() {
	if r.mode != modeStrip {
		r.status.SetText("Calipers measure on the strip: F2 or d goes back to it.")
		return
	}
	if r.removeCaliper() {
		return
	}
	r.Strip.ToggleCaliper()
	if _, on := r.Strip.Caliper(); on {
		r.status.SetText("Caliper at the cursor: ← → move its second leg (Shift: one sample), " +
			"↑ ↓ the lead, drag to measure elsewhere, K marches it out, Esc removes it.")
	}
}

// removeCaliper removes the caliper shown on the strip and puts the status
// line back; it reports whether there was one.
func (r *RecordScreen) removeCaliper() bool {
	if _, on := r.Strip.Caliper(); !on || r.mode != modeStrip {
		return false
	}
	r.Strip.ClearCaliper()
	r.status.SetText(r.statusText(r.Strip.View()))
	return true
}

// toggleMarchOut repeats the caliper's interval across the strip, or stops.
func (r *RecordScreen) toggleMarchOut() {
	if _, on := r.Strip.Caliper(); !on || r.mode != modeStrip {
		r.status.SetText("March-out repeats a caliper's interval: place a caliper on the strip first (k).")
		return
	}
	r.Strip.ToggleMarchOut()
}
