package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/app/modelsvc"
	"github.com/ecgstation/ecgstation/assets"
	"github.com/ecgstation/ecgstation/inference/model"
	"github.com/ecgstation/ecgstation/inference/pipeline"
	"github.com/ecgstation/ecgstation/inference/qrs"
	"github.com/ecgstation/ecgstation/inference/rhythm"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/store/private"
	"github.com/ecgstation/ecgstation/store/wfdb"
)

// annotateOpts are the flags of the annotate command.
type annotateOpts struct {
	beat, rhythm string // model files; "" means the default models
	quality      string // quality model file; "" means none (noise from the rules only)
	ext          string
	outDir       string                       // "" writes annotation files beside the records
	noFiles      bool                         // write no annotation files (batch: the labels go to the database alone)
	hashed       map[string]annotate.RecordID // content hashes already read, by record argument (batch: to skip those done)
	threads      int
	sharedFlags
}

func runAnnotate(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("annotate", stderr)
	var o annotateOpts
	fs.StringVar(&o.beat, "model", "", "beat model (ONNX file with the model contract); default: the built-in "+assets.BeatModelName)
	fs.StringVar(&o.rhythm, "rhythm-model", "", "rhythm model; default: the built-in "+assets.RhythmModelName)
	fs.StringVar(&o.quality, "quality-model", "", "quality model (task quality, e.g. make models-quality's): runs of beats it calls noise become noise stretches; default: none")
	fs.StringVar(&o.ext, "out-ext", "ann", "extension of the WFDB annotation files written beside each record")
	fs.StringVar(&o.outDir, "out-dir", "", "write the annotation files into this folder (created if missing) instead of beside the records, e.g. when the records are read-only")
	o.add(fs, withDB|withReader|withORTLib|withQuiet)
	fs.IntVar(&o.threads, "threads", runtime.NumCPU(), "cores to use (chunks processed at once)")
	recs, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := checkAnnotateArgs(recs, o); err != nil {
		return err
	}
	if o.outDir != "" {
		if err := private.MkdirAll(o.outDir); err != nil {
			return fmt.Errorf("annotate: --out-dir: %w", err)
		}
	}
	svc := modelsvc.New(o.modelConfig())
	defer svc.Close()
	ms, err := loadModels(svc, stderr)
	if err != nil {
		return err
	}
	if err := ms.loadQuality(svc, o.quality); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "models: %s\n", ms.describe(svc))
	var db *store.DB
	if o.db != "" {
		if db, err = store.OpenDB(o.db, store.DBOptions{}); err != nil {
			return err
		}
		defer db.Close()
	}
	meter := newProgress(stderr, recordSizes(recs), o.quiet)
	for i, r := range recs {
		meter.begin(i, filepath.Base(r))
		err := annotateRecord(r, o, ms, db, stdout, meter)
		meter.end()
		if err != nil {
			return err
		}
	}
	if ms.beat == nil {
		return errWithoutModels
	}
	return nil
}

// annotateUsage is the synopsis of "ecgstation annotate".
const annotateUsage = "ecgstation annotate RECORD... [--model F] [--rhythm-model F] [--quality-model F] [--out-ext EXT] [--out-dir DIR] [--db F [--reader NAME]] [--ort-lib PATH] [--threads N] [--quiet]"

// checkAnnotateArgs says which argument of annotate is wrong, then how to
// call it.
func checkAnnotateArgs(recs []string, o annotateOpts) error {
	why := ""
	switch {
	case len(recs) == 0:
		why = "no record given"
	case o.ext == "":
		why = "--out-ext is empty: give the extension of the annotation files, e.g. ann"
	case o.threads < 1:
		why = fmt.Sprintf("--threads %d: give the number of cores to use, 1 or more", o.threads)
	case o.reader != "" && o.db == "":
		why = "--reader needs --db: the reader's labels live in a label database"
	default:
		return nil
	}
	return fmt.Errorf("%s\n%w: %s", why, errUsage, annotateUsage)
}

// errWithoutModels ends an annotate run that labelled its records without
// the beat model: every record is done, but the beats are the detector's,
// unclassified (exit status exitWithoutModels).
var errWithoutModels = errors.New("done without models: the beats are the QRS detector's, unclassified " +
	"(stored as Q in the detector layer, not as N), and rhythm episodes come from the RR rules only; " +
	"exit status 3 says so to scripts")

