package scoring_test

import (
	"fmt"
	"iter"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/scoring"
)

// flagScorer compiles a model with one condition rule per name, each
// firing when the lead's attribute of that name is true.
func flagScorer(t testing.TB, points map[string]float64, names ...string) *scoring.Scorer {
	t.Helper()
	var rules []scoring.Rule
	for _, n := range names {
		rules = append(rules, scoring.Rule{ID: n, Points: points[n], When: &scoring.Condition{Attr: n, Op: scoring.Eq, Value: true}})
	}
	s, err := scoring.Compile(scoring.Model{Version: scoring.Version, Groups: []scoring.Group{{Name: "g", Rules: rules}}})
	require.NoError(t, err)
	return s
}

// pattern is a number of leads with the same flags, of which y converted.
type pattern struct {
	flags map[string]any
	n, y  int
}

// outcomes yields the leads of the patterns.
func outcomes(ps []pattern) iter.Seq[scoring.Outcome] {
	return func(yield func(scoring.Outcome) bool) {
		for _, p := range ps {
			for i := range p.n {
				if !yield(scoring.Outcome{Lead: scoring.Lead{Attrs: p.flags}, At: at, Converted: i < p.y}) {
					return
				}
			}
		}
	}
}

func flags(a, b, c bool) map[string]any { return map[string]any{"a": a, "b": b, "c": c} }

// threeRules is grouped data on three rules a, b, c: every firing pattern
// with its number of leads and of conversions.
var threeRules = []pattern{
	{flags(false, false, false), 200, 10},
	{flags(true, false, false), 150, 30},
	{flags(false, true, false), 120, 18},
	{flags(false, false, true), 100, 25},
	{flags(true, true, false), 80, 30},
	{flags(true, false, true), 60, 24},
	{flags(false, true, true), 50, 15},
	{flags(true, true, true), 40, 24},
}

var threePoints = map[string]float64{"a": 10, "b": 5, "c": 20}

// TestLearn checks the fit against R 4.2.2 and scikit-learn 1.2.1 on
// threeRules. λ = 0 against
//
//	glm(cbind(y, n − y) ~ x1 + x2 + x3, family = binomial)
//	  (Intercept) −2.575957056045700 (SE 0.188413562675874)
//	  x1 1.156480468836993 (0.184840925552386) x2 0.778093346720562 (0.184199456932092)
//	  x3 1.159636009249019 (0.186352824392930)
//
// λ > 0 against 50 Newton steps on the penalised mean loss written out
// in R (b ← b − H⁻¹g with g = Xᵀ(n·p − y)/N + λ·P·b and
// H = Xᵀ diag(n·p(1 − p)) X/N + λ·P, P = diag(0, 1, 1, 1)):
//
//	λ = 0.01: −2.240273004081446; 0.8894377303361825 0.5954439999453373 0.885917570025097
//	λ = 0.1:  −1.578595670334205; 0.3131457423574153 0.2070841995733294 0.3012413217773856
//
// scikit-learn's LogisticRegression(C = 1/(N·λ), tol = 1e-12) with the
// patterns as sample weights, which minimises N times the same loss,
// agrees to 6e-7 (its L-BFGS-B stops earlier).
//
// Suggested points: the model's range is 10 + 5 + 20 = 35, so
// suggested_j = b_j · 35 / Σ|b|.
func TestLearn(t *testing.T) {
	rows := []struct {
		name      string
		lambda    float64
		intercept float64
		coef      []float64
		se        []float64 // with the intercept's first; nil: not checked
		tol       float64
	}{
		{"maximum likelihood", 0, -2.575957056045700, []float64{1.156480468836993, 0.778093346720562, 1.159636009249019},
			[]float64{0.188413562675874, 0.184840925552386, 0.184199456932092, 0.186352824392930}, 1e-8},
		{"lambda 0.01", 0.01, -2.240273004081446, []float64{0.8894377303361825, 0.5954439999453373, 0.885917570025097}, nil, 1e-7},
		{"lambda 0.1", 0.1, -1.578595670334205, []float64{0.3131457423574153, 0.2070841995733294, 0.3012413217773856}, nil, 1e-7},
	}
	s := flagScorer(t, threePoints, "a", "b", "c")
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			f, err := scoring.Learn(s, outcomes(threeRules), r.lambda)
			require.NoError(t, err)
			assert.Equal(t, int64(800), f.Leads)
			assert.Equal(t, int64(176), f.Converted)
			assert.Equal(t, r.lambda, f.Lambda)
			assert.InDelta(t, r.intercept, f.Intercept, r.tol)
			var sum float64
			for _, c := range r.coef {
				sum += math.Abs(c)
			}
			for j, rf := range f.Rules {
				assert.Equal(t, []string{"a", "b", "c"}[j], rf.ID)
				assert.Equal(t, []int64{330, 290, 250}[j], rf.Fired)
				assert.Equal(t, threePoints[rf.ID], rf.Points)
				assert.InDelta(t, r.coef[j], rf.Coef, r.tol, rf.ID)
				assert.InDelta(t, r.coef[j]*35/sum, rf.Suggested, 1e-5, rf.ID)
				if r.se != nil {
					assert.InDelta(t, r.se[j+1], rf.SE, 1e-7, rf.ID)
				}
				assert.Greater(t, rf.SE, 0.0)
			}
			if r.se != nil {
				assert.InDelta(t, r.se[0], f.InterceptSE, 1e-7)
			}
		})
	}
}

