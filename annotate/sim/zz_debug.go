package sim

import (
	"fmt"
	"os"

	"github.com/ecgstation/ecgstation/annotate/review"
)

func (r *reader) debugLeft() {
	if os.Getenv("SIMDEBUG") == "" {
		return
	}
	bs, ms := r.pending()
	where := map[int64][2]int{}
	for ti, t := range r.rec.Templates {
		for j, s := range t.Beats {
			where[s] = [2]int{ti, j}
		}
	}
	items := review.Queue(r.queueInput(), r.c.Queue)
	rank := map[int64]int{}
	for i, it := range items {
		rank[it.Sample] = i + 1
	}
	for _, b := range bs {
		if os.Getenv("SIMDEBUG") != "2" {
			break
		}
		w := where[b.Sample]
		fmt.Fprintf(os.Stderr, "%s left %d: label %s truth %s prov %s/%s card %d (n=%d) rank %d qrank %d\n", r.rec.Name, b.Sample, b.Code.Class(), r.truth[b.Sample], b.Prov.Source, b.Review, w[0], len(r.rec.Templates[w[0]].Beats), w[1], rank[b.Sample])
	}
	fmt.Fprintf(os.Stderr, "%s missed %d, queue %d\n", r.rec.Name, len(ms), len(items))
	str := ""
	for i, it := range items {
		if i >= 60 {
			break
		}
		b, ok := r.s.Beat(it.Sample)
		switch {
		case it.Kind == review.ItemGap:
			str += "g"
		case ok && r.wrong(b):
			str += "X"
		default:
			str += "."
		}
	}
	fmt.Fprintf(os.Stderr, "%s queue: %s wrong-left %d\n", r.rec.Name, str, len(bs))
}
