package adapt

// Sure returns, per beat sample, the adapter's probability of the class
// the beat has after the run s sums up (Result.Confidence: the class it
// gave, or the one its MinConfidence gate kept), for the beats it
// has an opinion on: not reader labels, nor beats whose population class
// it kept. The adaptive review queue (review.AskInput.Sure) reads it, in
// the window and in the reader simulator alike. Nil before the adapter has
// learned.
func (s Summary) Sure() map[int64]float64 {
	if s.Result.Confidence == nil {
		return nil
	}
	out := make(map[int64]float64, len(s.Result.Confidence))
	for i, c := range s.Result.Confidence {
		if c > 0 {
			out[s.Input.Beats[i].Sample] = float64(c)
		}
	}
	return out
}
