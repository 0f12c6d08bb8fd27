package adapt

import (
	"reflect"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
)

func TestSummarySure(t *testing.T) {
	beats := []annotate.Beat{{Sample: 100}, {Sample: 400}, {Sample: 700}}
	tests := []struct {
		name string
		conf []float32
		want map[int64]float64
	}{
		{"not learned yet", nil, nil},
		{"an opinion on some beats", []float32{0.5, 0, 0.75}, map[int64]float64{100: 0.5, 700: 0.75}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Summary{Input: Input{Beats: beats}, Result: Result{Confidence: tt.conf}}
			if got := s.Sure(); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Sure() = %v, want %v", got, tt.want)
			}
		})
	}
}
