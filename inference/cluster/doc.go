// Package cluster groups a record's beats into morphology templates, so a
// reader can label hundreds of look-alike beats with one key.
//
// # Features
//
// Beat i is the point
//
//	f_i = ( e_i / |e_i| ,  W_rr · ln(p_i) )
//
// where e_i is the beat model's embedding (inference/model, the output with
// meaning "embedding") and p_i = RR_prev / RR_local its prematurity: the RR
// interval before the beat over the median of the 8 intervals before that
// (p = 1 on time, 0.7 a typical premature beat). The embedding is scaled to
// unit length, so distances d(f_i, f_j) (Euclidean) lie in [0, 2] for the
// morphology part whatever the model's scale; W_rr (default 1.5) puts a beat
// 40% early beyond the default Threshold from an on-time one of the same
// shape (1.5 · |ln 0.6| = 0.77), while beats a little early or late (sinus
// arrhythmia) stay with their shape; the template screen's P splits a card
// by prematurity when a reader wants the rest apart.
//
// # Clustering
//
// Beats are taken one by one in time order (leader clustering, or online
// k-means with a radius): a beat joins the cluster whose centre (the mean of
// its members) is nearest if that is within Threshold, else it starts a new
// cluster. After every MergeEvery beats, and at Finish:
//
//	merge   clusters whose centres are closer than MergeBelow become one
//	        (the older keeps its ID);
//	absorb  clusters of fewer than MinSize beats, older than MergeEvery
//	        beats (all of them at Finish), give each member to the nearest
//	        other cluster within AbsorbRadius.
//
// There is no randomness: the result depends on the beats and the options
// only. The checkpoints fall on beat counts, not on calls, so adding a record
// in chunks (as the pipeline streams it, in time order) gives exactly the
// clusters adding it at once gives. Cost: O(K·D) per beat, K clusters, D
// embedding dimensions.
//
// Callers join the raw-waveform shape of each beat to the embedding with
// Features (Options.Morph, default 1): the model's embedding alone puts the
// PVCs the model calls N among the normal beats, where no card relabel can
// reach them; the shape (Morphology: each lead's 250 ms around the R peak,
// averaged to 20 points, unit length) pulls them apart.
//
// The defaults (Morph 1, Threshold 0.7, MergeBelow 0.12, W_rr 1.5) were
// chosen with the reader simulator (annotate/sim, "ecgstation
// bench-effort") on the DS1 records only, each read with a beat model
// trained without its patients (`make effort-cv`: three folds of DS1, as
// the beat model's own). Mean strategy c actions per 1000 beats: the
// embedding alone 33.8 at Threshold 0.3 (the earlier default, chosen with
// the full DS1 model, which has seen every DS1 patient), 29.6 at 0.4, 30.1
// at 0.5, 45.6 at 0.2; with Morph 0.25, 0.5, 1 and 2 at 0.4: 27.3, 27.2,
// 27.5, 27.9; Morph 1 at 0.6, 0.7, 0.8 and 1.0: 25.0, 24.9, 24.6, 25.3;
// then at 0.7, W_rr 0.5, 1.5 and 2: 25.4, 23.9, 24.6 (2 at 0.6 and 0.8:
// 25.1, 24.8); MergeBelow 0.25 changed nothing. LookRadius 0.05 keeps
// propagation to near twins (0.1 and 0.15 cost the simulated reader 33.2
// and 50.6 actions per 1000 beats, 0.05 31.1, with Propagate on, which
// then also switched range picking off). With the reader that splits
// cards leaving 30 beats wrong and leaves the queue at its first clean item
// (c 20.7 at 0.7), Threshold 0.6, 0.75, 0.8, 0.85 and 0.9 gave 21.1, 20.3,
// 20.1, 20.9 and 20.6: no trend beyond the records' own noise, so 0.7 stays.
//
// # Reader operations
//
// Split (2-means from the two most distant members), Merge and Move change
// the clustering; clusters a reader touched are pinned and never merged or
// absorbed automatically again. Beats that arrive later join the nearest
// cluster as before. LookAlikes (the members of a beat's cluster within
// LookRadius of it) is what review.Propagate copies a correction to.
//
// # Templates
//
// Gallery turns each cluster into a review.Template: its members least like
// it first (distance to the centre, decreasing), superimposed snippets, the
// median beat, the mean RR and prematurity, and the label mix of the current
// labels.
package cluster
