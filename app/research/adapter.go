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
	a.sure = sureOf(sum)
	return nil
}

// Sure returns the adapter's probability of the beat's class after the
// last Adapt.
func (a *sessionAdapter) Sure(sample int64) (float64, bool) {
	p, ok := a.sure[sample]
	return p, ok
}

// sureOf maps each beat the adapter gave a class to its probability
// (adapt.Result.Confidence; 0 means no opinion).
func sureOf(sum adapt.Summary) map[int64]float64 {
	out := map[int64]float64{}
	for i, c := range sum.Result.Confidence {
		if c > 0 {
			out[sum.Input.Beats[i].Sample] = float64(c)
		}
	}
	return out
}
