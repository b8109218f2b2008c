package scoring

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Kinds of values, as operands and as attribute values.
const (
	kString uint8 = iota
	kNumber
	kBool
	kTime
	kList
	kOther
	nKinds
)

var kindName = [nKinds]string{"a string", "a number", "a boolean", "a time", "a list", "of an unsupported type"}

// Why a leaf condition could not be tested. whyOK: it could; whyMissing:
// the attribute is absent; whyNaN: the number is NaN; otherwise
// whyTyped + got*nKinds + want.
const (
	whyOK uint8 = iota
	whyMissing
	whyNaN
	whyTyped
)

// whyText holds every reason, built once so that scoring does not format.
var whyText = func() []string {
	t := make([]string, whyTyped+nKinds*nKinds)
	t[whyMissing] = "is missing"
	t[whyNaN] = "is NaN"
	for got := range nKinds {
		for want := range nKinds {
			s := "is " + kindName[got] + ", want " + kindName[want]
			if got == kString && want == kTime {
				s = "is a string that is not an RFC 3339 time"
			}
			t[whyTyped+got*nKinds+want] = s
		}
	}
	return t
}()

func mistyped(got, want uint8) uint8 { return whyTyped + got*nKinds + want }

// Compiled operator codes. Ne and NotIn are Eq and In negated.
const (
	oEq uint8 = iota
	oIn
	oContains
	oStartsWith
	oGt
	oGte
	oLt
	oLte
	oBetween
	oExists
	oMissing
	oRegex
)

var ops = map[Op]struct {
	code uint8
	neg  bool
}{
	Eq: {oEq, false}, Ne: {oEq, true}, In: {oIn, false}, NotIn: {oIn, true},
	Contains: {oContains, false}, StartsWith: {oStartsWith, false},
	Gt: {oGt, false}, Gte: {oGte, false}, Lt: {oLt, false}, Lte: {oLte, false},
	Between: {oBetween, false}, Exists: {oExists, false}, Missing: {oMissing, false},
	Regex: {oRegex, false},
}

// operand is a compiled comparison value.
type operand struct {
	kind uint8
	s    string
	n    float64
	b    bool
	t    time.Time
	hasT bool // a string operand that is also an RFC 3339 time
}

// Condition forms.
const (
	cLeaf uint8 = iota
	cAll
	cAny
	cNot
)

// cond is a compiled Condition.
type cond struct {
	form uint8
	kids []cond

	attr   string
	slot   int32 // > 0: index in the lead attribute cache; see eval
	op     uint8
	neg    bool
	fold   bool
	a, b   operand // the value; b is the upper bound of Between
	set    []operand
	strSet map[string]struct{} // In on many strings, case-sensitive
	re     *regexp.Regexp
}

// condCtx is what conditions are evaluated against besides the attributes
// themselves: the cache of lead attributes that several rules test, by
// slot (see Scorer.assignSlots). Conditions on event properties have no
// slots and evaluate with a nil condCtx.
type condCtx struct {
	vals  []any
	state []uint8 // slotUnknown, slotPresent or slotAbsent
}

// reset readies the cache for a new lead with n slots.
func (x *condCtx) reset(n int) {
	x.vals = grow(x.vals, n)
	x.state = grow(x.state, n)
	clear(x.vals)
	clear(x.state)
}

// States of the lead attribute cache.
const (
	slotUnknown uint8 = iota
	slotPresent
	slotAbsent
)

// MaxDepth is the deepest a condition may nest (all, any and not inside one
// another) in a model Compile accepts, 10 000: encoding/json decodes no
// deeper, so a model built in Go is held to what its JSON form could say,
// and a nesting of a million no longer overflows the stack.
const MaxDepth = 10_000

// compileCond checks c and compiles it, reporting problems under path.
func compileCond(c *Condition, at *path, p *problems) cond {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > MaxDepth {
		p.add(at, p.depth, "conditions nested deeper than MaxDepth (10000)")
		return cond{}
	}
	forms := 0
	for _, set := range [...]bool{len(c.All) > 0, len(c.Any) > 0, c.Not != nil, c.Attr != "" || c.Op != "" || c.Value != nil} {
		if set {
			forms++
		}
	}
	if forms != 1 {
		p.add(at, forms, "want exactly one of all, any, not, or attr with op")
		return cond{}
	}
	switch {
	case len(c.All) > 0:
		return cond{form: cAll, kids: compileKids(c.All, p.f(at, "all"), p)}
	case len(c.Any) > 0:
		return cond{form: cAny, kids: compileKids(c.Any, p.f(at, "any"), p)}
	case c.Not != nil:
		return cond{form: cNot, kids: []cond{compileCond(c.Not, p.f(at, "not"), p)}}
	}
	return compileLeaf(c, at, p)
}

