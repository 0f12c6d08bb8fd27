// Package pipeline pre-annotates a record in the background: it detects
// the beats (inference/qrs), finds unreadable stretches (inference/quality),
// classifies the beats with a beat model (inference/model), finds rhythm
// episodes (inference/rhythm, with a rhythm model when there is one) and hands
// out each beat's embedding, streaming the labels in chunks while the reader
// works.
//
//	p, err := pipeline.New(pipeline.Config{Signal: sig, Beat: beatModel, Rhythm: rhythmModel,
//		OnChunk: func(c pipeline.Chunk) { // reader labels win; a chunk replaces its region
//			session.MergeModelRegion(c.Output, c.Region())
//		},
//		OnProgress: func(pr pipeline.Progress) { show(pr.Fraction, pr.BeatsPerSec, pr.ETA) },
//		Beats:      session})
//	go p.Run(ctx)                  // cancel ctx to stop
//	p.SetFocus(sample)             // the chunk the reader looks at goes next
//	c, err := p.Reclassify(ctx, []int64{inserted}) // after an edit: that beat and its neighbours
//
// # Chunks
//
// The record is cut into chunks of Config.Chunk (5 minutes). Workers (one per
// core but one, leaving a core for the UI) take the chunk nearest the focus
// first: the focus chunk, then alternately the next one after and before it.
// A worker reads its chunk once, with Margin (15 s) of signal on each side,
// and runs on it:
//
//	detect    a fresh QRS detector over the chunk and its margins; the beats
//	          inside the chunk are kept, the margins settle the detector
//	          and give the boundary beats their RR context
//	quality   the unreadable stretches of the chunk, by inference/quality's
//	          rules; beats in them are flagged, never removed
//	classify  the beat model on the chunk's beats, in one batch; without a
//	          beat model the beats keep the detector's label (N)
//	embed     each beat's embedding (the beat model's second output)
//	noise     with Config.Quality, a quality model: runs of at least
//	          QualityRun beats it calls noise and the beat model does not
//	          call V or F (judged with the margins' beats) are noise
//	          stretches on the lead it reads; beats in them are flagged
//
// and hands the chunk over (Config.OnChunk, called from the goroutine that
// runs Run, one chunk at a time). When every chunk is done, the rhythm stage
// runs over all the beats of the run (episodes need beats on both sides of
// a chunk boundary): first the SVT run rule (inference/svtrun) turns the N
// beats of abrupt, regular runs far above the patient's rate into S, then
// the rhythm model runs on overlapping segments of beats (a few thousand at
// a time; for a model that also reads each beat's waveform, cut from
// Config.Signal, about a hundred), then the rules
// and post-processing of package rhythm; its episodes come as one last
// chunk, with the beats the rule relabelled (annotate.KindRelabel). Noise
// stretches that cross a chunk boundary come as two adjacent stretches.
//
// # Streaming
//
// By default a run also keeps every chunk and returns them joined as the
// Result (beats with their class probabilities and embeddings: about 2 MB
// an hour of record). With Config.Stream the beat chunks come to OnChunk
// in sample order instead (a chunk that finishes early waits for those
// before it) and are not kept: the caller writes them out (the annotate
// command into a store.ModelWriter), and the run keeps only Result.Marks,
// the beats without their probabilities (64 bytes a beat, 6.4 MB a day),
// which the rhythm stage and a WFDB annotation file need. The rhythm
// model runs on a few thousand segments at a time either way.
//
// Stage times in Timing are summed over the workers (worker time), so with
// two workers they add up to about twice the wall time.
package pipeline
