package attribution

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/internal/crmcsv"
	"github.com/kpiflow/kpi/internal/errs"
	"github.com/kpiflow/kpi/internal/intern"
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

// touchRow is one used row: a touch of channel x (x ≥ 0) or conversion
// ^x (x < 0), which may be a touch too (see conversion.ch).
type touchRow struct {
	t   int64
	ent int32
	x   int32
}

// conversion is a conversion row: its line, its channel (−1 for none) and
// its value, m·10^−scale, or touchReader.slow's when crmcsv.Fixed could
// not read it.
type conversion struct {
	line  int64
	m     int64
	ch    int32
	scale uint8
}

// touchReader holds the state of ReadTouches.
type touchReader struct {
	rd       *crmcsv.Reader
	f        [tValue + 1][]byte // the current row's fields, by role
	c        TouchLog
	grouping *Grouping
	ents     intern.Names
	latest   []int64 // per entity, its latest row's time; nil while the rows are sorted
	chans    intern.Names
	utm      map[string]*grouped // by utmKey
	key      []byte              // utmKey's scratch
	recent   [64]*grouped        // the UTM triples met last, looked up before utm
	rows     [][]touchRow        // blocks of rowBlock rows, filled in turn
	n        int                 // rows in all
	prev     touchRow            // the row pushed last
	unsorted bool                // a row came before the one read before it
	convs    []conversion
	slow     map[int32]decimal.Decimal // by index in convs: values Fixed could not read
}

// rowBlock is the number of rows in a block of touchReader.rows, which
// grows without copying.
const rowBlock = 1 << 12

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
// cannot be parsed or outside the years kpi.MinYear to kpi.MaxYear, a Conversion that
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
// A log may name any number of channels, and the rule models credit them
// all; the Markov models take at most MaxChannels and refuse more with an
// error naming the count (group the channels with a Grouping).
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
	tr := &touchReader{rd: rd, c: c, grouping: c.Grouping, utm: map[string]*grouped{}}
	if tr.grouping == nil {
		tr.grouping = DefaultGrouping()
	}
	for rd.Next() {
		tr.row()
	}
	if err := rd.Err(); err != nil {
		return nil, nil, err
	}
	// The entities' names and latest times served the reading; drop them
	// before the journeys are made, so that they and the journeys are not
	// held at once.
	entities := tr.ents.Len()
	tr.ents, tr.latest = intern.Names{}, nil
	js := &Journeys{}
	tr.journeys(js, entities)
	return js, rd.Finish(), nil
}

// row reads the current row, or rejects it.
func (tr *touchReader) row() {
	rd := tr.rd
	rd.Fields(tr.f[:])
	entity := tr.f[tEntity]
	if len(entity) == 0 {
		rd.Reject(tEntity, "empty entity")
		return
	}
	t, why := crmcsv.Time(tr.f[tTime], tr.c.Location)
	if why != "" {
		rd.Reject(tTime, why)
		return
	}
	conv, ok := crmcsv.Flag(tr.f[tConversion])
	if !ok {
		rd.Reject(tConversion, "not yes or no")
		return
	}
	c := conversion{line: rd.Line()}
	var slow decimal.Decimal
	isSlow := false
	if v := tr.f[tValue]; len(v) > 0 {
		if !conv {
			rd.Reject(tValue, "value on a row that is not a conversion")
			return
		}
		if c.m, c.scale, ok = crmcsv.Fixed(v); !ok {
			isSlow = true
			if slow, why = crmcsv.Amount(string(v)); why == "" && slow.Sign() < 0 {
				why = "negative value"
			}
			if why != "" {
				rd.Reject(tValue, why)
				return
			}
		}
	}
	ch := tr.channel(conv)
	if ch < 0 && !conv {
		rd.Reject(tChannel, "no channel, source or medium")
		return
	}
	id, _ := tr.ents.IDBytes(entity)
	row := touchRow{t: t.UnixNano(), ent: id, x: ch}
	if conv {
		c.ch = ch
		k := int32(len(tr.convs))
		row.x = ^k
		tr.convs = append(room(tr.convs), c)
		if isSlow {
			if tr.slow == nil {
				tr.slow = map[int32]decimal.Decimal{}
			}
			tr.slow[k] = slow
		}
	}
	tr.push(row)
	rd.Use()
}

