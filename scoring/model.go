package scoring

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/kpiflow/kpi/internal/errs"
	"github.com/kpiflow/kpi/internal/strict"
)

// Version is the model format version this package reads and writes. A
// model's Version field must equal it.
const Version = 1

// Model is a lead-scoring model: named groups of rules, optional caps on the
// total, grades and an MQL rule. In this package a model is the rules that
// turn a lead's attributes and activity into points (not a funnel's stages
// and rates, as funnel.Model is, nor an attribution model). It is plain data
// that round-trips through encoding/json; Compile checks it and turns it
// into a Scorer. The JSON format is described in the package documentation.
type Model struct {
	Version int      `json:"version"`        // must be Version
	Name    string   `json:"name,omitempty"` // free text
	Groups  []Group  `json:"groups"`         // at least one
	Min     *float64 `json:"min,omitempty"`  // floor on the total; nil for none
	Max     *float64 `json:"max,omitempty"`  // cap on the total; nil for none
	Grades  *Grades  `json:"grades,omitempty"`
	MQL     *MQL     `json:"mql,omitempty"`
}

// Group is a named set of rules, such as "fit" or "engagement", whose
// points add up to the group's score, optionally clamped to [Min, Max].
type Group struct {
	Name  string   `json:"name"`
	Rules []Rule   `json:"rules"`
	Min   *float64 `json:"min,omitempty"`
	Max   *float64 `json:"max,omitempty"`
}

// Rule gives Points to a lead when its condition holds. Exactly one of When
// (a condition on the lead's attributes) and Event (a criterion on the
// lead's activity) is set. Points may be negative. MaxPoints, when set,
// limits the magnitude of the rule's contribution to the lead's score:
//
//	points after cap = max(−MaxPoints, min(MaxPoints, points after decay))
type Rule struct {
	ID        string     `json:"id"` // unique within the model
	Points    float64    `json:"points"`
	When      *Condition `json:"when,omitempty"`
	Event     *Criterion `json:"event,omitempty"`
	MaxPoints *float64   `json:"maxPoints,omitempty"`
}

// Op is a comparison operator of a condition.
type Op string

// The operators. The comparisons Gt … Between take numbers or times; In and
// NotIn take a list; Exists and Missing take no value.
const (
	Eq         Op = "eq"          // equal
	Ne         Op = "ne"          // present and not equal
	In         Op = "in"          // equal to one of a list
	NotIn      Op = "not_in"      // present and equal to none of a list
	Contains   Op = "contains"    // string contains a substring
	StartsWith Op = "starts_with" // string starts with a prefix
	Gt         Op = "gt"          // >
	Gte        Op = "gte"         // ≥
	Lt         Op = "lt"          // <
	Lte        Op = "lte"         // ≤
	Between    Op = "between"     // lo ≤ x ≤ hi
	Exists     Op = "exists"      // present and not empty
	Missing    Op = "missing"     // absent, null, "" or an empty list
	Regex      Op = "regex"       // matches an RE2 regular expression
)

// Condition is a test on a lead's attributes (or, inside a Criterion, on an
// event's properties). It is either a leaf — Attr, Op and Value — or a
// combination: All (every sub-condition holds), Any (at least one holds) or
// Not (the sub-condition does not hold). Exactly one form is set.
//
// IgnoreCase makes the string operators (Eq, Ne, In, NotIn, Contains,
// StartsWith, Regex) compare without regard to case.
type Condition struct {
	All        []Condition `json:"all,omitempty"`
	Any        []Condition `json:"any,omitempty"`
	Not        *Condition  `json:"not,omitempty"`
	Attr       string      `json:"attr,omitempty"`
	Op         Op          `json:"op,omitempty"`
	Value      any         `json:"value,omitempty"`
	IgnoreCase bool        `json:"ignoreCase,omitempty"`
}

// Criterion is a test on a lead's events: events of Type whose properties
// satisfy Where, no older than WindowDays days before the scoring time
// (0: any age), and not after it. Without Each the rule earns its points
// once, from the most recent such event; with Each it earns them for every
// such event, the MaxCount most recent ones when MaxCount > 0. Decay, when
// set, scales each event's points by its age. An event more than about 285
// years before the scoring time (one at the zero time.Time, say) counts as
// infinitely old: outside every window, and decayed to 0.
type Criterion struct {
	Type       string     `json:"type"`
	Where      *Condition `json:"where,omitempty"`
	WindowDays float64    `json:"windowDays,omitempty"`
	Each       bool       `json:"each,omitempty"`
	MaxCount   int        `json:"maxCount,omitempty"`
	Decay      *Decay     `json:"decay,omitempty"`
}

