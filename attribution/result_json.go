package attribution

import (
	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi/internal/jsonx"
)

// The results' JSON forms are what encoding/json writes from the field
// tags; they are read back through the wire structs below, which bound
// every amount of money as it is decoded (jsonx.Money) and let one strict
// decoder walk the whole document, so that an error names its key path,
// such as credits[2].value, and a result of any size costs one pass.

// creditJSON is Credit's keys, with the value bounded as it is decoded.
type creditJSON struct {
	Channel      string          `json:"channel"`
	Conversions  float64         `json:"conversions"`
	Value        jsonx.Money     `json:"value"`
	Removal      float64         `json:"removal"`
	ValueRemoval float64         `json:"valueRemoval"`
	Positions    []float64       `json:"positions"`
	Interval     *CreditInterval `json:"interval"`
}

func (w *creditJSON) credit() Credit {
	return Credit{Channel: w.Channel, Conversions: w.Conversions, Value: decimal.Decimal(w.Value),
		Removal: w.Removal, ValueRemoval: w.ValueRemoval, Positions: w.Positions, Interval: w.Interval}
}

// UnmarshalJSON reads a credit as encoding/json writes it from the field
// tags,
//
//	{"channel": "search", "conversions": 1.5, "value": "24000",
//	 "removal": 0, "valueRemoval": 0, "positions": null, "interval": null}
//
// with the value a decimal string (or number). The numbers are read as
// they are, as in a credit built by hand. Decoding is strict: unknown keys
// are errors. Errors are *kpi.Error values wrapping kpi.ErrInvalid; an
// amount beyond the library's bound on money (30 digits before the point,
// 18 after it), such as 1e1000000000, or a text of one longer than 64
// bytes, is refused before it is parsed out, the error naming its key path,
// such as interval.value.hi, and quoting it short.
func (c *Credit) UnmarshalJSON(data []byte) error {
	var w creditJSON
	if err := jsonx.Decode("attribution.Credit.UnmarshalJSON", data, &w); err != nil {
		return err
	}
	*c = w.credit()
	return nil
}

// UnmarshalJSON reads a result as encoding/json writes it from the field
// tags, so that a result can be stored and loaded:
//
//	{"model": "last touch", "credits": [Credit, …], "conversions": 5,
//	 "value": "470.5", "conversion": 0, "replicates": 0}
//
// with money as decimal strings (or numbers) and each credit as
// Credit.UnmarshalJSON reads it. The numbers are read as they are, as in a
// result built by hand. A loaded result keeps its Replicates count and its
// credits' intervals but not the bootstrap replicates themselves, so its
// ProbGreater reports kpi.ErrUndefined. Decoding is strict: unknown keys
// are errors. Errors are *kpi.Error values wrapping kpi.ErrInvalid; an
// amount beyond the library's bound on money (30 digits before the point,
// 18 after it), or a text of one longer than 64 bytes, is refused before
// it is parsed out, the error naming its key path, such as
// credits[1].value, and quoting it short.
func (r *Result) UnmarshalJSON(data []byte) error {
	var w struct {
		Model       string       `json:"model"`
		Credits     []creditJSON `json:"credits"`
		Conversions int64        `json:"conversions"`
		Value       jsonx.Money  `json:"value"`
		Conversion  float64      `json:"conversion"`
		Replicates  int          `json:"replicates"`
	}
	if err := jsonx.Decode("attribution.Result.UnmarshalJSON", data, &w); err != nil {
		return err
	}
	v := Result{Model: w.Model, Conversions: w.Conversions, Value: decimal.Decimal(w.Value),
		Conversion: w.Conversion, Replicates: w.Replicates}
	if w.Credits != nil {
		v.Credits = make([]Credit, len(w.Credits))
	}
	for i := range w.Credits {
		v.Credits[i] = w.Credits[i].credit()
	}
	*r = v
	return nil
}

// cellJSON is Cell's keys, with the value bounded as it is decoded.
type cellJSON struct {
	Conversions float64         `json:"conversions"`
	Value       jsonx.Money     `json:"value"`
	Share       float64         `json:"share"`
	Interval    *CreditInterval `json:"interval"`
}

func (w *cellJSON) cell() Cell {
	return Cell{Conversions: w.Conversions, Value: decimal.Decimal(w.Value), Share: w.Share, Interval: w.Interval}
}