// TestLearnRecovers fits data generated from known coefficients and finds
// them within four standard errors.
func TestLearnRecovers(t *testing.T) {
	rows := []struct {
		name   string
		beta   []float64 // intercept first
		n      int
		lambda float64
	}{
		{"four rules", []float64{-2, 1, -0.5, 0.8, 0.3}, 20000, 0},
		{"two rules, tiny penalty", []float64{-1, 1.5, -1}, 10000, 1e-6},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			p := len(r.beta) - 1
			names := make([]string, p)
			for j := range names {
				names[j] = fmt.Sprintf("r%d", j)
			}
			s := flagScorer(t, map[string]float64{"r0": 10}, names...)
			rng := rand.New(rand.NewPCG(1, 2))
			var data []scoring.Outcome
			for range r.n {
				attrs := map[string]any{}
				eta := r.beta[0]
				for j, name := range names {
					on := rng.Float64() < 0.4
					attrs[name] = on
					if on {
						eta += r.beta[j+1]
					}
				}
				data = append(data, scoring.Outcome{Lead: scoring.Lead{Attrs: attrs}, At: at, Converted: rng.Float64() < 1/(1+math.Exp(-eta))})
			}
			f, err := scoring.Learn(s, slices.Values(data), r.lambda)
			require.NoError(t, err)
			assert.InDelta(t, r.beta[0], f.Intercept, 4*f.InterceptSE)
			for j, rf := range f.Rules {
				assert.InDelta(t, r.beta[j+1], rf.Coef, 4*rf.SE, rf.ID)
			}
		})
	}
}

