package attribution

import (
	"cmp"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/internal/crmcsv"
	"github.com/kpiflow/kpi/internal/errs"
)

// TouchLog says how to read a touch log from CSV: one row per touch or
// conversion of an entity (a contact, an account). Column names are
// matched without regard to case and surrounding blanks; a name left
// empty takes the defaults, the first one in the header winning:
//
//	Entity      Record ID, Contact ID, contact_id, user_id, User ID, Lead ID, Entity, Id, Email
//	Channel     Channel, Default Channel Group, Session default channel group
//	Source      utm_source, Source, Session source
//	Medium      utm_medium, Medium, Session medium
//	Campaign    utm_campaign, Campaign, Session campaign
//	Time        Timestamp, Time, Date, Touch Date, Occurred At, CreatedDate, Created Date
//	Conversion  Conversion, Converted, Is Conversion
//	Value       Conversion Value, Value, Revenue, Amount
//
// Entity and Time are required, and a Channel column or a Source or
// Medium column. When the log has a Channel column, a non-empty channel
// is used as it is; otherwise (or where the channel is empty) the source,
// medium and campaign go through Grouping (nil for DefaultGrouping). A row
// with an empty channel and nothing to group has no channel, except that
// in a log without a Channel column a touch with empty UTM values is
// grouped (DefaultGrouping calls it Direct).
//
// A row whose Conversion is yes (1, true, yes, y, x) is a conversion, worth
// Value (empty for none); if it also names a channel it is a touch too,
// the converting one. Lookback (0 for 90 days) is the window before each
// conversion, inclusive, from which its touches are taken. Comma is the
// separator (0 for ','), Location the location of times without a zone
// (nil for UTC).
type TouchLog struct {
	Entity, Channel, Source, Medium, Campaign, Time, Conversion, Value string

	Grouping *Grouping
	Lookback time.Duration
	Comma    rune
	Location *time.Location
}

// The roles of a touch log.
const (
	tEntity = iota
	tChannel
	tSource
	tMedium
	tCampaign
	tTime
	tConversion
	tValue
)

// touchRow is one used row: a touch (ch ≥ 0), a conversion (conv ≥ 0) or
// both.
type touchRow struct {
	t    int64
	ent  int32
	ch   int32
	conv int32
}

// conversion is a conversion row's line and value.
type conversion struct {
	line  int64
	value decimal.Decimal
}

// touchReader holds the state of ReadTouches.
type touchReader struct {
	rd       *crmcsv.Reader
	c        TouchLog
	grouping *Grouping
	ents     map[string]int32
	lastName string // the entity of the last row, looked at before ents
	lastID   int32
	latest   []int64
	chans    map[string]int32
	names    []string
	utm      map[[3]string]grouped
	rows     []touchRow
	convs    []conversion
}