// compileLeaf compiles a leaf condition: its attribute, operator and value.
func compileLeaf(c *Condition, at *path, p *problems) cond {
	out := cond{form: cLeaf, attr: c.Attr, fold: c.IgnoreCase}
	if c.Attr == "" {
		p.add(p.f(at, "attr"), `""`, "missing attribute name")
	}
	o, ok := ops[c.Op]
	if !ok {
		p.add(p.f(at, "op"), strconv.Quote(string(c.Op)), "unknown operator")
		return out
	}
	out.op, out.neg = o.code, o.neg
	vp := p.f(at, "value")
	switch out.op {
	case oExists, oMissing:
		if c.Value != nil {
			p.add(vp, c.Value, fmt.Sprintf("%s takes no value", c.Op))
		}
	case oEq:
		out.a = operandOf(c.Value, vp, p)
	case oContains, oStartsWith, oRegex:
		out.compileText(c, vp, p)
	case oGt, oGte, oLt, oLte:
		out.a = ordered(c.Value, c.Op, vp, p)
	case oBetween:
		out.compileBetween(c, vp, p)
	case oIn:
		out.compileIn(c, vp, p)
	}
	return out
}

// compileText compiles the string operand of Contains, StartsWith and
// Regex, and the regular expression.
func (out *cond) compileText(c *Condition, vp *path, p *problems) {
	out.a = operandOf(c.Value, vp, p)
	if out.a.kind != kString {
		p.add(vp, c.Value, fmt.Sprintf("%s needs a string", c.Op))
		return
	}
	if out.op != oRegex {
		return
	}
	expr := out.a.s
	if c.IgnoreCase {
		expr = "(?i)" + expr
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		p.add(vp, strconv.Quote(out.a.s), err.Error())
	}
	out.re = re
}

// compileBetween compiles the bounds [lo, hi] of Between.
func (out *cond) compileBetween(c *Condition, vp *path, p *problems) {
	list, ok := listOf(c.Value)
	if !ok || len(list) != 2 {
		p.add(vp, c.Value, "between needs a list of two values, [lo, hi]")
		return
	}
	out.a = ordered(list[0], c.Op, p.i(vp, 0), p)
	out.b = ordered(list[1], c.Op, p.i(vp, 1), p)
	switch {
	case out.a.kind == kOther || out.b.kind == kOther:
		// reported by ordered
	case out.a.kind != out.b.kind:
		p.add(vp, c.Value, "between compares a number with a time")
	case out.a.kind == kNumber && out.a.n > out.b.n,
		out.a.kind == kTime && out.a.t.After(out.b.t):
		p.add(vp, c.Value, "lo exceeds hi")
	}
}

// compileIn compiles the list of In and NotIn, with a hash set for a long
// list of strings compared case-sensitively.
func (out *cond) compileIn(c *Condition, vp *path, p *problems) {
	list, ok := listOf(c.Value)
	if !ok || len(list) == 0 {
		p.add(vp, c.Value, fmt.Sprintf("%s needs a non-empty list", c.Op))
		return
	}
	for i, v := range list {
		x := operandOf(v, p.i(vp, i), p)
		if x.kind != kString && x.kind != kNumber {
			p.add(p.i(vp, i), v, fmt.Sprintf("%s takes strings or numbers", c.Op))
		} else if len(out.set) > 0 && x.kind != out.set[0].kind {
			p.add(p.i(vp, i), v, fmt.Sprintf("%s mixes strings and numbers", c.Op))
		}
		out.set = append(out.set, x)
	}
	if len(out.set) > 8 && out.set[0].kind == kString && !c.IgnoreCase {
		out.strSet = make(map[string]struct{}, len(out.set))
		for _, x := range out.set {
			out.strSet[x.s] = struct{}{}
		}
	}
}

func compileKids(cs []Condition, at *path, p *problems) []cond {
	out := make([]cond, len(cs))
	for i := range cs {
		out[i] = compileCond(&cs[i], p.i(at, i), p)
	}
	return out
}

// ordered compiles the operand of a numeric or time comparison.
func ordered(v any, op Op, at *path, p *problems) operand {
	x := operandOf(v, at, p)
	switch {
	case x.kind == kNumber || x.kind == kTime:
	case x.kind == kString && x.hasT:
		x.kind = kTime
	case v != nil:
		p.add(at, v, fmt.Sprintf("%s needs a number or an RFC 3339 time", op))
		x.kind = kOther
	}
	return x
}