// TestLearnErrors checks bad models, data and penalties.
func TestLearnErrors(t *testing.T) {
	abc := flagScorer(t, threePoints, "a", "b", "c")
	// k-rules: ka fires for k = "a", kb for "b", kab for either: kab = ka + kb.
	kScorer := func(t *testing.T, extra ...scoring.Rule) *scoring.Scorer {
		rules := []scoring.Rule{
			{ID: "ka", Points: 1, When: &scoring.Condition{Attr: "k", Op: scoring.Eq, Value: "a"}},
			{ID: "kb", Points: 1, When: &scoring.Condition{Attr: "k", Op: scoring.Eq, Value: "b"}},
		}
		s, err := scoring.Compile(scoring.Model{Version: scoring.Version, Groups: []scoring.Group{{Name: "g", Rules: append(rules, extra...)}}})
		require.NoError(t, err)
		return s
	}
	kLeads := func(yield func(scoring.Outcome) bool) {
		for i := range 90 {
			k := []string{"a", "b", "z"}[i%3]
			if !yield(scoring.Outcome{Lead: scoring.Lead{Attrs: map[string]any{"k": k}}, At: at, Converted: i%7 < 3}) {
				return
			}
		}
	}
	separated := func(yield func(scoring.Outcome) bool) {
		for i := range 60 {
			a := i%2 == 0
			if !yield(scoring.Outcome{Lead: scoring.Lead{Attrs: flags(a, i%3 == 0, i%5 == 0)}, At: at, Converted: a || i%4 == 1}) {
				return
			}
		}
	}
	rows := []struct {
		name   string
		s      *scoring.Scorer
		data   iter.Seq[scoring.Outcome]
		lambda float64
		is     error
		msg    string
	}{
		{"nil scorer", nil, outcomes(threeRules), 0, kpi.ErrInvalid, "scoring.Learn: s <nil>: no scorer"},
		{"negative lambda", abc, outcomes(threeRules), -1, kpi.ErrInvalid, "scoring.Learn: lambda -1: want a penalty in [0, 1e6]"},
		{"NaN lambda", abc, outcomes(threeRules), math.NaN(), kpi.ErrInvalid, "scoring.Learn: lambda NaN: want a penalty in [0, 1e6]"},
		// Issue 13's probe: MaxFloat64 said "use a larger λ", 1e50 "the
		// Hessian … is not positive definite".
		{"lambda past 1e6", abc, outcomes(threeRules), math.Nextafter(1e6, 2e6), kpi.ErrInvalid, "scoring.Learn: lambda 1.0000000000000001e+06: want a penalty in [0, 1e6]"},
		{"lambda MaxFloat64", abc, outcomes(threeRules), math.MaxFloat64, kpi.ErrInvalid, "scoring.Learn: lambda 1.7976931348623157e+308: want a penalty in [0, 1e6]"},
		{"lambda +Inf", abc, outcomes(threeRules), math.Inf(1), kpi.ErrInvalid, "scoring.Learn: lambda +Inf: want a penalty in [0, 1e6]"},
		{"no leads", abc, outcomes(nil), 0, kpi.ErrInvalid, "scoring.Learn: train 0 leads: nothing to learn from"},
		{"nil train", abc, nil, 0, kpi.ErrInvalid, "scoring.Learn: train 0 leads: nothing to learn from"},
		{"one outcome", abc, outcomes([]pattern{{flags(true, false, true), 5, 0}}), 0, kpi.ErrUndefined, "scoring.Learn: train 0 of 5 converted: all leads have the same outcome"},
		{"rule never fires", abc, outcomes(threeRules[:3]), 0, kpi.ErrInvalid,
			"scoring.Learn: rule c fired on 0 of 470 leads: constant feature: its coefficient cannot be told from the intercept"},
		{"duplicated rule", kScorer(t, scoring.Rule{ID: "kb2", Points: 1, When: &scoring.Condition{Attr: "k", Op: scoring.In, Value: []string{"b"}}}),
			kLeads, 0, kpi.ErrInvalid, "scoring.Learn: rule kb2 fired on 30 leads: fires on exactly the same leads as rule kb: duplicated feature"},
		{"sum of rules", kScorer(t, scoring.Rule{ID: "kab", Points: 1, When: &scoring.Condition{Attr: "k", Op: scoring.In, Value: []string{"a", "b"}}}),
			kLeads, 0, kpi.ErrInvalid, "scoring.Learn: rules ka, kb, kab: linearly dependent features"},
		{"complement of rules", kScorer(t, scoring.Rule{ID: "kz", Points: 1, When: &scoring.Condition{Attr: "k", Op: scoring.Eq, Value: "z"}}),
			kLeads, 0, kpi.ErrInvalid, "scoring.Learn: rules ka, kb, kz: linearly dependent features"},
		{"separation without penalty", abc, separated, 0, kpi.ErrUndefined, "scoring.Learn: lambda 0: "},
		{"zero time", abc, slices.Values([]scoring.Outcome{{At: at}, {Converted: true}}), 0, kpi.ErrInvalid,
			"scoring.Learn: train[1] At 0001-01-01T00:00:00Z: outside the years 1900 to 2149 (kpi.MinYear, kpi.MaxYear)"},
		{"year 3000", abc, slices.Values([]scoring.Outcome{{At: time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)}}), 0, kpi.ErrInvalid,
			"scoring.Learn: train[0] At 3000-01-01T00:00:00Z: outside the years 1900 to 2149"},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			f, err := scoring.Learn(r.s, r.data, r.lambda)
			assert.Nil(t, f)
			assert.ErrorIs(t, err, r.is)
			assert.ErrorContains(t, err, r.msg)
		})
	}
	// The separated data fit with a penalty.
	f, err := scoring.Learn(abc, separated, 0.01)
	require.NoError(t, err)
	assert.Greater(t, f.Rules[0].Coef, 1.0)
}

