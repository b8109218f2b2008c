package main

import (
	"bytes"
	"fmt"
	"math"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/attribution"
	"github.com/kpiflow/kpi/chart"
	"github.com/kpiflow/kpi/funnel"
)

// build computes every section of the page and returns it with the
// funnel chart's SVG document.
func build() (page, []byte, error) {
	f, err := funnel.New(stages...)
	if err != nil {
		return page{}, nil, err
	}
	fs, funnelSVG, err := funnelSection(f)
	if err != nil {
		return page{}, nil, err
	}
	p := page{
		Title:    "Marketing KPIs: the month in one page",
		Subtitle: "Visits to won deals this month, twelve weeks of MQL→SQL, customer cohorts since January, the lead score and channel credit for the quarter.",
		Tiles:    tiles(f),
		Sections: []section{fs},
	}
	for _, next := range []func() (section, error){trendSection, cohortSection, gainsSection, attributionSection} {
		s, err := next()
		if err != nil {
			return page{}, nil, err
		}
		p.Sections = append(p.Sections, s)
	}
	return p, funnelSVG, nil
}

// tiles are the headline numbers: the volumes at the ends of the funnel
// and what the won deals are worth.
func tiles(f *funnel.Funnel) []tile {
	ss := f.Stages()
	won := ss[len(ss)-1].Count
	overall, _ := f.Overall().Value()
	sql, _ := f.Step("SQL")
	v, _ := sql.Rate.Value()
	return []tile{
		{"Visits", count(ss[0].Count), "this month"},
		{"Leads", count(ss[1].Count), fmt.Sprintf("%.1f%% of visits", 100*float64(ss[1].Count)/float64(ss[0].Count))},
		{"MQL → SQL", fmt.Sprintf("%.0f%%", 100*v), fmt.Sprintf("target %.0f%%", 100*sla["SQL"])},
		{"Won deals", count(won), fmt.Sprintf("%.2f%% of visits", 100*overall)},
		{"Revenue won", count(won * dealSize.IntPart()), "at " + count(dealSize.IntPart()) + " a deal"},
	}
}

// funnelSection draws the funnel and says where the bottleneck is.
func funnelSection(f *funnel.Funnel) (section, []byte, error) {
	var b bytes.Buffer
	if err := chart.Funnel(&b, f, sla, chart.Options{Width: 960, Title: "Funnel: this month against the targets"}); err != nil {
		return section{}, nil, err
	}
	reading := "Every step meets its target."
	bs, err := f.Bottlenecks(sla, 0.95)
	if err != nil {
		return section{}, nil, err
	}
	if len(bs) > 0 {
		top := bs[0]
		v, _ := top.Step.Rate.Value()
		rev, err := top.Revenue(dealSize)
		if err != nil {
			return section{}, nil, err
		}
		reading = fmt.Sprintf("The bottleneck is %s→%s: %.1f%% against a %.1f%% target. Reaching the target there alone would add %.1f won deals (%s) a month; %d steps are below target in all.",
			top.Step.From, top.Step.To, 100*v, 100*top.Target, top.Gain, count(rev.IntPart()), len(bs))
	}
	return section{Title: "Where the funnel leaks", Reading: reading, SVG: inline(b.Bytes())}, b.Bytes(), nil
}

// trendSection draws twelve weeks of MQL→SQL and says whether a week
// breaks its control limits or a run rule (Laney's p′-chart).
func trendSection() (section, error) {
	ws, err := weeks()
	if err != nil {
		return section{}, err
	}
	var b bytes.Buffer
	if err := chart.Trend(&b, ws, chart.Options{Width: 440, Height: 300, Title: "MQL → SQL by week"}); err != nil {
		return section{}, err
	}
	var succ, trials int64
	var settled []kpi.Rate
	for _, w := range ws {
		if !w.Immature {
			succ, trials = succ+w.Rate.Successes(), trials+w.Rate.Trials()
			settled = append(settled, w.Rate)
		}
	}
	avg := float64(succ) / float64(trials)
	ch, err := kpi.LaneyChart(settled)
	if err != nil {
		return section{}, err
	}
	off := 0
	for _, pt := range ch.Points {
		if pt.Signals != 0 {
			off++
		}
	}
	reading := fmt.Sprintf("MQL→SQL averaged %.0f%% over the ten settled weeks, below the 50%% target; ", 100*avg)
	if off == 0 {
		reading += "no settled week breaks its Laney p′ control limits or a run rule, so the weekly swings are noise. The last two weeks are still converting (hollow)."
	} else {
		reading += fmt.Sprintf("%d settled weeks break a control rule (ringed). The last two weeks are still converting (hollow).", off)
	}
	return section{Title: "Is MQL→SQL moving?", Reading: reading, SVG: inline(b.Bytes())}, nil
}