// models are the models a run suggests labels with; nil ones are off.
type models struct {
	beat, rhythm, quality *model.Model
}

// loadQuality loads the quality model in path ("": none). It needs the
// models: without ONNX Runtime (no beat model) it is left off.
func (m *models) loadQuality(svc *modelsvc.Service, path string) error {
	if path == "" || m.beat == nil {
		return nil
	}
	q, err := svc.Load(path)
	if err != nil {
		return fmt.Errorf("--quality-model: %w", err)
	}
	if q.Meta().Task != model.TaskQuality {
		return fmt.Errorf("--quality-model %s: a %s model, not a quality model (ecgstation.task quality)", path, q.Meta().Task)
	}
	m.quality = q
	return nil
}

// loadModels loads the models from svc. Without ONNX Runtime it says so
// plainly on stderr and returns no models: detection and the rules still
// run. A model that does not load is an error.
func loadModels(svc *modelsvc.Service, stderr io.Writer) (*models, error) {
	beat, rhythm, off := svc.Suggesters()
	if errors.Is(off, model.ErrRuntimeUnavailable) {
		fmt.Fprintf(stderr, "ecgstation annotate: %v\n"+
			"Classification is off: beats are stored as the detector found them, unclassified (Q, not N), "+
			"and episodes come from the RR rules only.\n", off)
		return &models{}, nil
	}
	if off != nil {
		return nil, off
	}
	return &models{beat: beat, rhythm: rhythm}, nil
}

// modelConfig is the model service configuration the flags name.
func (o annotateOpts) modelConfig() modelsvc.Config {
	return modelsvc.Config{Library: o.ortLib, Threads: 1, Beat: o.beat, Rhythm: o.rhythm,
		BeatFrom: "--model", RhythmFrom: "--rhythm-model"}
}

// annotateRecord runs the pipeline on one record, writes its labels and
// prints the summary. Without --reader the run streams: each chunk's beats
// go to the label database as they come (a ModelWriter) and are dropped,
// so a 14-day record never sits whole in memory; only the beats without
// their probabilities (Result.Marks) stay for the rhythm stage and the
// annotation file.
func annotateRecord(arg string, o annotateOpts, ms *models, db *store.DB, stdout io.Writer, meter *progressMeter) error {
	t0 := time.Now()
	rec, err := store.Open(arg)
	if err != nil {
		return err
	}
	defer rec.Close()
	sink, err := newModelSink(db, rec, o.reader, o.hashed[arg])
	if err != nil {
		return err
	}
	defer sink.abort()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st, err := recordSettings(db, sink.id)
	if err != nil {
		return err
	}
	p, err := pipeline.New(pipeline.Config{Signal: modelSignal(rec.Signal, st), Beat: ms.beat, Rhythm: ms.rhythm, Quality: ms.quality, Workers: o.threads,
		Stream: sink.w != nil, OnChunk: sink.chunk(cancel), OnProgress: meter.update})
	if err != nil {
		return err
	}
	tOpen := time.Since(t0)
	res, err := p.Run(ctx)
	if err = cmp.Or(sink.err, err); err != nil {
		return err
	}
	info := rec.Signal.Info()
	t := time.Now()
	out := annotationPath(rec.Path, o.ext)
	if o.outDir != "" {
		out = filepath.Join(o.outDir, filepath.Base(out))
	}
	if o.noFiles {
		out = "no annotation file"
	} else if err := writeLabels(out, annotate.ModelOutput{Beats: res.Marks, Episodes: res.Output.Episodes, Noise: res.Output.Noise}, info); err != nil {
		return err
	}
	tWrite, t := time.Since(t), time.Now()
	where, err := sink.save(res, o.reader, ms)
	if err != nil {
		return err
	}
	tDB := time.Since(t) + sink.spent
	printSummary(stdout, info, res, ms)
	fmt.Fprintf(stdout, "  labels: %s%s\n", out, where)
	printThroughput(stdout, res, time.Since(t0), tOpen, tWrite, tDB)
	return nil
}

