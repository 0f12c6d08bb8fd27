package export

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/store"
)

// A label bundle carries reader label sets from one laptop's database to
// another's. It is gzip-compressed JSON Lines, one object per line, "t"
// saying which kind:
//
//	{"t":"bundle","format":"ecgstation label bundle","version":1,"created":"2025-01-02T03:04:05Z","ecgstation":"dev"}
//	{"t":"set","record":"<64 hex>","name":"100","fs":360,"nsamples":650000,"leads":2,"reader":"alice","rev":7,"state":2,"by":"alice","at":"..."}
//	{"t":"b","s":370,"c":"N","src":3,"who":"alice","r":2}                  a beat (ch, f, conf, p when set)
//	{"t":"d","s":412,"by":"alice"}                                           a beat the reader deleted
//	{"t":"e","id":1,"start":0,"end":9000,"rhythm":"AFIB","src":3,"who":"alice","r":1}   an episode (del when deleted)
//	{"t":"n","id":1,"start":100,"end":460,"lead":-1,"reason":"noise","src":2,"who":"qual@1"}
//	{"t":"end","beats":1,"deleted":1,"episodes":1,"noise":1}
//
// Beats and deleted beats come in increasing sample order. The end line
// repeats the counts so a cut-off file is noticed. A bundle holds no
// patient data: record identity is the content hash, the name is the
// record file's name, and header comments and start dates are never
// written.
//
// Version 2 adds model layer sets (BundleOptions.Model): what the models
// suggested, with who made them (the "model" audit entry's who) and, when
// BundleOptions.Paths asks (the shards of "ecgstation batch", which stay on
// one cluster's file system), the record's path, so the merge can register
// a record its database has not seen:
//
//	{"t":"set","layer":"model","record":"<64 hex>","name":"100","fs":360,...,"who":"qrs@2+rules@1+beat@1.5.0","path":"/archive/site1/100.hea"}
//
// A bundle without model sets is written as version 1, which older builds
// read.

// BundleFormat and BundleVersion identify the bundle format.
const (
	BundleFormat  = "ecgstation label bundle"
	BundleVersion = 2
)

// LayerModel marks a set line as the model layer.
const LayerModel = "model"

// bundleLine is every field any line may have.
type bundleLine struct {
	T        string  `json:"t"`
	Format   string  `json:"format,omitempty"`
	Version  int     `json:"version,omitempty"`
	Created  string  `json:"created,omitempty"`
	Ecg      string  `json:"ecgstation,omitempty"`
	Record   string  `json:"record,omitempty"`
	Name     string  `json:"name,omitempty"`
	Fs       float64 `json:"fs,omitempty"`
	NSamples int64   `json:"nsamples,omitempty"`
	Leads    int     `json:"leads,omitempty"`
	Layer    string  `json:"layer,omitempty"`
	Path     string  `json:"path,omitempty"`
	// ModelLeads are the leads a model layer's run read (a model set only).
	ModelLeads []int     `json:"model_leads,omitempty"`
	Reader     string    `json:"reader,omitempty"`
	Rev        uint64    `json:"rev,omitempty"`
	State      uint8     `json:"state,omitempty"`
	By         string    `json:"by,omitempty"`
	At         string    `json:"at,omitempty"`
	S          int64     `json:"s,omitempty"`
	C          string    `json:"c,omitempty"`
	Ch         int8      `json:"ch,omitempty"`
	F          uint8     `json:"f,omitempty"`
	R          uint8     `json:"r,omitempty"`
	Src        uint8     `json:"src,omitempty"`
	Who        string    `json:"who,omitempty"`
	Conf       float32   `json:"conf,omitempty"`
	P          []float32 `json:"p,omitempty"`
	ID         uint64    `json:"id,omitempty"`
	Start      int64     `json:"start,omitempty"`
	End        int64     `json:"end,omitempty"`
	Rhythm     string    `json:"rhythm,omitempty"`
	Lead       *int      `json:"lead,omitempty"`
	Reason     string    `json:"reason,omitempty"`
	Del        bool      `json:"del,omitempty"`
	Beats      int64     `json:"beats,omitempty"`
	Deleted    int64     `json:"deleted,omitempty"`
	Episodes   int64     `json:"episodes,omitempty"`
	Noise      int64     `json:"noise,omitempty"`
}

// BundleOptions select what a bundle holds.
type BundleOptions struct {
	Records []string            // as Options.Records; empty: all
	Readers []annotate.ReaderID // empty: every reader
	Version string              // ecgstation version
	Now     time.Time
	// Model adds each record's model layer, when a model run completed
	// on it (store.DB.LastModelRun), before its reader sets.
	Model bool
	// Paths writes the record's path into model layer sets.
	Paths bool
}