// push keeps a row, noting whether the rows are still in order and, once
// they are not, counting the rows out of order. While they are in order,
// no row is earlier than its entity's previous one, which is the row
// before it or none; at the first row out of order the latest time of
// every entity is taken from the rows kept.
func (tr *touchReader) push(row touchRow) {
	if tr.n > 0 && !tr.unsorted && tr.order(row, tr.prev) < 0 {
		tr.unsorted = true
		tr.latest = make([]int64, tr.ents.Len())
		for i := range tr.latest {
			tr.latest[i] = minTime
		}
		for _, blk := range tr.rows {
			for _, r := range blk {
				tr.latest[r.ent] = max(tr.latest[r.ent], r.t)
			}
		}
	}
	if tr.unsorted {
		if int(row.ent) == len(tr.latest) {
			tr.latest = append(room(tr.latest), minTime) // a new entity
		}
		if row.t < tr.latest[row.ent] {
			tr.rd.Health.OutOfOrder++
		}
		tr.latest[row.ent] = max(tr.latest[row.ent], row.t)
	}
	if tr.n%rowBlock == 0 {
		tr.rows = append(tr.rows, make([]touchRow, 0, rowBlock))
	}
	last := &tr.rows[len(tr.rows)-1]
	*last = append(*last, row)
	tr.prev = row
	tr.n++
}

// order sorts rows by entity and time, and at one time pure touches, then
// converting touches, then pure conversions.
func (tr *touchReader) order(a, b touchRow) int {
	if c := cmp.Compare(a.ent, b.ent); c != 0 {
		return c
	}
	if c := cmp.Compare(a.t, b.t); c != 0 {
		return c
	}
	return cmp.Compare(tr.kind(a), tr.kind(b))
}

// minTime is below every time a row can have.
const minTime = -1 << 63

// channel returns the current row's channel id, or −1 for none: a
// conversion with no channel, source, medium or campaign is no touch, and
// neither is a touch grouped into a blank channel (the zero Grouping's).
func (tr *touchReader) channel(conv bool) int32 {
	rd := tr.rd
	if name := tr.f[tChannel]; len(name) > 0 {
		id, _ := tr.chans.IDBytes(name)
		return id
	}
	if !rd.Has(tSource) && !rd.Has(tMedium) {
		return -1
	}
	src, med, camp := tr.f[tSource], tr.f[tMedium], tr.f[tCampaign]
	if (conv || rd.Has(tChannel)) && len(src)+len(med)+len(camp) == 0 {
		return -1 // an empty channel, and nothing to group
	}
	g := tr.group(src, med, camp)
	if !g.matched && g.id >= 0 {
		if g.label == "" {
			g.label = string(src) + " / " + string(med)
		}
		rd.Unmapped(g.label)
	}
	return g.id
}

// group returns the grouping of a UTM triple, evaluating the rules once
// per distinct triple (up to 1<<16 of them; beyond, once per row): a
// triple met recently is found in a small cache by its fields' lengths and
// end bytes, compared field by field, before it is looked up in the map.
func (tr *touchReader) group(src, med, camp []byte) *grouped {
	h := uint(len(src))*5 + uint(len(med))*3 + uint(len(camp))
	if len(src) > 0 {
		h += uint(src[len(src)-1]) * 7
	}
	if len(med) > 0 {
		h += uint(med[len(med)-1]) * 11
	}
	slot := &tr.recent[h%uint(len(tr.recent))]
	if g := *slot; g != nil && g.src == string(src) && g.med == string(med) && g.camp == string(camp) {
		return g
	}
	tr.key = utmKey(tr.key[:0], src, med, camp)
	if g, ok := tr.utm[string(tr.key)]; ok {
		*slot = g
		return g
	}
	name, matched := tr.grouping.Channel(string(src), string(med), string(camp))
	g := &grouped{id: -1, matched: matched}
	if strings.TrimSpace(name) != "" {
		g.id, _ = tr.chans.ID(name)
	}
	if len(tr.utm) >= 1<<16 {
		return g
	}
	key := string(tr.key)
	g.src, g.med, g.camp = string(src), string(med), string(camp)
	if !matched {
		g.label = string(src) + " / " + string(med)
	}
	tr.utm[key], *slot = g, g
	return g
}

// utmKey appends the source, medium and campaign to dst, each after its
// length, so that no two triples share a key.
func utmKey(dst, src, med, camp []byte) []byte {
	for _, v := range [3][]byte{src, med, camp} {
		dst = binary.AppendUvarint(dst, uint64(len(v)))
		dst = append(dst, v...)
	}
	return dst
}

// grouped is a remembered result of the grouping of a UTM triple: the
// channel id (−1 for none), whether a rule matched, and the triple with
// its label in the health report when none did.
type grouped struct {
	id                    int32
	matched               bool
	src, med, camp, label string
}