// ReadTouches reads a touch log (see TouchLog) in one pass and returns its
// journeys, with the log's health report.
//
// Each entity's rows are put in time order (a touch before a conversion
// at the same time). A conversion makes one journey of the entity's
// touches since its previous conversion that lie within Lookback before
// it, with 1 conversion and its value. The entity's touches in no
// conversion's journey — after its last conversion, or too old for the
// window — make one journey with no conversion (1 null), so an entity
// that never converted has one such journey.
//
// Every row is used or rejected, never dropped: a row with an empty
// entity, no channel (and no source or medium to group), a time that
// cannot be parsed or outside the years 1678 to 2261, a Conversion that
// is not yes or no, a Value that is not a non-negative amount or that
// stands on a row that is not a conversion, a conversion with no touch in
// its window, the wrong number of fields or bytes that are not UTF-8 is
// rejected with its line, column and reason. A row repeating an earlier
// one (entity, channel, time and conversion) is a duplicate, counted and
// left out of the journeys; rows earlier than their entity's previous row
// are counted as out of order. A touch no grouping rule matched counts in
// Unmapped by its source and medium, and goes to the grouping's Other
// channel.
//
// Errors wrap kpi.ErrInvalid: a nil r, a negative Lookback, no header, a
// UTF-16 file, a required column missing, a column named twice in the
// header or mapped twice, and a read error of r.
func ReadTouches(r io.Reader, c TouchLog) (*Journeys, *kpi.Health, error) {
	const fn = "attribution.ReadTouches"
	if c.Lookback < 0 {
		return nil, nil, errs.Invalid(fn, "lookback", c.Lookback, "negative window")
	}
	if c.Lookback == 0 {
		c.Lookback = 90 * 24 * time.Hour
	}
	rd, err := crmcsv.Open(fn, r, c.Comma, []crmcsv.Role{
		{Name: "entity", Column: c.Entity, Defaults: []string{"Record ID", "Contact ID", "contact_id", "user_id", "User ID", "Lead ID", "Entity", "Id", "Email"}, Required: true},
		{Name: "channel", Column: c.Channel, Defaults: []string{"Channel", "Default Channel Group", "Session default channel group"}},
		{Name: "source", Column: c.Source, Defaults: []string{"utm_source", "Source", "Session source"}},
		{Name: "medium", Column: c.Medium, Defaults: []string{"utm_medium", "Medium", "Session medium"}},
		{Name: "campaign", Column: c.Campaign, Defaults: []string{"utm_campaign", "Campaign", "Session campaign"}},
		{Name: "time", Column: c.Time, Defaults: []string{"Timestamp", "Time", "Date", "Touch Date", "Occurred At", "CreatedDate", "Created Date"}, Required: true},
		{Name: "conversion", Column: c.Conversion, Defaults: []string{"Conversion", "Converted", "Is Conversion"}},
		{Name: "value", Column: c.Value, Defaults: []string{"Conversion Value", "Value", "Revenue", "Amount"}},
	})
	if err != nil {
		return nil, nil, err
	}
	if !rd.Has(tChannel) && !rd.Has(tSource) && !rd.Has(tMedium) {
		return nil, nil, errs.Invalid(fn, "channel column", "missing", "the header has no channel, source or medium column")
	}
	tr := &touchReader{rd: rd, c: c, grouping: c.Grouping, ents: map[string]int32{}, chans: map[string]int32{}, utm: map[[3]string]grouped{}}
	if tr.grouping == nil {
		tr.grouping = DefaultGrouping()
	}
	for rd.Next() {
		tr.row()
	}
	if err := rd.Err(); err != nil {
		return nil, nil, err
	}
	js := &Journeys{}
	tr.journeys(js)
	return js, rd.Finish(), nil
}

// row reads the current row, or rejects it.
func (tr *touchReader) row() {
	rd := tr.rd
	entity := rd.Field(tEntity)
	if entity == "" {
		rd.Reject(tEntity, "empty entity")
		return
	}
	t, why := crmcsv.Time(rd.Field(tTime), tr.c.Location)
	if why != "" {
		rd.Reject(tTime, why)
		return
	}
	conv, ok := crmcsv.Flag(rd.Field(tConversion))
	if !ok {
		rd.Reject(tConversion, "not yes or no")
		return
	}
	var value decimal.Decimal
	if v := rd.Field(tValue); v != "" {
		if !conv {
			rd.Reject(tValue, "value on a row that is not a conversion")
			return
		}
		if value, why = crmcsv.Amount(v); why == "" && value.Sign() < 0 {
			why = "negative value"
		}
		if why != "" {
			rd.Reject(tValue, why)
			return
		}
	}
	ch := tr.channel(conv)
	if ch < 0 && !conv {
		rd.Reject(tChannel, "no channel, source or medium")
		return
	}
	row := touchRow{t: t.UnixNano(), ent: tr.entity(entity), ch: ch, conv: -1}
	if conv {
		row.conv = int32(len(tr.convs))
		tr.convs = append(tr.convs, conversion{line: rd.Line(), value: value})
	}
	if row.t < tr.latest[row.ent] {
		rd.Health.OutOfOrder++
	}
	tr.latest[row.ent] = max(tr.latest[row.ent], row.t)
	tr.rows = append(tr.rows, row)
	rd.Use()
}

// entity returns an entity's id, adding it if new.
func (tr *touchReader) entity(name string) int32 {
	if name == tr.lastName && len(tr.latest) > 0 {
		return tr.lastID // logs list an entity's rows together
	}
	id, ok := tr.ents[name]
	if !ok {
		id = int32(len(tr.latest))
		name = strings.Clone(name)
		tr.ents[name] = id
		tr.latest = append(tr.latest, minTime)
	}
	tr.lastName, tr.lastID = name, id
	return id
}

