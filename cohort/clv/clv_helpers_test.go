package clv_test

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/kpiflow/kpi/cohort/clv"
)

// bgParams are the parameters of a BG/NBD model and, optionally, of a
// Gamma–Gamma model of the values, for simulation.
type bgParams struct {
	r, alpha, a, b float64
	p, q, gamma    float64 // zero p: every purchase is worth 1
}

// simulate draws n customers from the BG/NBD model with the given
// parameters (and their purchase values from the Gamma–Gamma model), each
// observed for an age T drawn from ages, and counts their purchases in a
// holdout of length holdout after T. When grid > 0, purchase times are
// rounded up to multiples of grid (a calendar of days), so that histories
// repeat as they do in real data. The draws follow the models' stories:
// λ ~ Gamma(r, α), p ~ Beta(a, b); purchases come at rate λ after the
// first at time 0, and after each repeat purchase the customer drops out
// with probability p; each value is Gamma(p, ν) with ν ~ Gamma(q, γ).
func simulate(par bgParams, n int, ages []float64, holdout, grid float64, seed uint64) []clv.RFM {
	src := rand.New(rand.NewPCG(seed, 7))
	lambda := distuv.Gamma{Alpha: par.r, Beta: par.alpha, Src: src}
	drop := distuv.Beta{Alpha: par.a, Beta: par.b, Src: src}
	var nu distuv.Gamma
	if par.p > 0 {
		nu = distuv.Gamma{Alpha: par.q, Beta: par.gamma, Src: src}
	}
	out := make([]clv.RFM, n)
	for i := range out {
		T := ages[i%len(ages)]
		l, p := lambda.Rand(), drop.Rand()
		var value distuv.Gamma
		if par.p > 0 {
			value = distuv.Gamma{Alpha: par.p, Beta: nu.Rand(), Src: src}
		}
		var x, holdoutN int64
		var last, sum float64
		t := 0.0
		for {
			t += src.ExpFloat64() / l
			at := t
			if grid > 0 {
				at = math.Ceil(t/grid) * grid
			}
			if at > T+holdout || math.IsInf(t, 0) {
				break
			}
			if at <= T {
				x++
				last = at
				if par.p > 0 {
					sum += value.Rand()
				}
			} else {
				holdoutN++
			}
			if src.Float64() < p {
				break
			}
		}
		c := clv.RFM{History: clv.History{Frequency: x, Recency: last, Age: T}, Holdout: holdoutN}
		if x > 0 && par.p > 0 {
			c.Value = decimal.NewFromFloat(sum / float64(x)).Round(6)
			if !c.Value.IsPositive() {
				c.Value = decimal.New(1, -6)
			}
		}
		out[i] = c
	}
	return out
}

// weeks returns the ages 0 … 13 weeks after the start of a quarter's
// acquisitions, measured at the end of a 39-week calibration, in days
// over 7: customers acquired on each day of 13 weeks.
func weeks() []float64 {
	ages := make([]float64, 91)
	for d := range ages {
		ages[d] = float64(273-d) / 7
	}
	return ages
}

func mustBG(t testing.TB, r, alpha, a, b float64) clv.BGNBD {
	m, err := clv.NewBGNBD(r, alpha, a, b)
	require.NoError(t, err)
	return m
}

func mustGG(t testing.TB, p, q, gamma float64) clv.GammaGamma {
	m, err := clv.NewGammaGamma(p, q, gamma)
	require.NoError(t, err)
	return m
}

func hist(x int64, tx, T float64) clv.History {
	return clv.History{Frequency: x, Recency: tx, Age: T}
}

func rfm(x int64, tx, T float64, value string) clv.RFM {
	return clv.RFM{History: hist(x, tx, T), Value: d(value)}
}

// transactions draws n customers' purchases from the BG/NBD model, each
// customer acquired on one of the 91 days from 1997-01-01, with purchase
// times in weeks rounded up to days, through 1998-06-30; every purchase
// is worth 10.
func transactions(par bgParams, n int, seed uint64) []clv.Transaction {
	src := rand.New(rand.NewPCG(seed, 11))
	lambda := distuv.Gamma{Alpha: par.r, Beta: par.alpha, Src: src}
	drop := distuv.Beta{Alpha: par.a, Beta: par.b, Src: src}
	start := time.Date(1997, 1, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(1998, 6, 30, 0, 0, 0, 0, time.UTC)
	ten := decimal.NewFromInt(10)
	var out []clv.Transaction
	for i := range n {
		id := strconv.Itoa(i)
		first := start.AddDate(0, 0, i%91)
		out = append(out, clv.Transaction{CustomerID: id, At: first, Amount: ten})
		l, p := lambda.Rand(), drop.Rand()
		t := 0.0
		for {
			t += src.ExpFloat64() / l
			at := first.AddDate(0, 0, int(math.Ceil(t*7)))
			if math.IsInf(t, 0) || t > 100 || at.After(end) {
				break
			}
			out = append(out, clv.Transaction{CustomerID: id, At: at, Amount: ten})
			if src.Float64() < p {
				break
			}
		}
	}
	return out
}
