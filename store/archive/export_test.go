package archive

import "time"

// SetAgreeSpan sets how much of a record agreement pairs at a time, for
// tests of the cut, and returns a function that restores it.
func SetAgreeSpan(d time.Duration) (restore func()) {
	old := agreeSpan
	agreeSpan = d
	return func() { agreeSpan = old }
}