// Decay scales an event's points by a factor of its age a in days.
//
// Kind "linear" loses the fraction Rate of the points every PeriodDays days,
// down to zero (HubSpot: a 10-point form fill at 50 % a month is worth 5
// after a month and 0 after two):
//
//	f(a) = max(0, 1 − Rate·a/PeriodDays)
//
// Kind "exponential" halves the points every HalfLifeDays days:
//
//	f(a) = 2^(−a/HalfLifeDays)
//
// With Stepped, a/PeriodDays and a/HalfLifeDays are rounded down to whole
// periods, so points drop at period boundaries only.
type Decay struct {
	Kind         string  `json:"kind"`
	Rate         float64 `json:"rate,omitempty"`
	PeriodDays   float64 `json:"periodDays,omitempty"`
	HalfLifeDays float64 `json:"halfLifeDays,omitempty"`
	Stepped      bool    `json:"stepped,omitempty"`
}

// Grades turns group scores into labels: Fit grades the fit group's score
// (A/B/C), Engagement the engagement group's score (1/2/3). When both are
// set, a lead's matrix label is the two labels side by side ("A1").
type Grades struct {
	Fit        *Scale `json:"fit,omitempty"`
	Engagement *Scale `json:"engagement,omitempty"`
}

// Scale grades the score of Group by cut-offs. Bands are listed from the
// highest to the lowest: a score gets the first band whose Min it reaches,
// and the last band, which has no Min, catches every lower score.
type Scale struct {
	Group string `json:"group"`
	Bands []Band `json:"bands"`
}

// Band is one grade of a Scale: Label for scores ≥ Min.
type Band struct {
	Label string   `json:"label"`
	Min   *float64 `json:"min,omitempty"`
}

// MQL decides which leads are marketing-qualified. A lead is an MQL when
// every test given holds: its total is at least MinTotal, and its matrix
// label is one of Cells. At least one test must be given; Cells needs both
// grade scales.
type MQL struct {
	MinTotal *float64 `json:"minTotal,omitempty"`
	Cells    []string `json:"cells,omitempty"`
}

// UnmarshalJSON decodes a model strictly: the input must be one JSON object
// whose fields are all known and spelled in their case, none given twice
// in one object, at every level, and whose version is Version.
// Every unknown field is reported with its path, such as
// "groups[0].rules[2].when.opp". The model is not otherwise checked; Compile
// does that. Errors wrap kpi.ErrInvalid, except that json.Unmarshal checks
// the syntax before calling this method and reports malformed input as its
// own *json.SyntaxError.
func (m *Model) UnmarshalJSON(data []byte) error {
	const fn = "scoring.Model.UnmarshalJSON"
	var generic any
	if err := json.Unmarshal(data, &generic); err != nil {
		return errs.Invalid(fn, "input", short(data), err.Error())
	}
	type plain Model
	var unknown []error
	unknownFields(generic, reflect.TypeFor[plain](), nil, func(path string, value any) {
		v, _ := json.Marshal(value) // value was decoded from JSON
		unknown = append(unknown, errs.Invalid(fn, path, short(v), "unknown field"))
	})
	if len(unknown) > 0 {
		return errors.Join(unknown...)
	}
	var p plain
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		arg, val := "input", any(short(data))
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			arg, val = te.Field, te.Value
		}
		return errs.Invalid(fn, arg, val, err.Error())
	}
	if path, key, reason := strict.Keys(data, reflect.TypeFor[plain]()); reason != "" {
		return errs.Invalid(fn, cmp.Or(path, "input"), strconv.Quote(key), reason)
	}
	if p.Version != Version {
		return errs.Invalid(fn, "version", p.Version, fmt.Sprintf("unsupported, want %d", Version))
	}
	*m = Model(p)
	return nil
}

// short returns a prefix of data for error messages.
func short(data []byte) string {
	const n = 40
	if len(data) > n {
		return string(data[:n]) + "…"
	}
	return string(data)
}

// unknownFields walks a decoded JSON value v alongside the Go type t and
// reports the path and value of every object key that t has no field for.
// The path is kept as its steps (".key" or "[i]") and written out only for
// a report, so that the walk costs time linear in the input however deep
// it nests (building the string at every level made 20 conditions nested
// 9 990 deep take 4 s and 620 MB).
func unknownFields(v any, t reflect.Type, path []string, report func(path string, value any)) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		obj, ok := v.(map[string]any)
		if !ok {
			return // a type error; the decoder reports it
		}
		fields := map[string]reflect.Type{}
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" || name == "-" {
				continue
			}
			fields[name] = f.Type
		}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := append(path, "."+k)
			ft, ok := fields[k]
			if !ok {
				// encoding/json matches field names case-insensitively;
				// a strict format does not.
				report(strings.TrimPrefix(strings.Join(p, ""), "."), obj[k])
				continue
			}
			unknownFields(obj[k], ft, p, report)
		}
	case reflect.Slice:
		arr, ok := v.([]any)
		if !ok {
			return
		}
		for i, x := range arr {
			unknownFields(x, t.Elem(), append(path, "["+strconv.Itoa(i)+"]"), report)
		}
	}
}
