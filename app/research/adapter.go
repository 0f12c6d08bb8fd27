package research

import (
	"context"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/sim"
	"github.com/ecgstation/ecgstation/inference/adapt"
)

// sessionAdapter is the simulated reader's adapter: the window's own step
// (adapt.Features.Run) on the reader's session, remembering the adapter's
// confidence for the adaptive queue.
type sessionAdapter struct {
	f    *adapt.Features
	opt  adapt.Options
	sure map[int64]float64
}

var _ sim.Adapter = (*sessionAdapter)(nil)

// Adapt runs the adapter step on s.
func (a *sessionAdapter) Adapt(s *annotate.Session) error {
	sum, err := a.f.Run(context.Background(), s, a.opt)
	if err != nil {
		return err
	}
	a.sure = sum.Sure()
	return nil
}

// Sure returns the adapter's probability of the beat's class after the
// last Adapt.
func (a *sessionAdapter) Sure(sample int64) (float64, bool) {
	p, ok := a.sure[sample]
	return p, ok
}
