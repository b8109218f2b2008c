package cohort

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/internal/errs"
	"github.com/kpiflow/kpi/internal/jsonx"
)

// MarshalText returns "month", "quarter" or "week". An unknown value is an
// error wrapping kpi.ErrInvalid.
func (g Grain) MarshalText() ([]byte, error) {
	if !g.valid() {
		return nil, errs.Invalid("cohort.Grain.MarshalText", "grain", int(g), "unknown grain")
	}
	return []byte(g.String()), nil
}

// UnmarshalText reads "month", "quarter" or "week".
func (g *Grain) UnmarshalText(text []byte) error {
	for v := Month; v <= Week; v++ {
		if string(text) == v.String() {
			*g = v
			return nil
		}
	}
	return errs.Invalid("cohort.Grain.UnmarshalText", "grain", fmt.Sprintf("%q", text), "unknown grain")
}

// sbgJSON is the wire form of an SBG.
type sbgJSON struct {
	Alpha *float64 `json:"alpha"`
	Beta  *float64 `json:"beta"`
}

// MarshalJSON writes the model's parameters, {"alpha": 0.67, "beta": 3.8};
// the zero SBG, which has none, writes nulls.
func (m SBG) MarshalJSON() ([]byte, error) {
	w := sbgJSON{}
	if m.alpha > 0 {
		w.Alpha, w.Beta = jsonx.Float(m.alpha), jsonx.Float(m.beta)
	}
	return json.Marshal(w)
}

// UnmarshalJSON reads a model as MarshalJSON writes it and checks its
// parameters as NewSBG does, so that a fitted model can be stored and
// loaded without refitting. Decoding is strict: unknown keys are errors.
// Errors are *kpi.Error values wrapping kpi.ErrInvalid.
func (m *SBG) UnmarshalJSON(data []byte) error {
	const fn = "cohort.SBG.UnmarshalJSON"
	var w sbgJSON
	if err := jsonx.Decode(fn, data, &w); err != nil {
		return err
	}
	if w.Alpha == nil || w.Beta == nil {
		return errs.Invalid(fn, "alpha, beta", "missing", "both are required")
	}
	v, err := NewSBG(*w.Alpha, *w.Beta)
	if err != nil {
		return err
	}
	*m = v
	return nil
}

// MarshalJSON writes the table as its fields' JSON keys write it,
//
//	{"grain": "month", "through": "2026-03-01T00:00:00Z",
//	 "cohorts": [{"start", "size", "cells": [{"active", "survivors",
//	 "revenue": "1200", "movement": Movement}]}]}
//
// in one pass, without the work encoding/json does around each amount of
// money. Errors wrapping kpi.ErrInvalid, for what no table of Builder
// holds: an unknown Grain, and an amount beyond the library's bound on
// money (30 digits before the point, 18 after it), found in time linear in
// the cells before anything is written, the error naming the cell and
// quoting the amount short.
func (t *Table) MarshalJSON() ([]byte, error) {
	grain, err := t.Grain.MarshalText()
	if err != nil {
		return nil, err
	}
	if err := t.checkMoney("cohort.Table.MarshalJSON"); err != nil {
		return nil, err
	}
	cells := 0
	for _, c := range t.Cohorts {
		cells += len(c.Cells)
	}
	b := make([]byte, 0, 96+64*len(t.Cohorts)+256*cells)
	b = append(b, `{"grain":`...)
	b = jsonx.AppendString(b, string(grain))
	b = append(b, `,"through":`...)
	b = jsonx.AppendTime(b, t.Through)
	b = append(b, `,"cohorts":`...)
	if t.Cohorts == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, c := range t.Cohorts {
			if i > 0 {
				b = append(b, ',')
			}
			b = c.appendJSON(b)
		}
		b = append(b, ']')
	}
	return append(b, '}'), nil
}

