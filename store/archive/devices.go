package archive

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/store/edf"
)

// Errors of ParseDevices, wrapped in a *DevicesError.
var (
	ErrDevicesHeader = errors.New("the first row must name the columns: record,device and optionally site and patient, in any order")
	ErrDevicesColumn = errors.New("unknown column")
	ErrDevicesCell   = errors.New("empty cell")
	ErrDevicesDup    = errors.New("record named twice")
	ErrDevicesCSV    = errors.New("not a CSV table")
)

// DevicesError says where a devices CSV is wrong: the line (from 1) and,
// where it matters, the column.
type DevicesError struct {
	Line   int
	Column string
	Err    error
	Detail string
}

// Error returns "devices CSV line 3, column device: empty cell (...)".
func (e *DevicesError) Error() string {
	s := fmt.Sprintf("devices CSV line %d", e.Line)
	if e.Column != "" {
		s += ", column " + e.Column
	}
	s += ": " + e.Err.Error()
	if e.Detail != "" {
		s += " (" + e.Detail + ")"
	}
	return s
}

// Unwrap returns the named error.
func (e *DevicesError) Unwrap() error { return e.Err }

// DeviceEntry is one row of a devices CSV. Site and Patient are empty
// when the CSV has no such column or leaves the cell empty.
type DeviceEntry struct {
	Record, Device, Site, Patient string
	Line                          int // line of the CSV, from 1
}

// Devices is a parsed devices CSV: which device recorded each record, and
// optionally at which site and of which patient. For example
//
//	record,device,site,patient
//	100,holter-A7,Leeds,p01
//	/archive/2024/p02-day1.edf,holter-B2,York,p02
//	3f1c...e9,holter-B2,York,p02
//
// A record cell names a record by its name, its path, its path's base name
// (with or without extension) or its id.
type Devices struct {
	Entries []DeviceEntry
	byKey   map[string]int
}

// the devices CSV's columns
const (
	colRecord  = "record"
	colDevice  = "device"
	colSite    = "site"
	colPatient = "patient"
)

// ParseDevices reads a devices CSV (see Devices). The header row is
// required; names are matched without regard to case or surrounding
// spaces, and cells are trimmed. Every row needs a record and a device;
// a record may be named once only.
func ParseDevices(r io.Reader) (*Devices, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	head, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, &DevicesError{Line: 1, Err: ErrDevicesHeader, Detail: "the file is empty"}
	}
	if err != nil {
		return nil, csvError(err)
	}
	cols, err := devicesHeader(head)
	if err != nil {
		return nil, err
	}
	d := &Devices{byKey: map[string]int{}}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return d, nil
		}
		if err != nil {
			return nil, csvError(err)
		}
		line, _ := cr.FieldPos(0)
		if err := d.add(cols, rec, line); err != nil {
			return nil, err
		}
	}
}

// csvError turns encoding/csv's error into a DevicesError with its line.
func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &DevicesError{Line: pe.Line, Err: ErrDevicesCSV, Detail: pe.Err.Error()}
	}
	return fmt.Errorf("devices CSV: %w", err)
}

// devicesHeader maps the column names to their positions.
func devicesHeader(head []string) (map[string]int, error) {
	cols := map[string]int{}
	for i, h := range head {
		name := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		switch name {
		case colRecord, colDevice, colSite, colPatient:
		default:
			return nil, &DevicesError{Line: 1, Column: fmt.Sprintf("%d", i+1), Err: ErrDevicesColumn,
				Detail: fmt.Sprintf("%q: the columns are record, device, site and patient", h)}
		}
		if _, dup := cols[name]; dup {
			return nil, &DevicesError{Line: 1, Column: name, Err: ErrDevicesHeader, Detail: "the column is named twice"}
		}
		cols[name] = i
	}
	for _, need := range []string{colRecord, colDevice} {
		if _, ok := cols[need]; !ok {
			return nil, &DevicesError{Line: 1, Err: ErrDevicesHeader, Detail: "no " + need + " column"}
		}
	}
	return cols, nil
}

// add adds the row rec at line.
func (d *Devices) add(cols map[string]int, rec []string, line int) error {
	cell := func(name string) string {
		if i, ok := cols[name]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
		return nil // a blank line
	}
	e := DeviceEntry{Record: cell(colRecord), Device: cell(colDevice), Site: cell(colSite), Patient: cell(colPatient), Line: line}
	for _, c := range []struct{ name, v string }{{colRecord, e.Record}, {colDevice, e.Device}} {
		if c.v == "" {
			return &DevicesError{Line: line, Column: c.name, Err: ErrDevicesCell, Detail: "every row needs a record and a device"}
		}
	}
	if j, dup := d.byKey[e.Record]; dup {
		return &DevicesError{Line: line, Column: colRecord, Err: ErrDevicesDup,
			Detail: fmt.Sprintf("%q is on line %d too", e.Record, d.Entries[j].Line)}
	}
	d.byKey[e.Record] = len(d.Entries)
	d.Entries = append(d.Entries, e)
	return nil
}

