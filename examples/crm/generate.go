package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"time"
)

// stages are the lifecycle stages the generated contacts climb, lowest
// first, with HubSpot's labels.
var stages = []string{"Subscriber", "Lead", "Marketing Qualified Lead", "Sales Qualified Lead", "Opportunity", "Customer"}

// advance is the chance of moving on from each stage to the next.
var advance = []float64{0.9, 0.45, 0.45, 0.6, 0.3}

// utm is a channel of the touch log as raw UTM values, with its weight
// among the touches.
type utm struct {
	source, medium string
	weight         int
}

var touches = []utm{
	{"google", "cpc", 30}, {"google", "organic", 25}, {"linkedin", "paid_social", 15},
	{"hubspot", "email", 15}, {"(direct)", "(none)", 10}, {"g2.com", "referral", 4}, {"radio-ad", "offline", 1},
}

// contact is one generated contact: its stage dates (zero for none) and
// its deal value if it became a customer.
type contact struct {
	id    int
	dates [6]time.Time
	value int
}

// generate makes n contacts over 2025, a HubSpot-shaped contacts export
// of them and a touch log, with faults on purpose: dates that do not
// exist, a short row, a row without ID, a duplicated contact, SQLs
// never marked as such, customers set back to lead, a touch with an
// unparseable time and a conversion flag that is neither yes nor no.
func generate(n int, seed uint64) (contacts, touchLog []byte) {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	cs := make([]contact, n)
	for i := range cs {
		c := &cs[i]
		c.id = 10001 + i
		t := start.Add(time.Duration(rng.IntN(300*24)) * time.Hour)
		k := 0
		if rng.IntN(3) == 0 { // a third start as subscribers
			c.dates[0] = t
			t = t.Add(time.Duration(24+rng.IntN(20*24)) * time.Hour)
		}
		for k = 1; k < len(stages); k++ {
			c.dates[k] = t
			if k == len(stages)-1 || rng.Float64() >= advance[k] {
				break
			}
			t = t.Add(time.Duration(12+rng.IntN(15*24)) * time.Hour)
		}
		if k >= 4 && rng.IntN(10) == 0 {
			c.dates[3] = time.Time{} // sales never marked the SQL
		}
		if k == len(stages)-1 {
			c.value = 6000 + 1000*rng.IntN(30)
			if rng.IntN(40) == 0 { // set back to lead after the sale
				c.dates[1] = c.dates[5].Add(30 * 24 * time.Hour)
			}
		}
	}
	return contactsCSV(cs), touchCSV(cs, rng)
}

func contactsCSV(cs []contact) []byte {
	var b bytes.Buffer
	b.WriteString("Record ID,First Name,Email,Lifecycle Stage")
	for _, s := range stages {
		article := "a"
		if s == "Opportunity" {
			article = "an"
		}
		fmt.Fprintf(&b, ",Became %s %s Date", article, s)
	}
	b.WriteString("\r\n") // HubSpot's exports end lines with CR LF
	for i, c := range cs {
		top := 0
		for k, d := range c.dates {
			if !d.IsZero() {
				top = k
			}
		}
		fmt.Fprintf(&b, "%d,Contact %d,c%d@example.com,%s", c.id, c.id, c.id, stages[top])
		for k, d := range c.dates {
			switch {
			case d.IsZero():
				b.WriteString(",")
			case i%1700 == 7 && k == 1:
				b.WriteString(",2025-02-30 10:00") // no such date
			default:
				fmt.Fprintf(&b, ",%s", d.Format("2006-01-02 15:04"))
			}
		}
		b.WriteString("\r\n")
		switch i {
		case 99:
			b.WriteString(",Nobody,nobody@example.com,lead,,2025-03-01 09:00,,,,\r\n") // no Record ID
		case 1999:
			b.WriteString("12001,Short Row,short@example.com\r\n")
		case 2999:
			b.Write(b.Bytes()[bytes.LastIndexByte(b.Bytes()[:b.Len()-2], '\n')+1:]) // the row again
		}
	}
	return b.Bytes()
}

func touchCSV(cs []contact, rng *rand.Rand) []byte {
	total := 0
	for _, u := range touches {
		total += u.weight
	}
	pick := func() utm {
		x := rng.IntN(total)
		for _, u := range touches {
			if x < u.weight {
				return u
			}
			x -= u.weight
		}
		return touches[0]
	}
	var b bytes.Buffer
	b.WriteString("Contact ID,utm_source,utm_medium,utm_campaign,Timestamp,Conversion,Conversion Value\n")
	for i, c := range cs {
		lead := c.dates[1]
		if lead.IsZero() || (!c.dates[5].IsZero() && lead.After(c.dates[5])) {
			lead = c.dates[0]
		}
		if lead.IsZero() {
			lead = c.dates[1]
		}
		// Touches in the 40 days before the lead, in time order.
		at := lead.Add(-time.Duration(rng.IntN(40*24)) * time.Hour)
		for j, k := 0, 1+rng.IntN(4); j < k; j++ {
			u := pick()
			fmt.Fprintf(&b, "%d,%s,%s,q%d,%s,,\n", c.id, u.source, u.medium, 1+int(at.Month()-1)/3, at.Format(time.RFC3339))
			at = at.Add(time.Duration(1+rng.IntN(max(1, int(lead.Sub(at).Hours())/2+1))) * time.Hour)
		}
		if c.value > 0 {
			fmt.Fprintf(&b, "%d,,,,%s,yes,%d.00\n", c.id, c.dates[5].Format(time.RFC3339), c.value)
		}
		switch i {
		case 500:
			fmt.Fprintf(&b, "%d,google,cpc,q1,yesterday,,\n", c.id)
		case 1500:
			fmt.Fprintf(&b, "%d,hubspot,email,q2,2025-05-05T10:00:00Z,maybe,\n", c.id)
		}
	}
	return b.Bytes()
}
