package wfdb

import "sync"

// checkpointFrames is the spacing of the running-value checkpoints kept for
// format 8 files: a random read decodes at most this many extra frames.
const checkpointFrames = 1 << 14

// diffIndex holds, for a format-8 file, the running value of each of its
// signals at the start of every checkpointFrames-th frame. Format 8 stores
// first differences, so the value at frame t is the initial value plus all
// differences before and at t; the index is built lazily, as far as the
// furthest frame read so far, so opening a long record costs nothing.
type diffIndex struct {
	mu  sync.Mutex
	cps [][]int32 // cps[c]: values before frame c*checkpointFrames
}

// stateAt returns the running values just before frame lo.
func (d *diffIndex) stateAt(sf *sigFile, lo int64) ([]int32, error) {
	c := int(lo / checkpointFrames)
	base, err := d.checkpoint(sf, c)
	if err != nil {
		return nil, err
	}
	state := append([]int32(nil), base...)
	from := int64(c) * checkpointFrames
	if lo > from {
		buf := make([]int32, (lo-from)*int64(sf.frameSize))
		if err := sf.readSamples(buf, from*int64(sf.frameSize)); err != nil {
			return nil, err
		}
		sf.accumulate(buf, state)
	}
	return state, nil
}

// checkpoint returns checkpoint c, building the missing ones before it.
func (d *diffIndex) checkpoint(sf *sigFile, c int) ([]int32, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.cps) == 0 {
		d.cps = append(d.cps, append([]int32(nil), sf.init...))
	}
	if len(d.cps) > c {
		return d.cps[c], nil
	}
	buf := make([]int32, checkpointFrames*sf.frameSize)
	for len(d.cps) <= c {
		state := append([]int32(nil), d.cps[len(d.cps)-1]...)
		from := int64(len(d.cps)-1) * checkpointFrames
		if err := sf.readSamples(buf, from*int64(sf.frameSize)); err != nil {
			return nil, err
		}
		sf.accumulate(buf, state)
		d.cps = append(d.cps, state)
	}
	return d.cps[c], nil
}
