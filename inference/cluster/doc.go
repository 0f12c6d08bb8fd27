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
// morphology part whatever the model's scale; W_rr (default 1) makes a beat
// 30% early as far from an on-time one as a clear change of shape.
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
// The defaults (Threshold 0.3, MergeBelow 0.12, W_rr 1) were chosen with the
// reader simulator (annotate/sim, "ecgstation bench-effort") on the DS1
// records only; from 0.25 to 0.45 and W_rr from 1 to 3 the effort changed by
// less than 10%. Morphology and Combine add raw-waveform shape features
// beside the embedding; on DS1 they did not lower the effort, so the
// embedding alone is the default.
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
