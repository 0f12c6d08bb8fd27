package ui

// SetTwelveLead switches the strip's 12-lead layout on or off (from the
// preferences); the status line says which layout shows.
func (r *RecordScreen) SetTwelveLead(on bool) {
	if on == r.Strip.TwelveLead() {
		return
	}
	r.Strip.SetTwelveLead(on)
	r.status.SetText(r.statusText(r.Strip.View()))
	r.noteLayout()
}

// ToggleTwelveLead switches the 12-lead layout on or off (key t, View
// menu) and tells OnTwelveLead, which keeps the choice in the preferences.
// A record whose shown leads are not the standard twelve stays stacked
// either way.
func (r *RecordScreen) ToggleTwelveLead() {
	on := !r.Strip.TwelveLead()
	r.SetTwelveLead(on)
	if r.OnTwelveLead != nil {
		r.OnTwelveLead(on)
	}
}

// noteLayout tells OnLayout what the status line says of the strip's
// layout, when that changed.
func (r *RecordScreen) noteLayout() {
	if t := r.Strip.LayoutChoice().Text; t != r.layout {
		r.layout = t
		if r.OnLayout != nil {
			r.OnLayout(t)
		}
	}
}