// TestHoldout checks the held-out evaluations: on threeRules the current
// points (10, 5, 20) rank the patterns with AUC 0.7166648455710956; glm's
// coefficients (λ = 0, see TestLearn) with 0.7257703234265734, and those
// for λ = 0.01, which put a above c, with 0.7216728583916083
// (scikit-learn's roc_auc_score with the patterns as sample weights; the
// suggested points rank leads as the coefficients do).
func TestHoldout(t *testing.T) {
	rows := []struct {
		name   string
		lambda float64
		auc    float64
	}{{"maximum likelihood", 0, 0.7257703234265734}, {"penalised", 0.01, 0.7216728583916083}}
	s := flagScorer(t, threePoints, "a", "b", "c")
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			f, err := scoring.Learn(s, outcomes(threeRules), r.lambda)
			require.NoError(t, err)
			cur, sug, err := f.Holdout(outcomes(threeRules))
			require.NoError(t, err)
			assert.InDelta(t, 0.7166648455710956, cur.AUC(), 1e-12)
			assert.InDelta(t, r.auc, sug.AUC(), 1e-12)
		})
	}
}

// TestHoldoutErrors checks held-out sets that cannot be evaluated.
func TestHoldoutErrors(t *testing.T) {
	s := flagScorer(t, threePoints, "a", "b", "c")
	f, err := scoring.Learn(s, outcomes(threeRules), 0.01)
	require.NoError(t, err)
	rows := []struct {
		name string
		data iter.Seq[scoring.Outcome]
		is   error
		msg  string
	}{
		{"empty", outcomes(nil), kpi.ErrInvalid, "scoring.Fit.Holdout: test 0 leads: nothing to evaluate"},
		{"nil", nil, kpi.ErrInvalid, "scoring.Fit.Holdout: test 0 leads: nothing to evaluate"},
		{"one outcome", outcomes([]pattern{{flags(true, false, false), 3, 3}}), kpi.ErrUndefined,
			"scoring.Fit.Holdout: test 3 of 3 converted: all leads have the same outcome; AUC, KS and lift need both"},
		{"year 2150", slices.Values([]scoring.Outcome{{At: at}, {At: time.Date(2150, 1, 1, 0, 0, 0, 0, time.UTC)}}), kpi.ErrInvalid,
			"scoring.Fit.Holdout: test[1] At 2150-01-01T00:00:00Z: outside the years 1900 to 2149 (kpi.MinYear, kpi.MaxYear)"},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			_, _, err := f.Holdout(r.data)
			assert.ErrorIs(t, err, r.is)
			assert.EqualError(t, err, r.msg)
		})
	}
}