// modelSink takes a run's labels into the label database: chunk by chunk
// through a ModelWriter (w) when the model layer is written, whole at the
// end when they are merged into a reader's label set (or with no database).
type modelSink struct {
	db    *store.DB
	path  string
	info  annotate.RecordInfo
	id    annotate.RecordID
	w     *store.ModelWriter // nil: the labels are saved whole
	err   error              // the first write error; the run was cancelled
	spent time.Duration      // time spent writing chunks
}

// newModelSink registers the record in db and starts its model layer
// writer, unless a reader's label set is what is written (the merge needs
// the whole output) or there is no database. id is the record's content
// hash when the caller read it already ("": read it here).
func newModelSink(db *store.DB, rec *store.Recording, reader string, id annotate.RecordID) (*modelSink, error) {
	s := &modelSink{db: db, path: rec.Path, info: rec.Signal.Info()}
	if db == nil || reader != "" {
		return s, nil
	}
	var err error
	if s.id = id; s.id == "" {
		if s.id, err = store.HashRecord(rec.Path); err != nil {
			return nil, err
		}
	}
	if err = db.PutRecord(s.id, rec.Path, s.info); err != nil {
		return nil, err
	}
	s.w, err = db.NewModelWriter(s.id)
	return s, err
}

// chunk returns the pipeline's OnChunk: the beats of each chunk go to the
// writer, and so do the beats the rhythm stage's SVT run rule relabelled;
// a write error cancels the run.
func (s *modelSink) chunk(cancel context.CancelFunc) func(pipeline.Chunk) {
	return func(c pipeline.Chunk) {
		if s.w == nil || s.err != nil {
			return
		}
		write := s.w.Write
		switch c.Stage {
		case pipeline.StageBeats:
		case pipeline.StageRhythm:
			write = s.w.Relabel
		default:
			return
		}
		t := time.Now()
		if err := write(c.Output.Beats); err != nil {
			s.err = fmt.Errorf("annotate: write the labels of %s: %w", s.info.Name, err)
			cancel()
		}
		s.spent += time.Since(t)
	}
}

// save finishes the labels in the database (the model layer, or the
// reader's label set) and says where they went.
func (s *modelSink) save(res *pipeline.Result, reader string, ms *models) (string, error) {
	if s.w == nil {
		return saveLabels(s.db, s.path, s.info, res.Output, reader)
	}
	if err := s.w.Commit(res.Output.Episodes, res.Output.Noise, ms.who()); err != nil {
		return "", err // s.w stays: abort drops what it staged
	}
	s.w = nil
	layer := "model layer"
	if ms.beat == nil {
		layer = "detector layer: beats unclassified"
	}
	return fmt.Sprintf(", %s (record %.12s, %s)", s.db.Path(), s.id, layer), nil
}

// abort drops a model layer that was started but not committed.
func (s *modelSink) abort() {
	if s.w != nil {
		_ = s.w.Abort() // the old layer stays; the run's error says why
	}
}

// annotationPath is the record's path without its file extension (".hea",
// ".edf", ...), then "." and ext.
func annotationPath(path, ext string) string {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".hea", ".edf", ".bdf", ".ecg":
		path = strings.TrimSuffix(path, filepath.Ext(path))
	}
	return path + "." + ext
}

// describe says which models label the beats and which ONNX Runtime
// library runs them, with how it was found.
func (m *models) describe(svc *modelsvc.Service) string {
	if m.beat == nil {
		return "none (ONNX Runtime unavailable): beats unclassified, from the QRS detector only; rhythms from the RR rules"
	}
	s := "beat " + m.beat.Meta().ID()
	if m.rhythm != nil {
		s += ", rhythm " + m.rhythm.Meta().ID()
	}
	if m.quality != nil {
		s += ", quality " + m.quality.Meta().ID()
	}
	version, lib, from, err := svc.Runtime()
	if err != nil {
		return s
	}
	return fmt.Sprintf("%s; ONNX Runtime %s at %s (found by %s)", s, version, lib, from)
}

// who names what made the labels, for the audit log.
func (m *models) who() string {
	s := qrs.Version + "+" + rhythm.RulesWho
	for _, x := range []*model.Model{m.beat, m.rhythm, m.quality} {
		if x != nil {
			s += "+" + x.Meta().ID()
		}
	}
	return s
}

