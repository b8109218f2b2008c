package scoring

import (
	"encoding/json"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/internal/jsonx"
)

// scoreBandJSON is the wire form of a ScoreBand.
type scoreBandJSON struct {
	Min      *float64      `json:"min"`
	Max      *float64      `json:"max"`
	Rate     kpi.Rate      `json:"rate"`
	Interval *kpi.Interval `json:"interval"`
}

// MarshalJSON writes the band with its edges, null for the open ends −Inf
// and +Inf, which JSON cannot write, and the interval of its rate that it
// carries, with its method and level:
//
//	{"min": null, "max": 40, "rate": {"successes": 3, "trials": 120,
//	 "value": 0.025}, "interval": {"lo": 0.0085, "hi": 0.071,
//	 "level": 0.95, "method": "Wilson"}}
//
// The interval is null when the band has none: a level outside (0, 1), an
// unknown method or an end that is not finite, as in the zero ScoreBand.
func (b ScoreBand) MarshalJSON() ([]byte, error) {
	return json.Marshal(scoreBandJSON{Min: jsonx.Float(b.Min), Max: jsonx.Float(b.Max), Rate: b.Rate, Interval: b.interval()})
}

// interval returns the band's interval, or nil when it has none.
func (b ScoreBand) interval() *kpi.Interval {
	if !(b.Level > 0 && b.Level < 1) || jsonx.Float(b.Lo) == nil || jsonx.Float(b.Hi) == nil {
		return nil
	}
	name, err := b.Method.MarshalText()
	if err != nil {
		return nil
	}
	return &kpi.Interval{Lo: b.Lo, Hi: b.Hi, Level: b.Level, Method: string(name)}
}

// finite returns v, or 0 when it is NaN or infinite, which no result of
// the package holds.
func finite(v float64) float64 {
	if p := jsonx.Float(v); p != nil {
		return v
	}
	return 0
}

// cutJSON is the wire form of a Cut.
type cutJSON struct {
	Threshold *float64 `json:"threshold"`
	TP        int64    `json:"tp"`
	FP        int64    `json:"fp"`
	FN        int64    `json:"fn"`
	TN        int64    `json:"tn"`
	Tied      int64    `json:"tied"`
}

// MarshalJSON writes the cut with its confusion matrix; the threshold +Inf,
// which selects no lead, is null:
//
//	{"threshold": 55, "tp": 40, "fp": 60, "fn": 10, "tn": 890, "tied": 3}
func (c Cut) MarshalJSON() ([]byte, error) {
	return json.Marshal(cutJSON{Threshold: jsonx.Float(c.Threshold), TP: c.TP, FP: c.FP, FN: c.FN, TN: c.TN, Tied: c.Tied})
}

// evaluationJSON is the wire form of an Evaluation.
type evaluationJSON struct {
	Leads            int64    `json:"leads"`
	Converted        int64    `json:"converted"`
	AUC              float64  `json:"auc"`
	Gini             float64  `json:"gini"`
	KS               float64  `json:"ks"`
	KSThreshold      *float64 `json:"ksThreshold"`
	AveragePrecision float64  `json:"averagePrecision"`
	Youden           Cut      `json:"youden"`
}

// MarshalJSON writes the evaluation's read-outs that take no argument —
// the leads and conversions, AUC, Gini, KS with its threshold (null at
// +Inf), average precision, and the cut of Youden — for a dashboard's
// summary; the tables that take arguments (Gains, Bands, At, ...) have
// their own forms:
//
//	{"leads": 1000, "converted": 50, "auc": 0.81, "gini": 0.62,
//	 "ks": 0.5, "ksThreshold": 55, "averagePrecision": 0.3,
//	 "youden": Cut}
func (e *Evaluation) MarshalJSON() ([]byte, error) {
	w := evaluationJSON{AUC: finite(e.AUC()), Gini: finite(e.Gini()), AveragePrecision: finite(e.AveragePrecision()), Youden: e.Youden()}
	w.Leads, w.Converted = e.Leads()
	ks, at := e.KS()
	w.KS, w.KSThreshold = finite(ks), jsonx.Float(at)
	return json.Marshal(w)
}
