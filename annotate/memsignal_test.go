package annotate

import (
	"errors"
	"slices"
	"testing"
)

func TestMemSignalRead(t *testing.T) {
	m := &MemSignal{Samples: [][]int32{{1, 2, 3, 4}, {5, 6, 7, 8}}}
	cases := []struct {
		name  string
		start int64
		size  int
		want  []int32 // lead 1
		err   error
	}{
		{"middle", 1, 2, []int32{6, 7}, nil},
		{"short at the end", 3, 3, []int32{8}, nil},
		{"at the end", 4, 2, []int32{}, nil},
		{"past the end", 5, 1, nil, ErrOutOfRange},
		{"negative", -1, 1, nil, ErrOutOfRange},
	}
	for _, c := range cases {
		dst := [][]int32{make([]int32, c.size), make([]int32, c.size)}
		n, err := m.Read(dst, c.start)
		if !errors.Is(err, c.err) || (err == nil && !slices.Equal(dst[1][:n], c.want)) {
			t.Errorf("%s: Read = %v %v, want %v %v", c.name, dst[1][:n], err, c.want, c.err)
		}
	}
	if _, err := (&MemSignal{}).Read([][]int32{}, 0); !errors.Is(err, ErrOutOfRange) {
		t.Errorf("empty signal: %v, want ErrOutOfRange", err)
	}
}
