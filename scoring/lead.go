package scoring

import "time"

// Lead is what a Scorer scores: the lead's attributes and its activity.
// It decodes from JSON as is (see the package documentation), and a
// service can fill it from a CRM record without conversion.
//
// Attribute values may be strings, numbers (any Go integer or float type,
// or json.Number), booleans, time.Time, nil, or lists of these ([]string,
// []float64, []int, []any). Times may also be RFC 3339 strings, as JSON
// leaves them. A condition on a list attribute holds when it holds for at
// least one element (for Ne and NotIn: for no element).
type Lead struct {
	ID     string         `json:"id,omitempty"`
	Attrs  map[string]any `json:"attrs,omitempty"`
	Events []Event        `json:"events,omitempty"`
}

// Event is one activity of a lead, as scoring rules test it (funnel.Event is
// a step reached in a funnel): its type (such as "form_submit"), when it
// happened, and its properties, which take the same values as a lead's
// attributes.
type Event struct {
	Type  string         `json:"type"`
	Time  time.Time      `json:"time"`
	Props map[string]any `json:"props,omitempty"`
}