// operandOf compiles a scalar value given in Go or decoded from JSON.
func operandOf(v any, at *path, p *problems) operand {
	switch x := v.(type) {
	case nil:
		p.add(at, "null", "missing value")
	case string:
		o := operand{kind: kString, s: x}
		// RFC 3339 times are at least 20 bytes, 2006-01-02T15:04:05Z; the
		// check spares time.Parse, which allocates on failure.
		if len(x) >= 20 && x[4] == '-' && x[7] == '-' {
			if t, err := time.Parse(time.RFC3339, x); err == nil {
				o.t, o.hasT = t, true
			}
		}
		return o
	case bool:
		return operand{kind: kBool, b: x}
	case time.Time:
		return operand{kind: kTime, t: x}
	default:
		n, kind := number(v)
		if kind != kNumber {
			p.add(at, v, fmt.Sprintf("unsupported value type %T", v))
			break
		}
		if math.IsNaN(n) || math.IsInf(n, 0) {
			p.add(at, n, "not a finite number")
		}
		return operand{kind: kNumber, n: n}
	}
	return operand{kind: kOther}
}

// listOf returns the elements of a slice or array value.
func listOf(v any) ([]any, bool) {
	if l, ok := v.([]any); ok {
		return l, true
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
		return nil, false
	}
	out := make([]any, rv.Len())
	for i := range out {
		out[i] = rv.Index(i).Interface()
	}
	return out, true
}

// number converts a Go number to float64. kind is kNumber on success and
// the value's kind otherwise.
func number(v any) (float64, uint8) {
	switch x := v.(type) {
	case float64:
		return x, kNumber
	case int:
		return float64(x), kNumber
	case int64:
		return float64(x), kNumber
	case float32:
		return float64(x), kNumber
	case int32:
		return float64(x), kNumber
	case int16:
		return float64(x), kNumber
	case int8:
		return float64(x), kNumber
	case uint:
		return float64(x), kNumber
	case uint64:
		return float64(x), kNumber
	case uint32:
		return float64(x), kNumber
	case uint16:
		return float64(x), kNumber
	case uint8:
		return float64(x), kNumber
	case json.Number:
		n, err := strconv.ParseFloat(string(x), 64)
		if err != nil {
			return 0, kString
		}
		return n, kNumber
	}
	return 0, kindOf(v)
}

// kindOf classifies a value that number does not take.
func kindOf(v any) uint8 {
	switch v.(type) {
	case string:
		return kString
	case bool:
		return kBool
	case time.Time:
		return kTime
	case []any, []string, []float64, []int:
		return kList
	}
	return kOther
}

// empty reports whether a present value counts as missing: nil, "" or an
// empty list.
func empty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case []any:
		return len(x) == 0
	case []string:
		return len(x) == 0
	case []float64:
		return len(x) == 0
	case []int:
		return len(x) == 0
	}
	return false
}

// eval tests the condition on the attributes m. When it is false because
// an attribute is missing or mistyped, it also returns the leaf and why.
//
// Leaves with a slot (slot > 0) read the attribute through the cache in x,
// so that attributes tested by several rules are looked up once per lead;
// x may be nil when no leaf has a slot.
func (c *cond) eval(m map[string]any, x *condCtx) (bool, *cond, uint8) {
	switch c.form {
	case cAll:
		for i := range c.kids {
			if ok, l, w := c.kids[i].eval(m, x); !ok {
				return false, l, w
			}
		}
		return true, nil, whyOK
	case cAny:
		var ml *cond
		var mw uint8
		for i := range c.kids {
			ok, l, w := c.kids[i].eval(m, x)
			if ok {
				return true, nil, whyOK
			}
			if ml == nil {
				ml, mw = l, w
			}
		}
		return false, ml, mw
	case cNot:
		ok, _, _ := c.kids[0].eval(m, x)
		return !ok, nil, whyOK
	}
	var v any
	var present bool
	if c.slot > 0 {
		switch x.state[c.slot] {
		case slotPresent:
			v, present = x.vals[c.slot], true
		case slotAbsent:
		default:
			v, present = m[c.attr]
			x.vals[c.slot] = v
			x.state[c.slot] = slotAbsent
			if present {
				x.state[c.slot] = slotPresent
			}
		}
	} else {
		v, present = m[c.attr]
	}
	if c.op == oExists || c.op == oMissing {
		e := !present || empty(v)
		return e == (c.op == oMissing), nil, whyOK
	}
	if !present || v == nil {
		return false, c, whyMissing
	}
	var match bool
	var why uint8
	switch x := v.(type) {
	case []any:
		match, why = anyOf(len(x), func(i int) (bool, uint8) { return c.test(x[i]) })
	case []string:
		match, why = anyOf(len(x), func(i int) (bool, uint8) { return c.testString(x[i]) })
	case []float64:
		match, why = anyOf(len(x), func(i int) (bool, uint8) { return c.testNumber(x[i]) })
	case []int:
		match, why = anyOf(len(x), func(i int) (bool, uint8) { return c.testNumber(float64(x[i])) })
	default:
		match, why = c.test(v)
	}
	if why != whyOK {
		return false, c, why
	}
	return match != c.neg, nil, whyOK
}

