package cohort

import (
	"encoding/json"
	"fmt"

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