// WriteBundle writes the selected reader label sets of db to w, beats
// streamed from the database. It returns the number of label sets.
func WriteBundle(db *store.DB, w io.Writer, opt BundleOptions) (int, error) {
	entries, err := selectRecords(db, opt.Records)
	if err != nil {
		return 0, err
	}
	gz := gzip.NewWriter(w)
	bw := bufio.NewWriterSize(gz, 1<<16)
	enc := json.NewEncoder(bw)
	n := 0
	version := 1
	if opt.Model {
		version = BundleVersion
	}
	err = enc.Encode(bundleLine{T: "bundle", Format: BundleFormat, Version: version,
		Created: opt.Now.UTC().Format(time.RFC3339), Ecg: opt.Version})
	for _, e := range entries {
		if err == nil && opt.Model {
			var wrote bool
			wrote, err = writeModelSet(db, enc, e, opt.Paths)
			n += btoi(wrote)
		}
		for _, r := range e.Readers {
			if err == nil && wanted(opt.Readers, r.Reader) {
				err = writeSet(db, enc, e, r.Reader)
				n++
			}
		}
	}
	if err == nil {
		err = bw.Flush()
	}
	if cerr := gz.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return n, fmt.Errorf("write bundle: %w", err)
	}
	return n, nil
}

func wanted(list []annotate.ReaderID, r annotate.ReaderID) bool {
	if len(list) == 0 {
		return true
	}
	for _, x := range list {
		if x == r {
			return true
		}
	}
	return false
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// writeModelSet writes the model layer of e when a model run completed on
// it, and reports whether it did.
func writeModelSet(db *store.DB, enc *json.Encoder, e store.RecordEntry, paths bool) (bool, error) {
	who, err := db.LastModelRun(e.ID)
	if err != nil || who == "" {
		return false, err
	}
	head := setHead(e)
	head.Layer, head.Who = LayerModel, who
	head.ModelLeads = e.Settings.Model(e.Info.Leads)
	if paths {
		head.Path = e.Path
	}
	return true, writeLabels(db, enc, head, e.ID, store.ModelLayer)
}

// setHead is the set line of e's label sets, without reader or layer.
func setHead(e store.RecordEntry) bundleLine {
	return bundleLine{T: "set", Record: string(e.ID), Name: e.Info.Name, Fs: e.Info.Fs, NSamples: e.Info.NSamples,
		Leads: len(e.Info.Leads)}
}

func writeSet(db *store.DB, enc *json.Encoder, e store.RecordEntry, reader annotate.ReaderID) error {
	head := setHead(e)
	head.Reader = string(reader)
	return writeLabels(db, enc, head, e.ID, reader)
}

// writeLabels writes the set line head and the label set of reader on rec
// (store.ModelLayer: the model layer).
func writeLabels(db *store.DB, enc *json.Encoder, head bundleLine, rec annotate.RecordID, reader annotate.ReaderID) error {
	sp, err := db.Spans(rec, reader)
	if err != nil {
		return err
	}
	head.Rev, head.State, head.By = sp.Rev, uint8(sp.Status.State), string(sp.Status.By)
	if !sp.Status.At.IsZero() {
		head.At = sp.Status.At.UTC().Format(time.RFC3339Nano)
	}
	if err := enc.Encode(head); err != nil {
		return err
	}
	var end bundleLine
	end.T = "end"
	for b, err := range db.Beats(rec, reader, 0, math.MaxInt64) {
		if err != nil {
			return err
		}
		if err := enc.Encode(beatLine(b)); err != nil {
			return err
		}
		end.Beats++
	}
	tombs, err := db.Tombs(rec, reader)
	if err != nil {
		return err
	}
	for _, t := range tombs {
		if err := enc.Encode(bundleLine{T: "d", S: t.Sample, By: string(t.By)}); err != nil {
			return err
		}
		end.Deleted++
	}
	for _, x := range sp.Episodes {
		if err := enc.Encode(episodeLine(x)); err != nil {
			return err
		}
		end.Episodes++
	}
	for _, x := range sp.Noise {
		if err := enc.Encode(noiseLine(x)); err != nil {
			return err
		}
		end.Noise++
	}
	return enc.Encode(end)
}

func beatLine(b annotate.Beat) bundleLine {
	return bundleLine{T: "b", S: b.Sample, C: b.Code.Symbol(), Ch: b.Chan, F: uint8(b.Flags), R: uint8(b.Review),
		Src: uint8(b.Prov.Source), Who: b.Prov.Who, Conf: b.Prov.Confidence, P: b.Prov.Probs}
}

func episodeLine(x annotate.EpisodeEntry) bundleLine {
	return bundleLine{T: "e", ID: uint64(x.ID), Start: x.Start, End: x.End, Rhythm: x.Rhythm, Del: x.Deleted, R: uint8(x.Review),
		Src: uint8(x.Prov.Source), Who: x.Prov.Who, Conf: x.Prov.Confidence, P: x.Prov.Probs}
}

func noiseLine(x annotate.NoiseEntry) bundleLine {
	lead := x.Lead
	return bundleLine{T: "n", ID: uint64(x.ID), Start: x.Start, End: x.End, Lead: &lead, Reason: x.Reason, Del: x.Deleted,
		Src: uint8(x.Prov.Source), Who: x.Prov.Who, Conf: x.Prov.Confidence, P: x.Prov.Probs}
}
