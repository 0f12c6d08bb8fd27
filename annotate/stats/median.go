package stats

import "slices"

// Number is a type Median accepts.
type Number interface {
	~int | ~int32 | ~int64 | ~float32 | ~float64
}

// Median returns the median of x: the middle value of x sorted, or the
// mean of the two middle values for an even count; 0 for an empty x. x is
// left unchanged (Median sorts a copy).
func Median[T Number](x []T) T {
	n := len(x)
	if n == 0 {
		return 0
	}
	s := slices.Clone(x)
	slices.Sort(s)
	if n%2 == 1 {
		return s[n/2]
	}
	a, b := s[n/2-1], s[n/2]
	if T(1)/2 == 0 { // an integer type: no overflow near its limits
		return a + (b-a)/2
	}
	return (a + b) / 2
}

// UpperMedianInPlace returns the upper median of xs: xs[len(xs)/2] of xs
// sorted (the upper of the two middle values for an even count), for hot
// paths that cannot allocate or sort (a frame, a track drawn per column).
// It reorders xs: Hoare's selection, linear on average. xs must not be
// empty.
func UpperMedianInPlace(xs []float64) float64 {
	k := len(xs) / 2
	lo, hi := 0, len(xs)-1
	for lo < hi {
		pivot := xs[(lo+hi)/2]
		i, j := lo, hi
		for i <= j {
			for xs[i] < pivot {
				i++
			}
			for xs[j] > pivot {
				j--
			}
			if i <= j {
				xs[i], xs[j] = xs[j], xs[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return xs[k]
		}
	}
	return xs[k]
}
