package attribution_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi/attribution"
)

// A touch log with UTM values, grouped into channels, read into journeys
// (one per conversion, one for the touches that led to none), and set
// against spend: radio was paid for and reached nobody.
func ExampleReadTouches() {
	in := "Contact ID,utm_source,utm_medium,Timestamp,Conversion,Conversion Value\n" +
		"1,google,cpc,2025-01-02 09:00,,\n" +
		"1,hubspot,email,2025-01-09 10:00,,\n" +
		"1,,,2025-01-20 15:00,yes,12000\n" +
		"2,linkedin,paid_social,2025-01-03 11:00,,\n" +
		"2,google,cpc,2025-01-04 12:00,maybe,\n"
	js, health, err := attribution.ReadTouches(strings.NewReader(in), attribution.TouchLog{Location: time.UTC})
	if err != nil {
		panic(err)
	}
	fmt.Print(health)
	r, _ := attribution.Linear{}.Attribute(js)
	rows, _ := r.ROI(map[string]decimal.Decimal{"Paid Search": decimal.NewFromInt(3000), "Radio": decimal.NewFromInt(1000)})
	for _, x := range rows {
		fmt.Printf("%-12s %.1f conversions, value %s, spend %s\n", x.Channel, x.Conversions, x.Value, x.Spend)
	}
	// Output:
	// rows: 5 read, 4 used, 1 rejected
	//   line 6, column "Conversion": not yes or no "maybe"
	// duplicates 0, out of order 0, skipped stages 0 entities, backward 0 entities
	// Email        0.5 conversions, value 6000, spend 0
	// Paid Search  0.5 conversions, value 6000, spend 3000
	// Paid Social  0.0 conversions, value 0, spend 0
	// Radio        0.0 conversions, value 0, spend 1000
}

// GA4-like default channels for raw UTM values.
func ExampleDefaultGrouping() {
	g := attribution.DefaultGrouping()
	for _, utm := range [][2]string{{"google", "cpc"}, {"google", "organic"}, {"linkedin", "social"}, {"radio", "offline"}} {
		ch, matched := g.Channel(utm[0], utm[1], "")
		fmt.Println(utm[0], utm[1], "→", ch, matched)
	}
	// Output:
	// google cpc → Paid Search true
	// google organic → Organic Search true
	// linkedin social → Organic Social true
	// radio offline → Unassigned false
}

// A grouping of one's own: ordered rules, and a channel for the rest.
func ExampleNewGrouping() {
	g, err := attribution.NewGrouping("Other",
		attribution.Rule{Channel: "Events", Medium: "event|trade-?show"},
		attribution.Rule{Channel: "Partners", Source: "partner-.*"},
	)
	if err != nil {
		panic(err)
	}
	ch, _ := g.Channel("partner-acme", "referral", "")
	fmt.Println(ch)
	// Output: Partners
}

// The first rule that matches names the channel.
func ExampleGrouping_Channel() {
	g, _ := attribution.NewGrouping("Other",
		attribution.Rule{Channel: "Brand Search", Source: "google", Campaign: "brand.*"},
		attribution.Rule{Channel: "Search", Source: "google"},
	)
	a, _ := g.Channel("google", "cpc", "brand-q1")
	b, _ := g.Channel("google", "cpc", "generic")
	fmt.Println(a, "/", b)
	// Output: Brand Search / Search
}

// The channel of touches no rule matches.
func ExampleGrouping_Other() {
	fmt.Println(attribution.DefaultGrouping().Other())
	// Output: Unassigned
}
