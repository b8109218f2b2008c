package attribution

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"strconv"
	"strings"
	"sync"

	"github.com/kpiflow/kpi/internal/errs"
)

// Rule is one rule of a channel Grouping: a touch whose source, medium and
// campaign (the UTM values utm_source, utm_medium, utm_campaign) each
// match the rule's pattern belongs to Channel. A pattern is a regular
// expression (RE2 syntax) matched against the whole value without regard
// to case; an empty pattern matches any value. A pattern holds at most
// MaxPattern bytes, and a value longer than MaxUTMValue bytes matches no
// pattern but the empty one.
type Rule struct {
	Channel                  string
	Source, Medium, Campaign string
}

// Grouping maps raw UTM values to channels by ordered rules, like Google
// Analytics 4's default channel grouping: the first rule that matches
// names the channel, and a touch no rule matches goes to the Other
// channel. A Grouping is immutable and safe for concurrent use; the zero
// Grouping has no rules and an empty Other channel, so it maps every
// touch to "".
type Grouping struct {
	rules []rule
	other string
}

type rule struct {
	channel                  string
	source, medium, campaign *regexp.Regexp
}

// MaxPattern is the most bytes a Rule's pattern holds, and MaxUTMValue
// the longest UTM value Grouping.Channel matches against a pattern: a
// longer value matches only empty patterns. Go's regular expressions cost
// the text's length times the compiled program's size, and a probe
// matching a 120 KB pattern against a 20 KB source took 48 s and 12.5 GB.
// NewGrouping also refuses a pattern whose program has more than 2048
// instructions (`(?:.*a){1000}`, 13 bytes, has 3004), so that one match
// costs at most about 20 ms (TestGroupingCostBounded), and a grouping
// whose patterns have more than 65 536 instructions in all, so that
// Channel costs at most about half a second however many rules there are
// (BenchmarkGroupingCostBounded). DefaultGrouping's largest pattern has
// 114 instructions and all its 21 rules 1 027; a rule matching one source
// by name, like google, has about 10.
const (
	MaxPattern  = 1 << 10
	MaxUTMValue = 1 << 10
)

// maxProgram is the most instructions a pattern's program may have, and
// maxPrograms the most all of a grouping's patterns may have together.
const (
	maxProgram  = 2048
	maxPrograms = 1 << 16
)

// NewGrouping returns the grouping of rules, tried in order, with other
// the channel of touches no rule matches.
//
// Errors wrap kpi.ErrInvalid, naming the rule and the field: an empty
// other or rule channel, a pattern that does not compile, and one longer
// than MaxPattern bytes (quoted cut short) or whose compiled program has
// more than 2048 instructions, and the first pattern that takes the
// rules' programs past 65 536 instructions in all.
func NewGrouping(other string, rules ...Rule) (*Grouping, error) {
	const fn = "attribution.NewGrouping"
	if strings.TrimSpace(other) == "" {
		return nil, errs.Invalid(fn, "other", fmt.Sprintf("%q", other), "empty channel name")
	}
	g := &Grouping{other: other, rules: make([]rule, len(rules))}
	total := 0 // instructions of the patterns so far
	for i, r := range rules {
		if strings.TrimSpace(r.Channel) == "" {
			return nil, errs.Invalid(fn, fmt.Sprintf("rules[%d] channel", i), fmt.Sprintf("%q", r.Channel), "empty channel name")
		}
		g.rules[i].channel = r.Channel
		for _, p := range []struct {
			name string
			expr string
			dst  **regexp.Regexp
		}{{"source", r.Source, &g.rules[i].source}, {"medium", r.Medium, &g.rules[i].medium}, {"campaign", r.Campaign, &g.rules[i].campaign}} {
			if p.expr == "" {
				continue
			}
			field := fmt.Sprintf("rules[%d] %s", i, p.name)
			if len(p.expr) > MaxPattern {
				return nil, errs.Invalid(fn, field, strconv.Quote(p.expr[:64])+"…", fmt.Sprintf("a pattern of %d bytes: more than %d (MaxPattern)", len(p.expr), MaxPattern))
			}
			expr := `(?i)^(?:` + p.expr + `)$`
			re, err := regexp.Compile(expr)
			if err != nil {
				return nil, errs.Invalid(fn, field, fmt.Sprintf("%q", p.expr), err.Error())
			}
			if n := progSize(expr); n > maxProgram {
				return nil, errs.Invalid(fn, field, fmt.Sprintf("%q", p.expr), fmt.Sprintf("compiles to %d instructions: more than %d", n, maxProgram))
			} else if total += n; total > maxPrograms {
				return nil, errs.Invalid(fn, field, fmt.Sprintf("%q", p.expr), fmt.Sprintf("takes the rules to %d instructions in all: more than %d", total, maxPrograms))
			}
			*p.dst = re
		}
	}
	return g, nil
}

// progSize returns the number of instructions of expr's program, which
// regexp.Compile has accepted.
func progSize(expr string) int {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return 0 // unreachable: regexp.Compile parsed it
	}
	prog, err := syntax.Compile(re.Simplify())
	if err != nil {
		return 0
	}
	return len(prog.Inst)
}

