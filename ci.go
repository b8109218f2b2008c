package kpi

import (
	"encoding/json"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi/internal/money"
)

// Interval is a two-sided confidence interval [Lo, Hi] for a quantity a
// model estimates, at confidence Level (0.95 for 95 %), computed by the
// method Method names. It is the shape every interval of the library's
// models takes, whatever computed it: a proportion's "Wilson", a model
// output's "delta-log" or "delta-logit" (the delta method on the log or
// logit scale, then transformed back), a resampled statistic's
// "bootstrap-percentile". The package that returns an Interval documents
// its methods. A degenerate interval with Lo = Hi is a quantity that the
// model's uncertainty does not move (the survival at age 0, say); its
// method says so ("exact").
//
// The zero Interval is [0, 0] at level 0 with no method: not an interval
// any function returns.
type Interval struct {
	Lo     float64 `json:"lo"`
	Hi     float64 `json:"hi"`
	Level  float64 `json:"level"`
	Method string  `json:"method"`
}

// String formats the interval with four significant digits, its level in
// percent and its method: "[0.5812, 0.6620] 95% delta-logit".
func (i Interval) String() string {
	return fmt.Sprintf("[%.4g, %.4g] %s", i.Lo, i.Hi, levelMethod(i.Level, i.Method))
}

// UnmarshalJSON reads the interval as encoding/json writes it from the
// field tags, {"lo": 0.34, "hi": 0.46, "level": 0.95, "method":
// "Wilson"}, and refuses what no function returns: a level outside
// [0, 1) (0 is the zero value's, no level) and lo above hi, as
// MoneyInterval does. Decoding is strict: unknown keys are errors. Errors
// are *Error values wrapping ErrInvalid that name the key and the value.
func (i *Interval) UnmarshalJSON(data []byte) error {
	const fn = "kpi.Interval.UnmarshalJSON"
	var w struct {
		Lo     float64 `json:"lo"`
		Hi     float64 `json:"hi"`
		Level  float64 `json:"level"`
		Method string  `json:"method"`
	}
	if err := decodeStrict(fn, data, &w); err != nil {
		return err
	}
	if err := checkEnds(fn, w.Level, w.Lo > w.Hi, w.Lo, w.Hi); err != nil {
		return err
	}
	*i = Interval(w)
	return nil
}

// checkEnds refuses a level outside [0, 1) and ends out of order.
func checkEnds(fn string, level float64, reversed bool, lo, hi any) error {
	if !(level >= 0 && level < 1) {
		return invalid(fn, "level", level, "outside [0, 1)")
	}
	if reversed {
		return invalid(fn, "lo", lo, fmt.Sprintf("above hi %v", hi))
	}
	return nil
}

// Parameter is one parameter of a fitted model (package cohort's sBG,
// cohort/clv's BG/NBD and Gamma–Gamma): its Name ("alpha", "beta", …),
// its maximum-likelihood Value, its standard error SE and its Interval.
// The packages that return it say how SE and the interval are made (for
// a positive parameter fitted on the log scale, se = Value·sd(ln Value)
// and exp(ln Value ± z·sd(ln Value)), method "delta-log").
type Parameter struct {
	Name     string   `json:"name"`
	Value    float64  `json:"value"`
	SE       float64  `json:"se"`
	Interval Interval `json:"interval"`
}

// MoneyInterval is an Interval for an amount of money: the same Level and
// Method, with the ends in decimal, rounded as the package that returns it
// documents. The zero MoneyInterval is [0, 0] at level 0 with no method.
type MoneyInterval struct {
	Lo     decimal.Decimal `json:"lo"`
	Hi     decimal.Decimal `json:"hi"`
	Level  float64         `json:"level"`
	Method string          `json:"method"`
}

// String formats the interval with its ends as decimal strings, its level
// in percent and its method: "[101.25, 188.4] 95% delta-log". An end
// beyond the library's bound on money (30 digits before the point, 18
// after it), which only a value built by hand can hold, is written short,
// as 1e1073741824 or ≈1.000e999999, never expanded.
func (i MoneyInterval) String() string {
	return "[" + money.Format(i.Lo) + ", " + money.Format(i.Hi) + "] " + levelMethod(i.Level, i.Method)
}

func levelMethod(level float64, method string) string {
	if method == "" {
		method = "(no method)"
	}
	return fmt.Sprintf("%.4g%% %s", 100*level, method)
}

// UnmarshalJSON reads the interval as encoding/json writes it from the
// field tags, {"lo": "101.25", "hi": "188.4", "level": 0.95, "method":
// "delta-log"}, each end a decimal string or number (null is 0). Decoding
// is strict: unknown keys are errors. An end beyond the library's bound on
// money (30 digits before the point, 18 after it), such as 1e1000000000,
// or a text of one longer than 64 bytes, is refused before it is parsed
// out, where decimal's own parse takes time quadratic in the digits. The
// level is 0 (no level, as in the zero value) or inside (0, 1), and lo is
// at most hi. Errors are *Error values wrapping ErrInvalid that name the
// key and quote its value short.
func (i *MoneyInterval) UnmarshalJSON(data []byte) error {
	const fn = "kpi.MoneyInterval.UnmarshalJSON"
	var w struct {
		Lo     json.RawMessage `json:"lo"`
		Hi     json.RawMessage `json:"hi"`
		Level  float64         `json:"level"`
		Method string          `json:"method"`
	}
	if err := decodeStrict(fn, data, &w); err != nil {
		return err
	}
	v := MoneyInterval{Level: w.Level, Method: w.Method}
	for _, end := range []struct {
		key string
		raw json.RawMessage
		dst *decimal.Decimal
	}{{"lo", w.Lo, &v.Lo}, {"hi", w.Hi, &v.Hi}} {
		if len(end.raw) == 0 {
			continue
		}
		d, text, why := money.ParseJSON(end.raw)
		if why != "" {
			return invalid(fn, end.key, text, why)
		}
		*end.dst = d
	}
	if err := checkEnds(fn, v.Level, v.Lo.GreaterThan(v.Hi), money.Format(v.Lo), money.Format(v.Hi)); err != nil {
		return err
	}
	*i = v
	return nil
}
