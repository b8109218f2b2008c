package funnel

import (
	"bytes"
	"fmt"
	"io"
	"time"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/internal/crmcsv"
	"github.com/kpiflow/kpi/internal/errs"
)

// Columns says how to read a stage export from CSV: the separator (0 for
// ','), the location of times written without a zone (nil for UTC), and
// the header names of its columns, matched without regard to case and
// surrounding blanks. A name left empty takes the defaults below, the
// first one in the header winning.
//
// A long stage history (ReadHistory) has one row per stage change:
//
//	Entity  Record ID, Contact ID, vid, hs_object_id, OpportunityId,
//	        Opportunity ID, Deal ID, Entity, Id
//	Stage   Lifecycle Stage, lifecyclestage, StageName, Stage Name,
//	        Deal Stage, dealstage, NewValue, New Value, Stage, Value
//	Time    Timestamp, CreatedDate, Created Date, Change Date, Changed At,
//	        Date, Time
//	Field   Field (optional: when present, only rows whose field is
//	        StageName, lifecyclestage or dealstage are stage changes)
//
// which covers HubSpot's lifecycle-stage property history and Salesforce's
// OpportunityHistory (OpportunityId, StageName, CreatedDate) and
// OpportunityFieldHistory (OpportunityId, Field, NewValue, CreatedDate).
//
// Wide stage dates (ReadDates) have one row per entity and one date
// column per stage: Entity as above, and for each stage the column Dates
// names, or else the first of "Became a <Stage> Date", "Became an <Stage>
// Date", "hs_lifecyclestage_<stage>_date" (the stage in lower case without
// blanks), "<Stage> Date" and "<Stage>" — HubSpot's contact export.
type Columns struct {
	Entity, Stage, Time, Field string
	Dates                      map[string]string // stage → column, for ReadDates
	Comma                      rune
	Location                   *time.Location
}

var (
	entityNames = []string{"Record ID", "Contact ID", "vid", "hs_object_id", "OpportunityId", "Opportunity ID", "Deal ID", "Entity", "Id"}
	stageNames  = []string{"Lifecycle Stage", "lifecyclestage", "StageName", "Stage Name", "Deal Stage", "dealstage", "NewValue", "New Value", "Stage", "Value"}
	timeNames   = []string{"Timestamp", "CreatedDate", "Created Date", "Change Date", "Changed At", "Date", "Time"}
)

// The roles of a long history.
const (
	roleEntity = iota
	roleStage
	roleTime
	roleField
)

// ReadHistory reads a long stage history — one row per entry: entity,
// stage, time; see Columns — into a new History over l, in one pass,
// keeping per entity only what History keeps, and returns it with its
// health report. Every row is used or rejected (kpi.Health), never
// dropped: a row with an empty entity or stage, a stage not in l (also
// counted in Unmapped), a time Time cannot parse (see below) or outside
// the years kpi.MinYear to kpi.MaxYear, the wrong number of fields, or bytes that are
// not UTF-8 is rejected with its line, column and reason. Duplicates,
// out-of-order rows, and entities that skipped or moved back are counted.
//
// Times are RFC 3339, ISO dates and times (HubSpot), Salesforce's API and
// US-locale report formats, or Unix seconds or milliseconds; a time
// without a zone is in c.Location.
//
// Errors wrap kpi.ErrInvalid: a nil l or r, no header, a UTF-16 file, a
// column missing, named twice in the header, or mapped twice, and a read
// error of r.
func ReadHistory(r io.Reader, l *Lifecycle, c Columns) (*History, *kpi.Health, error) {
	const fn = "funnel.ReadHistory"
	h, err := NewHistory(l)
	if err != nil {
		return nil, nil, errs.Invalid(fn, "l", "no stages", "use funnel.NewLifecycle")
	}
	rd, err := crmcsv.Open(fn, r, c.Comma, []crmcsv.Role{
		{Name: "entity", Column: c.Entity, Defaults: entityNames, Required: true},
		{Name: "stage", Column: c.Stage, Defaults: stageNames, Required: true},
		{Name: "time", Column: c.Time, Defaults: timeNames, Required: true},
		{Name: "field", Column: c.Field, Defaults: []string{"Field"}},
	})
	if err != nil {
		return nil, nil, err
	}
	field := rd.Has(roleField)
	clock := crmcsv.Clock{Location: c.Location}
	var f [4][]byte
	for rd.Next() {
		rd.Fields(f[:])
		if field && !stageField(f[roleField]) {
			rd.Reject(roleField, "not a stage change")
			continue
		}
		h.readRow(rd, &f, &clock)
	}
	if err := rd.Err(); err != nil {
		return nil, nil, err
	}
	return h, h.health(rd), nil
}

func stageField(f []byte) bool {
	return bytes.EqualFold(f, []byte("StageName")) || bytes.EqualFold(f, []byte("lifecyclestage")) || bytes.EqualFold(f, []byte("dealstage"))
}