// UnmarshalJSON reads a table as MarshalJSON writes it, so that a table
// can be stored and loaded without its transactions. Decoding is strict:
// unknown keys are errors. Errors are *kpi.Error values wrapping
// kpi.ErrInvalid that name the key path, such as
// cohorts[0].cells[2].movement.churn: an unknown grain, and an amount
// beyond the library's bound on money (30 digits before the point, 18
// after it), such as 1e1000000000, or a text of one longer than 64 bytes,
// refused before it is parsed out. The counts and dates are read as they
// are, as in a table built by hand: the methods check what they use.
func (t *Table) UnmarshalJSON(data []byte) error {
	var w struct {
		Grain   Grain     `json:"grain"`
		Through time.Time `json:"through"`
		Cohorts []struct {
			Start time.Time `json:"start"`
			Size  int64     `json:"size"`
			Cells []struct {
				Active    int64        `json:"active"`
				Survivors int64        `json:"survivors"`
				Revenue   jsonx.Money  `json:"revenue"`
				Movement  movementJSON `json:"movement"`
			} `json:"cells"`
		} `json:"cohorts"`
	}
	if err := jsonx.Decode("cohort.Table.UnmarshalJSON", data, &w); err != nil {
		return err
	}
	v := Table{Grain: w.Grain, Through: w.Through}
	if w.Cohorts != nil {
		v.Cohorts = make([]Cohort, len(w.Cohorts))
	}
	for i, c := range w.Cohorts {
		v.Cohorts[i] = Cohort{Start: c.Start, Size: c.Size}
		if c.Cells != nil {
			v.Cohorts[i].Cells = make([]Cell, len(c.Cells))
		}
		for a, cell := range c.Cells {
			v.Cohorts[i].Cells[a] = Cell{Active: cell.Active, Survivors: cell.Survivors,
				Revenue: decimal.Decimal(cell.Revenue), Movement: cell.Movement.movement()}
		}
	}
	*t = v
	return nil
}

// movementJSON is Movement's wire form, its amounts bounded as they are
// decoded.
type movementJSON struct {
	Opening         jsonx.Money `json:"opening"`
	New             jsonx.Money `json:"new"`
	Expansion       jsonx.Money `json:"expansion"`
	Reactivation    jsonx.Money `json:"reactivation"`
	Contraction     jsonx.Money `json:"contraction"`
	Churn           jsonx.Money `json:"churn"`
	OpeningAccounts int64       `json:"openingAccounts"`
	NewAccounts     int64       `json:"newAccounts"`
	Reactivated     int64       `json:"reactivated"`
	Churned         int64       `json:"churned"`
}

func (m movementJSON) movement() Movement {
	return Movement{Opening: decimal.Decimal(m.Opening), New: decimal.Decimal(m.New), Expansion: decimal.Decimal(m.Expansion),
		Reactivation: decimal.Decimal(m.Reactivation), Contraction: decimal.Decimal(m.Contraction), Churn: decimal.Decimal(m.Churn),
		OpeningAccounts: m.OpeningAccounts, NewAccounts: m.NewAccounts, Reactivated: m.Reactivated, Churned: m.Churned}
}

