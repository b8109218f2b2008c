package main

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/kpiflow/kpi/scoring"
)

func init() { register(35, "Scoring: does the score predict deals?", evaluateSection) }

// pastLeads generates n leads as a CRM would hold them at time at, with
// whether each became an opportunity. The outcomes follow a propensity
// that weighs the signals differently from the quickstart model: a demo
// request matters most, pricing visits more than the model thinks, form
// fills hardly at all. The seed is fixed, so the tour is reproducible.
func pastLeads(n int, at time.Time) []scoring.Outcome {
	rng := rand.New(rand.NewPCG(2026, 6))
	ago := func(days float64) time.Time { return at.Add(-time.Duration(days * 24 * float64(time.Hour))) }
	out := make([]scoring.Outcome, n)
	for i := range out {
		attrs := map[string]any{"title": "Manager", "employees": 20, "email": "x@corp.example"}
		eta := -3.2
		if u := rng.Float64(); u < 0.25 {
			attrs["title"], eta = "VP Sales", eta+0.9
		} else if u > 0.8 {
			attrs["title"] = "Student"
		}
		if rng.Float64() < 0.6 {
			attrs["employees"], eta = 50+rng.IntN(4000), eta+0.7
		}
		if rng.Float64() < 0.2 {
			attrs["email"], eta = "x@gmail.com", eta-1.2
		}
		var events []scoring.Event
		if rng.Float64() < 0.15 {
			events = append(events, scoring.Event{Type: "demo_request", Time: ago(rng.Float64() * 80)})
			eta += 2.2
		}
		if rng.Float64() < 0.4 {
			events = append(events, scoring.Event{Type: "form_submit", Time: ago(rng.Float64() * 60)})
			eta += 0.1
		}
		views := rng.IntN(5)
		for range views {
			events = append(events, scoring.Event{Type: "page_view", Time: ago(rng.Float64() * 30), Props: map[string]any{"url": "/pricing"}})
		}
		eta += 0.5 * float64(min(views, 3))
		out[i] = scoring.Outcome{Lead: scoring.Lead{Attrs: attrs, Events: events}, At: at,
			Converted: rng.Float64() < 1/(1+math.Exp(-eta))}
	}
	return out
}

// evaluateSection scores past leads with the quickstart model, measures
// how well the score ranks those that became opportunities, chooses an
// MQL threshold, and learns what each rule's points should be.
func evaluateSection(w io.Writer) error {
	s, err := quickstartScorer()
	if err != nil {
		return err
	}
	at := scoringAt
	leads := pastLeads(4000, at)
	scores := make([]float64, len(leads))
	won := make([]bool, len(leads))
	var r scoring.Result
	for i, o := range leads {
		s.ScoreTo(&r, o.Lead, o.At)
		scores[i], won[i] = r.Total, o.Converted
	}
	e, err := scoring.Evaluate(scores, won)
	if err != nil {
		return err
	}
	n, p := e.Leads()
	ks, ksAt := e.KS()
	fmt.Fprintf(w, "%d leads, %d became opportunities; AUC %.3f, KS %.3f at score %.4g\n", n, p, e.AUC(), ks, ksAt)
	gains, err := e.Gains(10)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "decile   top  bottom    won  rate  lift  cum. gain")
	for k, g := range gains {
		fmt.Fprintf(w, "%4d   %5.1f  %5.1f   %5.1f  %3.0f%%  %4.2f  %4.0f%%\n",
			k+1, g.MaxScore, g.MinScore, g.Converted, 100*g.Rate, g.Lift, 100*g.Gain)
	}
	y := e.Youden()
	prec, err := y.Precision()
	if err != nil {
		return err
	}
	rec, err := y.Recall()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "MQL threshold by Youden's J: %.4g → %d MQLs, %.0f%% convert, %.0f%% of deals caught\n",
		y.Threshold, y.TP+y.FP, 100*prec, 100*rec)
	c, err := e.Capacity(400)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "sales can work 400: threshold %.4g selects %d (%d tied at it)\n", c.Threshold, c.TP+c.FP, c.Tied)

	// Learn points from half the leads; compare on the other half.
	fit, err := scoring.Learn(s, slices.Values(leads[:2000]), 1e-3)
	if err != nil {
		return err
	}
	var sug []string
	for _, rf := range fit.Rules {
		sug = append(sug, fmt.Sprintf("%s %.0f→%.0f", rf.ID, rf.Points, rf.Suggested))
	}
	fmt.Fprintln(w, "learned points:", strings.Join(sug, ", "))
	cur, next, err := fit.Holdout(slices.Values(leads[2000:]))
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "held-out AUC: current points %.3f, learned points %.3f\n", cur.AUC(), next.AUC())
	return nil
}
