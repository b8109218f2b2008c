package attribution

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/kpiflow/kpi/internal/errs"
)

// Rule is one rule of a channel Grouping: a touch whose source, medium and
// campaign (the UTM values utm_source, utm_medium, utm_campaign) each
// match the rule's pattern belongs to Channel. A pattern is a regular
// expression (RE2 syntax) matched against the whole value without regard
// to case; an empty pattern matches any value.
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

// NewGrouping returns the grouping of rules, tried in order, with other
// the channel of touches no rule matches.
//
// Errors wrap kpi.ErrInvalid: an empty other or rule channel, and a
// pattern that does not compile, naming the rule and the field.
func NewGrouping(other string, rules ...Rule) (*Grouping, error) {
	const fn = "attribution.NewGrouping"
	if strings.TrimSpace(other) == "" {
		return nil, errs.Invalid(fn, "other", fmt.Sprintf("%q", other), "empty channel name")
	}
	g := &Grouping{other: other, rules: make([]rule, len(rules))}
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
			re, err := regexp.Compile(`(?i)^(?:` + p.expr + `)$`)
			if err != nil {
				return nil, errs.Invalid(fn, fmt.Sprintf("rules[%d] %s", i, p.name), fmt.Sprintf("%q", p.expr), err.Error())
			}
			*p.dst = re
		}
	}
	return g, nil
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
// whether a rule matched; the Other channel and false when none does.
func (g *Grouping) Channel(source, medium, campaign string) (channel string, matched bool) {
	for i := range g.rules {
		r := &g.rules[i]
		if (r.source == nil || r.source.MatchString(source)) &&
			(r.medium == nil || r.medium.MatchString(medium)) &&
			(r.campaign == nil || r.campaign.MatchString(campaign)) {
			return r.channel, true
		}
	}
	return g.other, false
}

// Other returns the channel of touches no rule matches.
func (g *Grouping) Other() string { return g.other }