// minTime is below every time a row can have.
const minTime = -1 << 63

// channel returns the current row's channel id, or −1 for none: a
// conversion with no channel, source, medium or campaign is no touch.
func (tr *touchReader) channel(conv bool) int32 {
	rd := tr.rd
	if name := rd.Field(tChannel); name != "" {
		return tr.intern(name)
	}
	if !rd.Has(tSource) && !rd.Has(tMedium) {
		return -1
	}
	key := [3]string{rd.Field(tSource), rd.Field(tMedium), rd.Field(tCampaign)}
	if (conv || rd.Has(tChannel)) && key == ([3]string{}) {
		return -1 // an empty channel, and nothing to group
	}
	g, ok := tr.utm[key]
	if !ok {
		name, matched := tr.grouping.Channel(key[0], key[1], key[2])
		g = grouped{id: tr.intern(name), matched: matched}
		if len(tr.utm) < 1<<16 {
			tr.utm[[3]string{strings.Clone(key[0]), strings.Clone(key[1]), strings.Clone(key[2])}] = g
		}
	}
	if !g.matched {
		rd.Unmapped(key[0] + " / " + key[1])
	}
	return g.id
}

// grouped is a remembered result of the grouping.
type grouped struct {
	id      int32
	matched bool
}

// intern returns a channel name's id, adding it if new.
func (tr *touchReader) intern(name string) int32 {
	id, ok := tr.chans[name]
	if !ok {
		id = int32(len(tr.names))
		name = strings.Clone(name)
		tr.chans[name] = id
		tr.names = append(tr.names, name)
	}
	return id
}

// journeys sorts the rows by entity and time and builds the journeys.
func (tr *touchReader) journeys(js *Journeys) {
	order := func(a, b touchRow) int {
		if c := cmp.Compare(a.ent, b.ent); c != 0 {
			return c
		}
		if c := cmp.Compare(a.t, b.t); c != 0 {
			return c
		}
		// Pure touches, then converting touches, then pure conversions.
		return cmp.Compare(kind(a), kind(b))
	}
	if !slices.IsSortedFunc(tr.rows, order) {
		slices.SortStableFunc(tr.rows, order)
	}
	var pending, left []Touch
	for i := 0; i < len(tr.rows); {
		j := i
		for j < len(tr.rows) && tr.rows[j].ent == tr.rows[i].ent {
			j++
		}
		pending, left = tr.entityJourneys(js, tr.rows[i:j], pending[:0], left[:0])
		i = j
	}
}

func kind(r touchRow) int {
	switch {
	case r.conv < 0:
		return 0
	case r.ch >= 0:
		return 1
	}
	return 2
}

// entityJourneys adds one entity's journeys; pending and left are
// scratch.
func (tr *touchReader) entityJourneys(js *Journeys, rows []touchRow, pending, left []Touch) ([]Touch, []Touch) {
	for k, r := range rows {
		if k > 0 && r.t == rows[k-1].t && r.ch == rows[k-1].ch && (r.conv < 0) == (rows[k-1].conv < 0) {
			tr.rd.Health.Duplicates++
			continue
		}
		if r.ch >= 0 {
			pending = append(pending, Touch{Channel: tr.names[r.ch], Time: time.Unix(0, r.t).UTC()})
		}
		if r.conv < 0 {
			continue
		}
		from := time.Unix(0, r.t).Add(-tr.c.Lookback)
		cut := 0
		for cut < len(pending) && pending[cut].Time.Before(from) {
			cut++
		}
		left = append(left, pending[:cut]...)
		c := tr.convs[r.conv]
		if cut == len(pending) {
			tr.rd.RejectAt(c.line, tConversion, "yes", "conversion with no touch in the lookback window")
		} else if err := js.Add(Journey{Touches: pending[cut:], Conversions: 1, Value: c.value}); err != nil {
			tr.rd.RejectAt(c.line, tValue, c.value.String(), err.Error())
		}
		pending = pending[:0]
	}
	left = append(left, pending...)
	if len(left) > 0 {
		// Touches are validated channel names and counts are small:
		// this Add cannot fail.
		_ = js.Add(Journey{Touches: left, Nulls: 1})
	}
	return pending[:0], left[:0]
}
