package ui

// TemplateShortcuts lists the keys of the template screen, its member grid
// and the review queue, as the reader's guide (docs/guide.md) shows them;
// a test checks the guide lists every one.
func TemplateShortcuts() []Shortcut {
	const gal, mem, que = "Template gallery", "Members of a cluster", "Review queue"
	return []Shortcut{
		{gal, "← → ↑ ↓ Home End", "select a cluster"},
		{gal, "N S V F Q", "relabel every beat of the selected cluster (one undoable edit)"},
		{gal, "Space", "mark or unmark the selected cluster (for a merge or a move)"},
		{gal, "M", "merge the marked clusters into the selected one"},
		{gal, "K", "split the selected cluster in two"},
		{gal, "P", "split the selected cluster by prematurity: its premature beats (an S of normal shape) apart from the on-time ones"},
		{gal, "Enter", "go to the cluster's members (least like the cluster first)"},
		{gal, "J", "show the cluster's least typical beat on the strip"},
		{mem, "Space", "mark a member and go to the next"},
		{mem, "N S V F Q", "relabel the marked members (or the selected one); look-alikes follow"},
		{mem, "T", "move the marked members to a new cluster"},
		{mem, "G", "move the marked members to the first cluster marked in the gallery"},
		{mem, "Enter", "show the member on the strip"},
		{mem, "Esc", "back to the gallery"},
		{que, "Enter or C", "confirm the beat and go to the next"},
		{que, "N S V F Q", "fix the beat's label and go to the next; the adapter learns it (with the adapter off, look-alikes follow)"},
		{que, "Delete", "not a beat: delete it and go to the next"},
		{que, "J", "show the item on the strip (a long-RR item: insert the missed beat there)"},
		{que, "← → ↑ ↓", "move through the queue"},
	}
}
