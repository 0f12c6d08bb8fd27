package export

import (
	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/store/wfdb"
)

// wfdbName is the file name, with extension ext, of a record in the export.
func (p *recPlan) wfdbName(ext string) string {
	if p.dupName {
		return p.info.Name + "_" + p.key()[:8] + "." + ext
	}
	return p.info.Name + "." + ext
}

// writeWFDB writes the live labels of one record as a WFDB annotation file
// (wfdb.FromLabels says how).
func (e *exporter) writeWFDB(p *recPlan) error {
	l, err := e.liveLabels(p)
	if err != nil {
		return err
	}
	anns := wfdb.FromLabels(l, p.info)
	f, err := e.create(p.wfdbName(e.opt.AnnExt))
	if err != nil {
		return err
	}
	err = wfdb.WriteAnnotations(f, anns)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// liveLabels returns the record's labels that are not deleted.
func (e *exporter) liveLabels(p *recPlan) (wfdb.Labels, error) {
	ls, _, err := e.db.Labels(p.entry.ID, p.reader)
	if err != nil {
		return wfdb.Labels{}, err
	}
	var eps []annotate.Episode
	for _, x := range ls.Episodes {
		if !x.Deleted {
			eps = append(eps, x.Episode)
		}
	}
	var noise []annotate.Noise
	for _, x := range ls.Noise {
		if !x.Deleted {
			noise = append(noise, x.Noise)
		}
	}
	return wfdb.Labels{Beats: ls.Beats, Episodes: eps, Noise: noise}, nil
}