// cohortSection draws the retention grid and reads month 2 off it.
func cohortSection() (section, error) {
	t, err := cohorts()
	if err != nil {
		return section{}, err
	}
	var b bytes.Buffer
	if err := chart.Retention(&b, t, chart.Options{Width: 440, Title: "Customers still paying, by month since they signed"}); err != nil {
		return section{}, err
	}
	r2, err := t.LogoRetention(2)
	if err != nil {
		return section{}, err
	}
	v, _ := r2.Value()
	jan, err := t.Cohorts[0].LogoRetention(3)
	if err != nil {
		return section{}, err
	}
	j, _ := jan.Value()
	reading := fmt.Sprintf("%.0f%% of customers still pay in their third month (month 2, pooled over the cohorts old enough); the January cohort keeps %.0f%% into month 3. Blank cells are months a cohort has not reached yet.", 100*v, 100*j)
	return section{Title: "Do customers stay?", Reading: reading, SVG: inline(b.Bytes())}, nil
}

// gainsSection draws the lead score's cumulative gains and reads the top
// fifth off it.
func gainsSection() (section, error) {
	e, err := evaluation()
	if err != nil {
		return section{}, err
	}
	var b bytes.Buffer
	if err := chart.Gains(&b, e, chart.Options{Width: 440, Height: 340, Title: "Lead score: deals found in the top-scored leads"}); err != nil {
		return section{}, err
	}
	gs, err := e.Gains(10)
	if err != nil {
		return section{}, err
	}
	reading := fmt.Sprintf("Working the top 20%% of leads by score reaches %.0f%% of those that become opportunities, %.1f times what random picking would; the score's AUC is %.2f.",
		100*gs[1].Gain, gs[1].CumLift, e.AUC())
	return section{Title: "Does the lead score find the deals?", Reading: reading, SVG: inline(b.Bytes())}, nil
}

// attributionSection draws the channels' credit under three models and
// says where first touch and Markov disagree most.
func attributionSection() (section, error) {
	rs, err := attributionResults()
	if err != nil {
		return section{}, err
	}
	t, err := attribution.NewTable(rs...)
	if err != nil {
		return section{}, err
	}
	var b bytes.Buffer
	if err := chart.Attribution(&b, t, chart.Options{Width: 440, Title: "Credit for the quarter's deals by channel and model"}); err != nil {
		return section{}, err
	}
	first, markov, gap := 0, 2, 0.0
	row := 0
	for i, cells := range t.Cells {
		if d := math.Abs(cells[first].Share - cells[markov].Share); d > gap {
			row, gap = i, d
		}
	}
	c := t.Cells[row]
	rois, err := rs[markov].ROI(spend)
	if err != nil {
		return section{}, err
	}
	spent := 0.0
	for _, r := range rois {
		if r.Channel == t.Channels[row] {
			spent = r.SpendShare
		}
	}
	reading := fmt.Sprintf("The models disagree most on %s: first touch gives it %.0f%% of the deals, the Markov model, which weighs every step of the journey, %.0f%%, against %.0f%% of the spend.",
		t.Channels[row], 100*c[first].Share, 100*c[markov].Share, 100*spent)
	return section{Title: "Which channels earned the deals?", Reading: reading, SVG: inline(b.Bytes())}, nil
}

// count writes a whole number with thousands separators.
func count(v int64) string {
	s := fmt.Sprint(v)
	out := ""
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 && s[i-1] != '-' {
			out += ","
		}
		out += string(r)
	}
	return out
}