// anyOf tests the n elements of a list: true when one element matches; the
// reason of the first element when none matches and none could be tested.
func anyOf(n int, test func(int) (bool, uint8)) (bool, uint8) {
	if n == 0 {
		return false, whyMissing
	}
	first := whyOK
	tested := false
	for i := range n {
		ok, w := test(i)
		if ok {
			return true, whyOK
		}
		if w == whyOK {
			tested = true
		} else if first == whyOK {
			first = w
		}
	}
	if tested {
		return false, whyOK
	}
	return false, first
}

// want is the kind of value the operator compares with.
func (c *cond) want() uint8 {
	switch c.op {
	case oIn:
		return c.set[0].kind
	case oContains, oStartsWith, oRegex:
		return kString
	}
	return c.a.kind
}

// test applies the (un-negated) operator to one present scalar value.
func (c *cond) test(v any) (bool, uint8) {
	switch x := v.(type) {
	case string:
		return c.testString(x)
	case bool:
		if c.op == oEq && c.a.kind == kBool {
			return x == c.a.b, whyOK
		}
		return false, mistyped(kBool, c.want())
	case time.Time:
		return c.testTime(x)
	}
	n, k := number(v)
	if k != kNumber {
		return false, mistyped(k, c.want())
	}
	return c.testNumber(n)
}

func (c *cond) testString(s string) (bool, uint8) {
	switch c.op {
	case oEq:
		if c.a.kind == kString {
			if c.fold {
				return strings.EqualFold(s, c.a.s), whyOK
			}
			return s == c.a.s, whyOK
		}
	case oIn:
		if c.strSet != nil {
			_, in := c.strSet[s]
			return in, whyOK
		}
		if c.set[0].kind == kString {
			for i := range c.set {
				if c.fold && strings.EqualFold(s, c.set[i].s) || s == c.set[i].s {
					return true, whyOK
				}
			}
			return false, whyOK
		}
	case oContains:
		if c.fold {
			return containsFold(s, c.a.s), whyOK
		}
		return strings.Contains(s, c.a.s), whyOK
	case oStartsWith:
		if c.fold {
			return len(s) >= len(c.a.s) && strings.EqualFold(s[:len(c.a.s)], c.a.s), whyOK
		}
		return strings.HasPrefix(s, c.a.s), whyOK
	case oRegex:
		return c.re.MatchString(s), whyOK
	}
	if c.want() == kTime {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return false, mistyped(kString, kTime)
		}
		return c.testTime(t)
	}
	return false, mistyped(kString, c.want())
}

func (c *cond) testNumber(n float64) (bool, uint8) {
	if math.IsNaN(n) {
		return false, whyNaN
	}
	switch c.op {
	case oEq:
		if c.a.kind == kNumber {
			return n == c.a.n, whyOK
		}
	case oIn:
		if c.set[0].kind == kNumber {
			for i := range c.set {
				if n == c.set[i].n {
					return true, whyOK
				}
			}
			return false, whyOK
		}
	case oGt, oGte, oLt, oLte, oBetween:
		if c.a.kind == kNumber {
			return ordered3(c.op, compareFloat(n, c.a.n), compareFloat(n, c.b.n)), whyOK
		}
	}
	return false, mistyped(kNumber, c.want())
}

func (c *cond) testTime(t time.Time) (bool, uint8) {
	switch c.op {
	case oEq:
		if c.a.kind == kTime || c.a.hasT {
			return t.Equal(c.a.t), whyOK
		}
	case oGt, oGte, oLt, oLte, oBetween:
		if c.a.kind == kTime {
			return ordered3(c.op, t.Compare(c.a.t), t.Compare(c.b.t)), whyOK
		}
	}
	return false, mistyped(kTime, c.want())
}

// ordered3 decides an ordered comparison from x compared with the value
// (cmp) and with the upper bound of Between (cmpHi).
func ordered3(op uint8, cmp, cmpHi int) bool {
	switch op {
	case oGt:
		return cmp > 0
	case oGte:
		return cmp >= 0
	case oLt:
		return cmp < 0
	case oLte:
		return cmp <= 0
	}
	return cmp >= 0 && cmpHi <= 0
}

func compareFloat(x, y float64) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// containsFold reports whether sub occurs in s under Unicode simple case
// folding, comparing substrings of s of sub's length in bytes.
func containsFold(s, sub string) bool {
	if sub == "" {
		return true
	}
	for i := 0; i+len(sub) <= len(s); {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return false
}