// saveLabels merges the labels into reader's label set in the database
// (the model layer itself is written by a modelSink's writer) and says
// where.
func saveLabels(db *store.DB, path string, info annotate.RecordInfo, out annotate.ModelOutput, reader string) (string, error) {
	if db == nil {
		return "", nil
	}
	id, err := store.HashRecord(path)
	if err != nil {
		return "", err
	}
	if err := db.PutRecord(id, path, info); err != nil {
		return "", err
	}
	s, err := annotate.Open(db, id, annotate.Options{Reader: annotate.ReaderID(reader)})
	if err != nil {
		return "", err
	}
	st, err := s.MergeModel(out)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf(", %s (record %.12s, reader %s: %s)", db.Path(), id, reader, st), nil
}

// writeLabels writes the labels as an MIT annotation file, as
// wfdb.FromLabels says.
func writeLabels(path string, out annotate.ModelOutput, info annotate.RecordInfo) error {
	return wfdb.WriteAnnotationFile(path, wfdb.FromLabels(wfdb.Labels(out), info))
}

// rhythmOrder orders the rhythms of the summary: the first in this list
// first, rhythms not listed after them, by name.
var rhythmOrder = []string{rhythm.VT, rhythm.Flutter, rhythm.AF, rhythm.SVT, rhythm.Bigeminy, rhythm.Trigeminy, rhythm.Tachy, rhythm.Brady}

func rhythmRank(r string) int {
	if i := slices.Index(rhythmOrder, r); i >= 0 {
		return i
	}
	return len(rhythmOrder)
}

// printSummary prints the beats by class, the episodes by rhythm and the
// unreadable stretches of one record.
func printSummary(w io.Writer, info annotate.RecordInfo, res *pipeline.Result, ms *models) {
	var n [annotate.ClassQ + 1]int
	for _, b := range res.Marks {
		n[b.Code.Class()]++
	}
	fmt.Fprintf(w, "%s: %d beats:", info.Name, len(res.Marks))
	for _, k := range annotate.Classes {
		fmt.Fprintf(w, " %s %d", k, n[k])
	}
	if ms.beat != nil {
		fmt.Fprintf(w, " (classes by %s)\n", ms.beat.Meta().ID())
	} else {
		fmt.Fprintln(w, " (classification off: detector only, every beat unclassified)")
	}
	fmt.Fprintf(w, "  episodes:%s\n", episodeSummary(res.Output.Episodes, info.Fs))
	var bad int64
	for _, z := range res.Output.Noise {
		if z.Lead < 0 {
			bad += z.End - z.Start
		}
	}
	fmt.Fprintf(w, "  unreadable: %d stretches (any lead), %s where no lead is readable\n",
		len(res.Output.Noise), seconds(bad, info.Fs))
}

// episodeSummary lists count and total duration per rhythm.
func episodeSummary(eps []annotate.Episode, fs float64) string {
	count, dur := map[string]int{}, map[string]int64{}
	for _, e := range eps {
		count[e.Rhythm]++
		dur[e.Rhythm] += e.End - e.Start
	}
	names := slices.SortedFunc(maps.Keys(count), func(a, b string) int {
		return cmp.Or(cmp.Compare(rhythmRank(a), rhythmRank(b)), cmp.Compare(a, b))
	})
	if len(names) == 0 {
		return " none"
	}
	s := ""
	for _, r := range names {
		s += fmt.Sprintf(" %s %d (%s)", r, count[r], seconds(dur[r], fs))
	}
	return s
}

func seconds(n int64, fs float64) string {
	return (time.Duration(float64(n) / fs * float64(time.Second))).Round(100 * time.Millisecond).String()
}

// printThroughput prints beats per second and where the time went.
func printThroughput(w io.Writer, res *pipeline.Result, total, open, write, db time.Duration) {
	tm := res.Timing
	s := func(d time.Duration) string { return fmt.Sprintf("%.2f s", d.Seconds()) }
	fmt.Fprintf(w, "  time: %s wall, %.0f beats/s; pipeline %s wall; worker time per stage: read %s, detect %s, quality %s, classify %s, embed %s; rhythm %s; open %s, write %s, database %s\n",
		s(total), float64(len(res.Marks))/total.Seconds(), s(tm.Wall), s(tm.Read), s(tm.Detect), s(tm.Quality),
		s(tm.Classify), s(tm.Embed), s(tm.Rhythm), s(open), s(write), s(db))
}