// ReadDevicesFile reads the devices CSV at path.
func ReadDevicesFile(path string) (*Devices, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("devices CSV: %w", err)
	}
	defer f.Close()
	d, err := ParseDevices(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return d, nil
}

// Lookup returns the row naming record e: by id, path, the path's base
// name with and without its extension, or the record name, in that order.
func (d *Devices) Lookup(e store.RecordEntry) (DeviceEntry, bool) { return d.lookup(e, nil) }

// lookup is Lookup where a loose key (a base name or the record name) that
// names more than one record of the archive (names counts them) names none.
func (d *Devices) lookup(e store.RecordEntry, names map[string]int) (DeviceEntry, bool) {
	if d == nil {
		return DeviceEntry{}, false
	}
	for i, k := range recordKeys(e) {
		if i >= 2 && names[k] > 1 {
			continue
		}
		if j, ok := d.byKey[k]; ok && k != "" && k != "." {
			return d.Entries[j], true
		}
	}
	return DeviceEntry{}, false
}

// recordKeys are the keys a devices CSV may name record e by: id, path,
// then the loose ones (base name, base name without extension, name).
func recordKeys(e store.RecordEntry) []string {
	base := filepath.Base(e.Path)
	return []string{string(e.ID), e.Path, base, strings.TrimSuffix(base, filepath.Ext(base)), e.Info.Name}
}

// looseNames counts the records of es by each of their loose keys.
func looseNames(es []store.RecordEntry) map[string]int {
	n := map[string]int{}
	for _, e := range es {
		seen := map[string]bool{}
		for _, k := range recordKeys(e)[2:] {
			if !seen[k] {
				seen[k] = true
				n[k]++
			}
		}
	}
	return n
}

// Unmatched returns the CSV rows that name none of rows' records (a typo,
// or a record not in the database).
func (d *Devices) Unmatched(rows []Row) []DeviceEntry {
	if d == nil {
		return nil
	}
	used := map[int]bool{}
	for _, r := range rows {
		if e, ok := d.Lookup(store.RecordEntry{ID: r.ID, Path: r.Path, Info: annotate.RecordInfo{Name: r.Name}}); ok {
			used[d.byKey[e.Record]] = true
		}
	}
	var out []DeviceEntry
	for i, e := range d.Entries {
		if !used[i] {
			out = append(out, e)
		}
	}
	return out
}

// origin returns a record's device, site and patient and where the device
// came from: the devices CSV, else the EDF+ header's equipment, else the
// record's folder. The patient is what the CSV says, else the record name,
// or the name and the start of the record's id when another record of the
// archive (names) has the same name: two "day1" of different folders are
// not one patient.
func origin(e store.RecordEntry, d *Devices, names map[string]int) (device, site, patient, from string) {
	patient = e.Info.Name
	if names[patient] > 1 {
		patient += "-" + string(e.ID)[:min(8, len(e.ID))]
	}
	if de, ok := d.lookup(e, names); ok {
		if de.Patient != "" {
			patient = de.Patient
		}
		return de.Device, de.Site, patient, FromCSV
	}
	if eq := equipment(e); eq != "" {
		return eq, "", patient, FromHeader
	}
	return filepath.Base(filepath.Dir(e.Path)), "", patient, FromFolder
}

// equipment returns the equipment subfield of an EDF+ (or BDF+) file's
// recording field ("Startdate 02-MAR-2002 EMG561 BK/JOP Sony. MNC R
// Median Nerve." holds "Sony."), "" when the record is no EDF+, its file
// is gone or the field is "X" (unknown). Only this word is read out: the
// rest of the field may identify the patient.
func equipment(e store.RecordEntry) string {
	if !strings.HasSuffix(e.Info.Format, "+") {
		return ""
	}
	f, err := edf.Open(e.Path)
	if err != nil {
		return ""
	}
	defer f.Close()
	return EquipmentOf(f.RecordingID())
}

// EquipmentOf returns the equipment subfield of an EDF+ recording field
// ("Startdate dd-MMM-yyyy admincode technician equipment ..."), "" when it
// is missing or "X".
func EquipmentOf(recording string) string {
	f := strings.Fields(recording)
	if len(f) < 5 || f[0] != "Startdate" || f[4] == "X" {
		return ""
	}
	return f[4]
}
