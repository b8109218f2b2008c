package clv

import (
	"encoding/json"

	"github.com/kpiflow/kpi/internal/errs"
	"github.com/kpiflow/kpi/internal/jsonx"
)

// bgnbdJSON is the wire form of a BGNBD.
type bgnbdJSON struct {
	R     *float64 `json:"r"`
	Alpha *float64 `json:"alpha"`
	A     *float64 `json:"a"`
	B     *float64 `json:"b"`
}

// MarshalJSON writes the model's parameters,
//
//	{"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
//
// and nulls for the zero BGNBD, which has none.
func (m BGNBD) MarshalJSON() ([]byte, error) {
	var w bgnbdJSON
	if m.r > 0 {
		w = bgnbdJSON{R: jsonx.Float(m.r), Alpha: jsonx.Float(m.alpha), A: jsonx.Float(m.a), B: jsonx.Float(m.b)}
	}
	return json.Marshal(w)
}

// UnmarshalJSON reads a model as MarshalJSON writes it and checks it as
// NewBGNBD does, so that a fitted model can be stored and loaded without
// refitting. Decoding is strict: unknown keys are errors. Errors are
// *kpi.Error values wrapping kpi.ErrInvalid.
func (m *BGNBD) UnmarshalJSON(data []byte) error {
	const fn = "clv.BGNBD.UnmarshalJSON"
	var w bgnbdJSON
	if err := jsonx.Decode(fn, data, &w); err != nil {
		return err
	}
	if w.R == nil || w.Alpha == nil || w.A == nil || w.B == nil {
		return errs.Invalid(fn, "r, alpha, a, b", "missing", "all four are required")
	}
	v, err := NewBGNBD(*w.R, *w.Alpha, *w.A, *w.B)
	if err != nil {
		return err
	}
	*m = v
	return nil
}

// gammaGammaJSON is the wire form of a GammaGamma.
type gammaGammaJSON struct {
	P     *float64 `json:"p"`
	Q     *float64 `json:"q"`
	Gamma *float64 `json:"gamma"`
}

// MarshalJSON writes the model's parameters,
//
//	{"p": 6.25, "q": 3.74, "gamma": 15.45}
//
// and nulls for the zero GammaGamma, which has none.
func (m GammaGamma) MarshalJSON() ([]byte, error) {
	var w gammaGammaJSON
	if m.p > 0 {
		w = gammaGammaJSON{P: jsonx.Float(m.p), Q: jsonx.Float(m.q), Gamma: jsonx.Float(m.gamma)}
	}
	return json.Marshal(w)
}

// UnmarshalJSON reads a model as MarshalJSON writes it and checks it as
// NewGammaGamma does. Decoding is strict: unknown keys are errors. Errors
// are *kpi.Error values wrapping kpi.ErrInvalid.
func (m *GammaGamma) UnmarshalJSON(data []byte) error {
	const fn = "clv.GammaGamma.UnmarshalJSON"
	var w gammaGammaJSON
	if err := jsonx.Decode(fn, data, &w); err != nil {
		return err
	}
	if w.P == nil || w.Q == nil || w.Gamma == nil {
		return errs.Invalid(fn, "p, q, gamma", "missing", "all three are required")
	}
	v, err := NewGammaGamma(*w.P, *w.Q, *w.Gamma)
	if err != nil {
		return err
	}
	*m = v
	return nil
}