// journeys sorts the rows by entity and time, unless they came in order,
// and builds the journeys of the entities.
func (tr *touchReader) journeys(js *Journeys, entities int) {
	blocks := tr.rows
	tr.rows = nil
	if tr.unsorted {
		all := make([]touchRow, 0, tr.n)
		for _, b := range blocks {
			all = append(all, b...)
		}
		blocks = [][]touchRow{all}
		slices.SortStableFunc(all, tr.order)
	}
	// At most one journey per conversion and one per entity.
	n := len(tr.convs) + entities
	js.off = make([]int, 0, n+1)
	js.conv, js.nulls, js.valM = make([]int64, 0, n), make([]int64, 0, n), make([]int64, 0, n)
	js.valS = make([]uint8, 0, n)
	b := builder{tr: tr, js: js, ids: make([]int32, tr.chans.Len())}
	for i := range b.ids {
		b.ids[i] = -1
	}
	var run []touchRow // an entity's rows across blocks
	for k, blk := range blocks {
		blocks[k] = nil // for the collector, once read
		i := 0
		if len(run) > 0 {
			for i < len(blk) && blk[i].ent == run[0].ent {
				i++
			}
			run = append(run, blk[:i]...)
			if i == len(blk) {
				continue
			}
			b.entity(run)
			run = run[:0]
		}
		for i < len(blk) {
			j := i
			for j < len(blk) && blk[j].ent == blk[i].ent {
				j++
			}
			if j == len(blk) {
				run = append(run, blk[i:]...)
				break
			}
			b.entity(blk[i:j])
			i = j
		}
	}
	if len(run) > 0 {
		b.entity(run)
	}
}

// kind orders a pure touch (0) before a converting touch (1) before a
// pure conversion (2).
func (tr *touchReader) kind(r touchRow) int {
	switch {
	case r.x >= 0:
		return 0
	case tr.convs[^r.x].ch >= 0:
		return 1
	}
	return 2
}

// touch returns a row's channel, or −1 for a pure conversion.
func (tr *touchReader) touch(r touchRow) int32 {
	if r.x >= 0 {
		return r.x
	}
	return tr.convs[^r.x].ch
}

// builder writes the journeys of sorted rows straight into a Journeys,
// without a Touch per touch: the rows were checked as Journeys.Add checks
// journeys (non-blank channel names, times in the library's range, values
// split as splitValue splits them).
type builder struct {
	tr            *touchReader
	js            *Journeys
	ids           []int32 // the reader's channel ids → js's, −1 until met
	pending, left []touchRow
}

// entity adds one entity's journeys.
func (b *builder) entity(rows []touchRow) {
	tr := b.tr
	b.pending, b.left = b.pending[:0], b.left[:0]
	for k, r := range rows {
		if k > 0 && r.t == rows[k-1].t && tr.touch(r) == tr.touch(rows[k-1]) && (r.x < 0) == (rows[k-1].x < 0) {
			tr.rd.Health.Duplicates++
			continue
		}
		if tr.touch(r) >= 0 {
			b.pending = append(b.pending, r)
		}
		if r.x >= 0 {
			continue
		}
		from := r.t - int64(tr.c.Lookback)
		if from > r.t {
			from = minTime // the window reaches before any time
		}
		cut := 0
		for cut < len(b.pending) && b.pending[cut].t < from {
			cut++
		}
		b.left = append(b.left, b.pending[:cut]...)
		if cut == len(b.pending) {
			tr.rd.RejectAt(tr.convs[^r.x].line, tConversion, "yes", "conversion with no touch in the lookback window")
		} else {
			b.convert(b.pending[cut:], ^r.x)
		}
		b.pending = b.pending[:0]
	}
	b.left = append(b.left, b.pending...)
	if len(b.left) > 0 {
		b.path(b.left)
		b.js.push(0, 1, 0, 0, false, decimal.Zero)
	}
}

// convert adds the journey of one conversion, or rejects the conversion
// for a value Journeys.Add would reject (a long one read by Amount).
func (b *builder) convert(touches []touchRow, k int32) {
	c := b.tr.convs[k]
	m, scale, big, v := c.m, c.scale, false, decimal.Zero
	if slow, ok := b.tr.slow[k]; ok {
		var fe *fieldErr
		if m, scale, big, fe = splitValue(slow); fe != nil {
			err := errs.Invalid("attribution.Journeys.Add", fmt.Sprintf("journey %d %s", b.js.Len(), fe.arg), fe.value, fe.reason)
			b.tr.rd.RejectAt(c.line, tValue, slow.String(), err.Error())
			return
		}
		v = slow
	}
	b.path(touches)
	b.js.push(1, 0, m, scale, big, v)
}

// path appends the touches of one journey.
func (b *builder) path(touches []touchRow) {
	js := b.js
	if js.times == nil {
		js.ch = slices.Grow(js.ch, b.tr.n)
		js.times = make([]int64, len(js.ch), b.tr.n)
	}
	for _, r := range touches {
		ch := b.tr.touch(r)
		if b.ids[ch] < 0 {
			b.ids[ch] = js.intern(b.tr.chans.Name(ch))
		}
		js.ch = append(js.ch, b.ids[ch])
		js.times = append(js.times, r.t)
	}
}