// appendJSON appends the cohort as encoding/json writes it from its tags.
func (c Cohort) appendJSON(b []byte) []byte {
	b = append(b, `{"start":`...)
	b = jsonx.AppendTime(b, c.Start)
	b = append(b, `,"size":`...)
	b = strconv.AppendInt(b, c.Size, 10)
	b = append(b, `,"cells":`...)
	if c.Cells == nil {
		return append(b, "null}"...)
	}
	b = append(b, '[')
	for i, cell := range c.Cells {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"active":`...)
		b = strconv.AppendInt(b, cell.Active, 10)
		b = append(b, `,"survivors":`...)
		b = strconv.AppendInt(b, cell.Survivors, 10)
		b = append(b, `,"revenue":`...)
		b = jsonx.AppendDecimal(b, cell.Revenue)
		b = append(b, `,"movement":`...)
		b = cell.Movement.appendJSON(b)
		b = append(b, '}')
	}
	return append(b, "]}"...)
}

// appendJSON appends the movement as encoding/json writes it from its
// tags.
func (m Movement) appendJSON(b []byte) []byte {
	b = append(b, `{"opening":`...)
	b = jsonx.AppendDecimal(b, m.Opening)
	b = append(b, `,"new":`...)
	b = jsonx.AppendDecimal(b, m.New)
	b = append(b, `,"expansion":`...)
	b = jsonx.AppendDecimal(b, m.Expansion)
	b = append(b, `,"reactivation":`...)
	b = jsonx.AppendDecimal(b, m.Reactivation)
	b = append(b, `,"contraction":`...)
	b = jsonx.AppendDecimal(b, m.Contraction)
	b = append(b, `,"churn":`...)
	b = jsonx.AppendDecimal(b, m.Churn)
	b = append(b, `,"openingAccounts":`...)
	b = strconv.AppendInt(b, m.OpeningAccounts, 10)
	b = append(b, `,"newAccounts":`...)
	b = strconv.AppendInt(b, m.NewAccounts, 10)
	b = append(b, `,"reactivated":`...)
	b = strconv.AppendInt(b, m.Reactivated, 10)
	b = append(b, `,"churned":`...)
	b = strconv.AppendInt(b, m.Churned, 10)
	return append(b, '}')
}

// UnmarshalJSON reads a projection as encoding/json writes it from the
// field tags, so that a projection can be stored and loaded:
//
//	{"start": "2024-01-01T00:00:00Z", "observed": 4,
//	 "survivors": [1000, 640, 492, 397, 335.2], "retention": [1, 0.64,
//	 0.492, 0.397, 0.3352], "ltv": "512.254321"}
//
// The counts are read as they are, as in a projection built by hand.
// Decoding is strict: unknown keys are errors. Errors are *kpi.Error
// values wrapping kpi.ErrInvalid; an LTV beyond the library's bound on
// money (30 digits before the point, 18 after it), such as 1e1000000000,
// or a text of one longer than 64 bytes, is refused before it is parsed
// out, the error naming the key ltv and quoting it short.
func (p *Projection) UnmarshalJSON(data []byte) error {
	var w struct { // Projection's keys, with the LTV bounded as it is decoded
		Start     time.Time   `json:"start"`
		Observed  int         `json:"observed"`
		Survivors []float64   `json:"survivors"`
		Retention []float64   `json:"retention"`
		LTV       jsonx.Money `json:"ltv"`
	}
	if err := jsonx.Decode("cohort.Projection.UnmarshalJSON", data, &w); err != nil {
		return err
	}
	*p = Projection{Start: w.Start, Observed: w.Observed, Survivors: w.Survivors, Retention: w.Retention, LTV: decimal.Decimal(w.LTV)}
	return nil
}

// UnmarshalJSON reads a band as encoding/json writes it from the field
// tags, its projection as Projection.UnmarshalJSON reads one and its LTV
// as kpi.MoneyInterval.UnmarshalJSON does. Decoding is strict: unknown
// keys are errors. Errors are *kpi.Error values wrapping kpi.ErrInvalid
// that name the key path, such as projection.ltv or ltv.hi; an amount
// beyond the library's bound on money, or a text of one longer than 64
// bytes, is refused before it is parsed out.
func (b *Band) UnmarshalJSON(data []byte) error {
	var w struct { // Band's keys, without this method
		Projection Projection        `json:"projection"`
		Survivors  []kpi.Interval    `json:"survivors"`
		Retention  []kpi.Interval    `json:"retention"`
		LTV        kpi.MoneyInterval `json:"ltv"`
	}
	if err := jsonx.Decode("cohort.Band.UnmarshalJSON", data, &w); err != nil {
		return err
	}
	*b = Band(w)
	return nil
}
