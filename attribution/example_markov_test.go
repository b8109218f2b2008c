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
