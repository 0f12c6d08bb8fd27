// Package sched runs background computing (the models' workers, template
// and overview builds) on operating-system threads of lower priority than
// the window's, so that on a busy laptop the strip keeps drawing at its
// frame rate while the models run: the kernel gives the drawing thread
// the CPU first and the background threads what is left, and a machine
// with spare cores loses no throughput.
//
// Only the calling goroutine's thread is lowered; goroutines it starts
// run where the Go scheduler puts them and call Background themselves.
// A goroutine that holds locks the window waits for (the label session's,
// the database's writes) stays at normal priority: lowered, it would make
// the window wait behind it whenever the machine is busy.
package sched

// Nice is how much Background lowers a thread's priority, in steps of
// niceness (0 is normal, 19 the lowest): 10 steps lower, a thread gets
// about a tenth of a core against a busy thread of the window's priority,
// and all of an idle one.
const Nice = 10

// Background locks the calling goroutine to its thread and lowers that
// thread's priority by Nice. Call it first thing in a goroutine started
// for background work, never on the main or the UI goroutine, and do not
// unlock the thread afterwards: when the goroutine ends while locked the
// Go runtime ends its thread, so a lowered thread never runs other work.
// It reports whether the priority was lowered (false where the system
// offers no per-thread priority, or refuses; the work runs anyway).
func Background() bool { return lower() }
