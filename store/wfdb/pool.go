package wfdb

import "sync"

// Scratch buffers for reads, reused across calls (and goroutines) so that
// reading a strip allocates nothing in the steady state.
var (
	bytePool = sync.Pool{New: func() any { return new([]byte) }}
	intPool  = sync.Pool{New: func() any { return new([]int32) }}
)

func getBytes(n int) *[]byte {
	p := bytePool.Get().(*[]byte)
	if cap(*p) < n {
		*p = make([]byte, n)
	}
	*p = (*p)[:n]
	return p
}

func putBytes(p *[]byte) { bytePool.Put(p) }

func getInts(n int) *[]int32 {
	p := intPool.Get().(*[]int32)
	if cap(*p) < n {
		*p = make([]int32, n)
	}
	*p = (*p)[:n]
	return p
}

func putInts(p *[]int32) { intPool.Put(p) }
