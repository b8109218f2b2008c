package attribution_test

import (
	"fmt"
	"strings"

	"github.com/kpiflow/kpi/attribution"
)

// ExampleMarkov_channelAttribution compares the library's rules with
// ChannelAttribution's at order 2 on journeys that repeat a channel: with
// repeats kept, email > email is a state of its own, and the value goes by
// the removal effects on the value.
func ExampleMarkov_channelAttribution() {
	const data = `path;total_conversions;total_conversion_value;total_null
search > email > email;2;9000;3
search;1;1000;6
email > search;1;2000;4
`
	js, _ := attribution.Read(strings.NewReader(data), attribution.Format{})
	for _, rules := range []attribution.Rules{0, attribution.ChannelAttribution} {
		r, err := attribution.Markov{Order: 2, Rules: rules}.Attribute(js)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(r.Model)
		for _, c := range r.Credits {
			fmt.Printf("  %-6s removal %.3f, value removal %.3f: %.3f conversions, %s\n",
				c.Channel, c.Removal, c.ValueRemoval, c.Conversions, c.Value)
		}
	}
	// Output:
	// markov order 2
	//   email  removal 0.750, value removal 0.000: 1.714 conversions, 5143
	//   search removal 1.000, value removal 0.000: 2.286 conversions, 6857
	// markov order 2 (ChannelAttribution)
	//   email  removal 0.750, value removal 0.917: 1.714 conversions, 5739
	//   search removal 1.000, value removal 1.000: 2.286 conversions, 6261
}

// ExampleRules_String names the Markov rules.
func ExampleRules_String() {
	for _, r := range []attribution.Rules{0, attribution.KeepRepeats, attribution.ValueRemoval, attribution.ChannelAttribution} {
		fmt.Println(r)
	}
	// Output:
	// merged
	// repeats kept
	// value removal
	// ChannelAttribution
}

// ExampleBootstrap_Attribute gives the order-1 Markov credits of a few
// journeys with their 95 % intervals from 200 bootstrap replicates, and
// the table that shows them.
func ExampleBootstrap_Attribute() {
	const data = `path;total_conversions;total_conversion_value;total_null
search > webinar > email;12;36000;40
search;4;8000;90
webinar > email;6;15000;30
email;2;3000;60
`
	js, _ := attribution.Read(strings.NewReader(data), attribution.Format{})
	r, err := attribution.Bootstrap{Model: attribution.Markov{}, Seed: 1}.Attribute(js)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range r.Credits {
		fmt.Printf("%-7s removal %.3f %v\n", c.Channel, c.Removal, c.Interval.Removal)
	}
	t, _ := attribution.NewTable(r)
	fmt.Print(t)
	// Output:
	// email   removal 0.833 [0.6765, 0.9697] 95% bootstrap-percentile
	// search  removal 0.456 [0.3282, 0.569] 95% bootstrap-percentile
	// webinar removal 0.489 [0.3712, 0.5999] 95% bootstrap-percentile
	// channel           markov order 1
	// email    11.2 [6.8, 15.8]  46.9%
	// search     6.1 [3.4, 9.7]  25.6%
	// webinar    6.6 [3.9, 9.5]  27.5%
	// value
	// email       29062 [16753, 42212]
	// search       15888 [7978, 24977]
	// webinar      17050 [9634, 25327]
	// [lo, hi]: 95% bootstrap-percentile intervals
}

// ExampleResult_ProbGreater estimates, from the bootstrap replicates, the
// probability that one channel earns more conversions than another.
func ExampleResult_ProbGreater() {
	const data = `path;total_conversions;total_null
search > email;9;30
email > search;7;25
social;1;40
`
	js, _ := attribution.Read(strings.NewReader(data), attribution.Format{})
	r, _ := attribution.Bootstrap{Model: attribution.Last{}, Seed: 3}.Attribute(js)
	for _, pair := range [][2]string{{"email", "search"}, {"email", "social"}} {
		p, _ := r.ProbGreater(pair[0], pair[1])
		fmt.Printf("P(%s > %s) = %.2f\n", pair[0], pair[1], p)
	}
	_, err := r.ProbGreater("email", "radio")
	fmt.Println(err)
	// Output:
	// P(email > search) = 0.72
	// P(email > social) = 1.00
	// attribution.Result.ProbGreater: b "radio": unknown channel
}

// ExampleMarkov_ChooseOrder compares orders 1 to 3 on journeys where the
// step after email depends on the channel before it: order 2 predicts
// the held-out journeys best.
func ExampleMarkov_ChooseOrder() {
	var js attribution.Journeys
	add := func(n int64, conv bool, path ...string) {
		j := attribution.Journey{Nulls: n}
		if conv {
			j = attribution.Journey{Conversions: n}
		}
		for _, c := range path {
			j.Touches = append(j.Touches, attribution.Touch{Channel: c})
		}
		_ = js.Add(j)
	}
	add(400, true, "search", "email", "demo")
	add(380, false, "social", "email", "blog")
	add(40, false, "search", "email", "blog")
	add(30, true, "social", "email", "demo")
	add(300, false, "search")
	oc, err := attribution.Markov{}.ChooseOrder(&js, 3)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range oc.Fits {
		fmt.Printf("order %d: %2d states, BIC %7.1f, held out %.4f ± %.4f\n", f.Order, f.States, f.BIC, f.HeldOut, f.HeldOutSE)
	}
	fmt.Println("suggested order", oc.Suggested, "by BIC", oc.ByBIC)
	// Output:
	// order 1:  6 states, BIC  3700.5, held out -0.4646 ± 0.0125
	// order 2:  7 states, BIC  3013.3, held out -0.3784 ± 0.0160
	// order 3:  9 states, BIC  3013.3, held out -0.3802 ± 0.0159
	// suggested order 2 by BIC 2
}