// The site lists and media of DefaultGrouping.
const (
	searchSites = `(.*\.)?(google|bing|yahoo|baidu|duckduckgo|yandex|ecosia|naver|ask|aol|startpage|qwant|brave)(\.[a-z.]+)?`
	socialSites = `(.*\.)?(facebook|fb|instagram|ig|linkedin|lnkd|twitter|t\.co|x|reddit|pinterest|tiktok|threads|quora|xing|meta)(\.[a-z.]+)?`
	videoSites  = `(.*\.)?(youtube|vimeo|wistia|twitch|dailymotion)(\.[a-z.]+)?`
	paidMedia   = `.*cp.*|ppc|retargeting|paid.*`
	emailWords  = `email|e-mail|e_mail|e mail|newsletter`
)

// DefaultGrouping returns a grouping modelled on Google Analytics 4's
// default channel group, in its order, with "Unassigned" for touches no
// rule matches. Empty source and medium count as direct.
//
//	Direct          source (direct), direct or empty, and medium (none), (not set), none or empty
//	Cross-network   campaign contains cross-network
//	Paid Search     a search site source, and a paid medium (.*cp.*, ppc, retargeting, paid.*)
//	Paid Social     a social site source, and a paid medium
//	Paid Video      a video site source, and a paid medium
//	Display         medium display, banner, expandable, interstitial or cpm
//	Paid Other      any other paid medium
//	Organic Search  a search site source, or medium organic
//	Organic Social  a social site source, or medium social, social-network, social-media, sm
//	Organic Video   a video site source, or a medium containing video
//	Email           source or medium email, e-mail, e_mail, e mail, newsletter
//	Affiliates      medium affiliate
//	Referral        medium referral, app or link
//	Audio           medium audio
//	SMS             source or medium sms
//	Mobile Push     medium ending in push, containing mobile, or notification
//
// The site lists are short (Google, Bing, Yahoo, Baidu, DuckDuckGo,
// Yandex, Ecosia, …; Facebook, Instagram, LinkedIn, X/Twitter, Reddit, …;
// YouTube, Vimeo, Wistia, …), not GA4's full lists; extend them with
// NewGrouping.
// The grouping is built once and shared: a Grouping does not change.
func DefaultGrouping() *Grouping { return defaultGrouping() }

var defaultGrouping = sync.OnceValue(func() *Grouping {
	g, err := NewGrouping("Unassigned",
		Rule{Channel: "Direct", Source: `\(direct\)|direct|`, Medium: `\(none\)|\(not set\)|none|`},
		Rule{Channel: "Cross-network", Campaign: `.*cross-network.*`},
		Rule{Channel: "Paid Search", Source: searchSites, Medium: paidMedia},
		Rule{Channel: "Paid Social", Source: socialSites, Medium: paidMedia},
		Rule{Channel: "Paid Video", Source: videoSites, Medium: paidMedia},
		Rule{Channel: "Display", Medium: `display|banner|expandable|interstitial|cpm`},
		Rule{Channel: "Paid Other", Medium: paidMedia},
		Rule{Channel: "Organic Search", Source: searchSites},
		Rule{Channel: "Organic Search", Medium: `organic`},
		Rule{Channel: "Organic Social", Source: socialSites},
		Rule{Channel: "Organic Social", Medium: `social|social-network|social-media|sm|social network|social media`},
		Rule{Channel: "Organic Video", Source: videoSites},
		Rule{Channel: "Organic Video", Medium: `.*video.*`},
		Rule{Channel: "Email", Source: emailWords},
		Rule{Channel: "Email", Medium: emailWords},
		Rule{Channel: "Affiliates", Medium: `affiliate`},
		Rule{Channel: "Referral", Medium: `referral|app|link`},
		Rule{Channel: "Audio", Medium: `audio`},
		Rule{Channel: "SMS", Source: `sms`},
		Rule{Channel: "SMS", Medium: `sms`},
		Rule{Channel: "Mobile Push", Medium: `.*push|.*mobile.*|notification`},
	)
	if err != nil {
		panic(err) // the rules above compile; a test checks it
	}
	return g
})

// Channel returns the channel of a touch with the given UTM values, and
// whether a rule matched; the Other channel and false when none does. A
// value longer than MaxUTMValue bytes matches only empty patterns.
func (g *Grouping) Channel(source, medium, campaign string) (channel string, matched bool) {
	for i := range g.rules {
		r := &g.rules[i]
		if match(r.source, source) && match(r.medium, medium) && match(r.campaign, campaign) {
			return r.channel, true
		}
	}
	return g.other, false
}

// match reports whether value matches re, a nil re matching any value
// and a non-nil one no value longer than MaxUTMValue bytes.
func match(re *regexp.Regexp, value string) bool {
	return re == nil || len(value) <= MaxUTMValue && re.MatchString(value)
}

// Other returns the channel of touches no rule matches.
func (g *Grouping) Other() string { return g.other }