// readRow adds the current row of a long history, whose fields by role
// are f, or rejects it.
func (h *History) readRow(rd *crmcsv.Reader, f *[4][]byte, clock *crmcsv.Clock) {
	entity, stage := f[roleEntity], f[roleStage]
	switch {
	case len(entity) == 0:
		rd.Reject(roleEntity, "empty entity")
		return
	case len(stage) == 0:
		rd.Reject(roleStage, "empty stage")
		return
	}
	k, ok := h.stageBytes(stage)
	if !ok {
		rd.Reject(roleStage, "stage not in the lifecycle")
		rd.Unmapped(string(stage))
		return
	}
	t, why := clock.Nanos(f[roleTime])
	if why != "" {
		rd.Reject(roleTime, why)
		return
	}
	h.record(h.entityBytes(entity), k, t-epoch)
	rd.Use()
}

// health finishes a reader's report with the history's counts.
func (h *History) health(rd *crmcsv.Reader) *kpi.Health {
	rep := rd.Finish()
	rep.Duplicates, rep.OutOfOrder = h.duplicates, h.outOfOrder
	var entry [maxSteps]int64
	for id := range h.ents.Len() {
		top, skipped, backward := h.walk(id, &entry)
		if top >= 0 && skipped {
			rep.Skipped++
		}
		if top >= 0 && backward {
			rep.Backward++
		}
	}
	return rep
}

// ReadDates reads wide stage dates — one row per entity with one date
// column per stage, HubSpot's "Became a … Date" columns by default; see
// Columns — into a new History over l, and returns it with its health
// report. A row is used whole or rejected whole: rejected for an empty
// entity, a date that cannot be parsed (naming its column), no date at
// all, the wrong number of fields or bytes that are not UTF-8. An empty
// date cell means no entry for that stage; a stage without a column in the
// file has no entries (a stage skipped by every entity). A row repeating
// every date of an earlier row of its entity is a duplicate; dates within
// a row are in no order, so no row is out of order.
//
// Errors wrap kpi.ErrInvalid: a nil l or r, no header, a UTF-16 file, no
// entity column, no stage date column at all, a column of c.Dates not in
// the header or naming a stage not in l, a column named twice in the
// header or mapped twice, and a read error of r.
func ReadDates(r io.Reader, l *Lifecycle, c Columns) (*History, *kpi.Health, error) {
	const fn = "funnel.ReadDates"
	h, err := NewHistory(l)
	if err != nil {
		return nil, nil, errs.Invalid(fn, "l", "no stages", "use funnel.NewLifecycle")
	}
	roles, err := dateRoles(fn, l, c)
	if err != nil {
		return nil, nil, err
	}
	rd, err := crmcsv.Open(fn, r, c.Comma, roles)
	if err != nil {
		return nil, nil, err
	}
	found := false
	for k := range l.names {
		found = found || rd.Has(1+k)
	}
	if !found {
		return nil, nil, errs.Invalid(fn, "stage date columns", "none", `the header has no date column of any stage (such as "Became a Lead Date")`)
	}
	var at [maxSteps]int64
	for rd.Next() {
		h.readDates(rd, c.Location, &at)
	}
	if err := rd.Err(); err != nil {
		return nil, nil, err
	}
	return h, h.health(rd), nil
}

// dateRoles returns the roles of a wide file: the entity, then one per
// stage.
func dateRoles(fn string, l *Lifecycle, c Columns) ([]crmcsv.Role, error) {
	roles := []crmcsv.Role{{Name: "entity", Column: c.Entity, Defaults: entityNames, Required: true}}
	for stage := range c.Dates {
		if _, ok := l.Index(stage); !ok {
			return nil, errs.Invalid(fn, "dates", fmt.Sprintf("%q", stage), "stage not in the lifecycle")
		}
	}
	for _, s := range l.names {
		key := stageKey(s)
		var col string
		for stage, name := range c.Dates {
			if stageKey(stage) == key {
				col = name
			}
		}
		roles = append(roles, crmcsv.Role{Name: fmt.Sprintf("%q date", s), Column: col, Defaults: []string{
			"Became a " + s + " Date", "Became an " + s + " Date", "hs_lifecyclestage_" + key + "_date", s + " Date", s,
		}})
	}
	return roles, nil
}

// readDates adds the current row of a wide file, or rejects it.
func (h *History) readDates(rd *crmcsv.Reader, loc *time.Location, at *[maxSteps]int64) {
	entity := rd.Bytes(0)
	if len(entity) == 0 {
		rd.Reject(0, "empty entity")
		return
	}
	dated := 0
	for k := range h.n {
		at[k] = none
		s := rd.Bytes(1 + k)
		if len(s) == 0 {
			continue
		}
		t, why := crmcsv.Time(s, loc)
		if why != "" {
			rd.Reject(1+k, why)
			return
		}
		at[k] = t.UnixNano() - epoch
		dated++
	}
	if dated == 0 {
		rd.Reject(-1, "no stage date")
		return
	}
	// One row is one entity's dates, in no order: count the row as a
	// duplicate when it repeats every date, and never as out of order.
	dup, ooo := h.duplicates, h.outOfOrder
	for k := range h.n {
		if at[k] != none {
			h.record(h.entityBytes(entity), k, at[k])
		}
	}
	if h.duplicates-dup == int64(dated) {
		dup++
	}
	h.duplicates, h.outOfOrder = dup, ooo
	rd.Use()
}