// UnmarshalJSON reads a cell as encoding/json writes it from the field
// tags, {"conversions": 3, "value": "320", "share": 0.6, "interval":
// null}, with the value a decimal string (or number), read as it is.
// Decoding is strict: unknown keys are errors. Errors are *kpi.Error
// values wrapping kpi.ErrInvalid; an amount beyond the library's bound on
// money (30 digits before the point, 18 after it), or a text of one longer
// than 64 bytes, is refused before it is parsed out, the error naming its
// key path and quoting it short.
func (c *Cell) UnmarshalJSON(data []byte) error {
	var w cellJSON
	if err := jsonx.Decode("attribution.Cell.UnmarshalJSON", data, &w); err != nil {
		return err
	}
	*c = w.cell()
	return nil
}

// UnmarshalJSON reads a table as encoding/json writes it from the field
// tags,
//
//	{"channels": ["direct", "email"], "models": ["last touch", "linear"],
//	 "cells": [[Cell, Cell], [Cell, Cell]]}
//
// with each cell as Cell.UnmarshalJSON reads it. The shape is read as it
// is, as in a table built by hand: rows and columns are not checked
// against the channels and models. Decoding is strict: unknown keys are
// errors. Errors are *kpi.Error values wrapping kpi.ErrInvalid, an amount
// of money out of bounds named by its key path, such as cells[1][0].value.
func (t *Table) UnmarshalJSON(data []byte) error {
	var w struct {
		Channels []string     `json:"channels"`
		Models   []string     `json:"models"`
		Cells    [][]cellJSON `json:"cells"`
	}
	if err := jsonx.Decode("attribution.Table.UnmarshalJSON", data, &w); err != nil {
		return err
	}
	v := Table{Channels: w.Channels, Models: w.Models}
	if w.Cells != nil {
		v.Cells = make([][]Cell, len(w.Cells))
	}
	for i, row := range w.Cells {
		if row != nil {
			v.Cells[i] = make([]Cell, len(row))
		}
		for j := range row {
			v.Cells[i][j] = row[j].cell()
		}
	}
	*t = v
	return nil
}

// UnmarshalJSON reads a row as encoding/json writes it from the field
// tags,
//
//	{"channel": "search", "spend": "12000", "conversions": 3,
//	 "value": "11500", "costPerConversion": "4000",
//	 "returnOnSpend": "0.9583", "creditShare": 0.6, "spendShare": 1}
//
// with money as decimal strings (or numbers) and null (or a missing key)
// for an undefined cost per conversion or return on spend, which is then
// not Valid. The numbers are read as they are, as in a row built by hand.
// Decoding is strict: unknown keys are errors. Errors are *kpi.Error
// values wrapping kpi.ErrInvalid; an amount beyond the library's bound on
// money (30 digits before the point, 18 after it), or a text of one longer
// than 64 bytes, is refused before it is parsed out, the error naming its
// key and quoting it short.
func (r *ROI) UnmarshalJSON(data []byte) error {
	var w struct {
		Channel           string       `json:"channel"`
		Spend             jsonx.Money  `json:"spend"`
		Conversions       float64      `json:"conversions"`
		Value             jsonx.Money  `json:"value"`
		CostPerConversion *jsonx.Money `json:"costPerConversion"`
		ReturnOnSpend     *jsonx.Money `json:"returnOnSpend"`
		CreditShare       float64      `json:"creditShare"`
		SpendShare        float64      `json:"spendShare"`
	}
	if err := jsonx.Decode("attribution.ROI.UnmarshalJSON", data, &w); err != nil {
		return err
	}
	v := ROI{Channel: w.Channel, Spend: decimal.Decimal(w.Spend), Conversions: w.Conversions,
		Value: decimal.Decimal(w.Value), CreditShare: w.CreditShare, SpendShare: w.SpendShare}
	if w.CostPerConversion != nil {
		v.CostPerConversion = decimal.NewNullDecimal(decimal.Decimal(*w.CostPerConversion))
	}
	if w.ReturnOnSpend != nil {
		v.ReturnOnSpend = decimal.NewNullDecimal(decimal.Decimal(*w.ReturnOnSpend))
	}
	*r = v
	return nil
}
