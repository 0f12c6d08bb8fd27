// Package trace turns a long ECG signal into pixels fast, without a GUI
// toolkit, so it can be tested and benchmarked headless.
//
// It has two parts.
//
// A Pyramid holds, for every lead, the minimum and maximum of the samples
// in buckets of 2^k samples, for k = K0, K0+1, ... up to one bucket for the
// whole record. Level K0 is the finest level kept: it is chosen so that the
// pyramid stays far smaller than the record (at most 1/16 of the record's
// int16 size and at most 32 MiB), for example
//
//	record                       K0   bucket   pyramid
//	30 min, 2 leads, 360 Hz       7    128      79 KiB
//	24 h,   2 leads, 250 Hz       7    128     2.6 MiB
//	7 days, 2 leads, 250 Hz       7    128      18 MiB
//	14 days, 2 leads, 250 Hz      8    256      18 MiB
//
// Each bucket costs two int16 values (min and max; samples wider than 16
// bits are shifted right first, see Pyramid). The pyramid is built in the
// background from Signal.Read in chunks; Done says how far it has got, and
// readers only use buckets that are complete.
//
// A Frame draws a window of the record into an image.RGBA: the ECG paper
// grid (1 mm = 40 ms and 0.1 mV at 25 mm/s and 10 mm/mV, 5 mm major lines,
// thinned to coarser time lines when zoomed out) and one trace per cell,
// column by column. The cells are the leads stacked in lanes, or the
// 12-lead layout (ChooseLayout, LayoutCells): three rows of four leads,
// column k showing the k-th quarter of the window, over a rhythm strip;
// a cell reads and draws only its own columns. With more samples than pixel columns, the column
// envelope comes from the pyramid level whose buckets are the largest that
// still fit in one column, so a redraw touches at most a few buckets per
// column whatever the span (10 s or 24 h); below K0 samples per column the
// samples are read from the Signal directly. Zoomed in further than one
// sample per column, the trace is the straight line between samples. Every
// column is drawn as a vertical span with anti-aliased ends, which joins the
// neighbouring columns, so the trace is continuous at every zoom.
package trace
