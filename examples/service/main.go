// Command service is a small HTTP service over package funnel, built on
// the standard library alone: POST a funnel's stage counts, or raw CRM
// events and a funnel definition, as JSON or CSV, and it answers the
// funnel with its intervals, the bottlenecks against the targets and the
// plan for a revenue goal, as JSON.
//
// Usage:
//
//	go run ./examples/service [-addr :8080]
//
// Endpoints:
//
//	POST /funnel   application/json: {"stages": [{"name", "count"}],
//	               "targets": {"SQL": 0.5}, "confidence": 0.95,
//	               "dealSize": "24000", "goal": "240000", "costs": {"Lead": "45"}}
//	               text/csv: the header name,count and one row per stage;
//	               targets as target.<stage>=0.5, and confidence, dealSize
//	               and goal as query parameters
//	POST /events   application/json: {"definition": funnel.Definition,
//	               "events": [funnel.Event], and the keys of /funnel but
//	               stages}
//	               text/csv: the header entity,name,time (RFC 3339) and one
//	               row per event; steps=lead,mql,sql and window=<seconds>
//	               as query parameters, with the others of /funnel
//
// Answers are {"funnel", "bottlenecks", "plan"} (plan null without a deal
// size and a goal), and for /events "result" too, the event funnel with
// its times to convert. A request that cannot be read (malformed JSON or
// CSV, an unknown key, a wrong type) is answered 400; one that reads but
// that the library rejects (a stage larger than the one before, a target
// above 1, a step with no trials to plan with) 422, told apart by
// errors.Is; errors are {"error": "message"}.
package main

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi"
	"github.com/kpiflow/kpi/funnel"
)

// maxBody bounds a request's body.
const maxBody = 8 << 20

func main() {
	addr := flag.String("addr", ":8080", "the address to listen on")
	flag.Parse()
	srv := &http.Server{Addr: *addr, Handler: handler(), ReadHeaderTimeout: 10 * time.Second}
	log.Printf("service: listening on %s", *addr)
	log.Fatal(srv.ListenAndServe())
}

// handler routes the service's endpoints.
func handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /funnel", serve(readFunnel))
	mux.HandleFunc("POST /events", serve(readEvents))
	return mux
}

// errMalformed marks a request the service cannot read: answered 400.
var errMalformed = errors.New("malformed request")

// request is what every endpoint answers from.
type request struct {
	Targets    map[string]float64         `json:"targets"`
	Confidence float64                    `json:"confidence"`
	DealSize   decimal.Decimal            `json:"dealSize"`
	Goal       decimal.Decimal            `json:"goal"`
	Costs      map[string]decimal.Decimal `json:"costs"`
}

// answer is the service's JSON answer.
type answer struct {
	Result      *funnel.Result      `json:"result,omitempty"`
	Funnel      *funnel.Funnel      `json:"funnel"`
	Bottlenecks []funnel.Bottleneck `json:"bottlenecks"`
	Plan        *funnel.Projection  `json:"plan"`
}

// serve reads a request with read and answers it.
func serve(read func(*http.Request, []byte) (*funnel.Funnel, *funnel.Result, request, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		if err != nil {
			reply(w, fmt.Errorf("%w: %w", errMalformed, err))
			return
		}
		f, res, req, err := read(r, body)
		if err != nil {
			reply(w, err)
			return
		}
		a, err := analyse(f, req)
		if err != nil {
			reply(w, err)
			return
		}
		a.Result = res
		reply(w, a)
	}
}

// analyse finds the funnel's bottlenecks against the targets and plans
// for the goal.
func analyse(f *funnel.Funnel, req request) (answer, error) {
	if req.Confidence == 0 {
		req.Confidence = 0.95
	}
	a := answer{Funnel: f, Bottlenecks: []funnel.Bottleneck{}}
	bs, err := f.Bottlenecks(req.Targets, req.Confidence)
	if err != nil {
		return answer{}, err
	}
	if bs != nil {
		a.Bottlenecks = bs
	}
	if req.DealSize.IsZero() && req.Goal.IsZero() {
		return a, nil
	}
	m, err := f.Model(req.DealSize)
	if err != nil {
		return answer{}, err
	}
	m.Costs = req.Costs
	p, err := funnel.Plan(m, req.Goal)
	if err != nil {
		return answer{}, err
	}
	a.Plan = &p
	return a, nil
}

// reply writes v as JSON, or an error as {"error": ...} with its status:
// 400 for errMalformed, 422 for kpi.ErrInvalid and kpi.ErrUndefined,
// 415 for errMediaType, 500 otherwise.
func reply(w http.ResponseWriter, v any) {
	status := http.StatusOK
	if err, ok := v.(error); ok {
		switch {
		case errors.Is(err, errMalformed):
			status = http.StatusBadRequest
		case errors.Is(err, errMediaType):
			status = http.StatusUnsupportedMediaType
		case errors.Is(err, kpi.ErrInvalid), errors.Is(err, kpi.ErrUndefined):
			status = http.StatusUnprocessableEntity
		default:
			status = http.StatusInternalServerError
		}
		v = map[string]string{"error": err.Error()}
	}
	b, err := json.Marshal(v)
	if err != nil { // no value of the library fails to marshal
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

// errMediaType marks a body that is neither JSON nor CSV: answered 415.
var errMediaType = errors.New("unsupported media type: want application/json or text/csv")

// isCSV reports whether the request's body is CSV, JSON being the default.
func isCSV(r *http.Request) (bool, error) {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return false, nil
	}
	mt, _, err := mime.ParseMediaType(ct)
	switch {
	case err != nil:
		return false, fmt.Errorf("%w: %q", errMediaType, ct)
	case mt == "text/csv":
		return true, nil
	case mt == "application/json":
		return false, nil
	}
	return false, fmt.Errorf("%w: %q", errMediaType, mt)
}

// decode decodes JSON strictly: unknown keys are errors.
func decode(body []byte, v any) error {
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%w: %w", errMalformed, err)
	}
	if dec.More() {
		return fmt.Errorf("%w: data after the JSON object", errMalformed)
	}
	return nil
}

// readFunnel reads stage counts.
func readFunnel(r *http.Request, body []byte) (*funnel.Funnel, *funnel.Result, request, error) {
	var in struct {
		request
		Stages []funnel.Stage `json:"stages"`
	}
	csvBody, err := isCSV(r)
	if err != nil {
		return nil, nil, request{}, err
	}
	if csvBody {
		in.request, err = queryRequest(r.URL.Query())
		if err == nil {
			in.Stages, err = csvStages(body)
		}
	} else {
		err = decode(body, &in)
	}
	if err != nil {
		return nil, nil, request{}, err
	}
	f, err := funnel.New(in.Stages...)
	return f, nil, in.request, err
}

// readEvents reads events and a definition, and counts them.
func readEvents(r *http.Request, body []byte) (*funnel.Funnel, *funnel.Result, request, error) {
	var in struct {
		request
		Definition json.RawMessage `json:"definition"`
		Events     []funnel.Event  `json:"events"`
	}
	var def funnel.Definition
	csvBody, err := isCSV(r)
	if err != nil {
		return nil, nil, request{}, err
	}
	if csvBody {
		q := r.URL.Query()
		in.request, err = queryRequest(q)
		if err == nil {
			def, err = queryDefinition(q)
		}
		if err == nil {
			in.Events, err = csvEvents(body)
		}
	} else if err = decode(body, &in); err == nil {
		if len(in.Definition) == 0 {
			return nil, nil, request{}, fmt.Errorf("%w: no definition", errMalformed)
		}
		// The definition's own checks are the library's: 422, not 400.
		err = json.Unmarshal(in.Definition, &def)
	}
	if err != nil {
		return nil, nil, request{}, err
	}
	c, err := funnel.NewCounter(def)
	if err != nil {
		return nil, nil, request{}, err
	}
	for _, e := range in.Events {
		if err := c.Add(e); err != nil {
			return nil, nil, request{}, err
		}
	}
	res, err := c.Result()
	if err != nil {
		return nil, nil, request{}, err
	}
	f, err := res.Funnel()
	return f, res, in.request, err
}

// queryRequest reads the analysis parameters of a CSV request from its
// query: target.<stage>, confidence, dealSize, goal and cost.<stage>.
func queryRequest(q url.Values) (request, error) {
	var req request
	for k, vs := range q {
		v := vs[0]
		var err error
		switch name, stage, _ := strings.Cut(k, "."); name {
		case "target":
			if req.Targets == nil {
				req.Targets = map[string]float64{}
			}
			req.Targets[stage], err = strconv.ParseFloat(v, 64)
		case "cost":
			if req.Costs == nil {
				req.Costs = map[string]decimal.Decimal{}
			}
			req.Costs[stage], err = decimal.NewFromString(v)
		case "confidence":
			req.Confidence, err = strconv.ParseFloat(v, 64)
		case "dealSize":
			req.DealSize, err = decimal.NewFromString(v)
		case "goal":
			req.Goal, err = decimal.NewFromString(v)
		case "steps", "window":
		default:
			err = errors.New("unknown parameter")
		}
		if err != nil {
			return request{}, fmt.Errorf("%w: query %s=%q: %w", errMalformed, k, v, err)
		}
	}
	return req, nil
}

// queryDefinition reads an event funnel's steps and window from a query.
func queryDefinition(q url.Values) (funnel.Definition, error) {
	var d funnel.Definition
	for _, s := range strings.Split(q.Get("steps"), ",") {
		d.Steps = append(d.Steps, funnel.Match{Event: s})
	}
	if w := q.Get("window"); w != "" {
		sec, err := strconv.ParseFloat(w, 64)
		if err != nil {
			return d, fmt.Errorf("%w: query window=%q: %w", errMalformed, w, err)
		}
		d.Window = time.Duration(sec * float64(time.Second))
	}
	return d, nil
}

// csvRows reads a CSV body with the given header, calling row for each
// record after it.
func csvRows(body []byte, header []string, row func(line int, rec []string) error) error {
	cr := csv.NewReader(strings.NewReader(string(body)))
	cr.FieldsPerRecord = len(header)
	cr.ReuseRecord = true
	for line := 1; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%w: %w", errMalformed, err)
		}
		if line == 1 {
			if strings.Join(rec, ",") != strings.Join(header, ",") {
				return fmt.Errorf("%w: line 1: header %q, want %q", errMalformed, strings.Join(rec, ","), strings.Join(header, ","))
			}
			continue
		}
		if err := row(line, rec); err != nil {
			return fmt.Errorf("%w: line %d: %w", errMalformed, line, err)
		}
	}
}

// csvStages reads name,count rows.
func csvStages(body []byte) ([]funnel.Stage, error) {
	var stages []funnel.Stage
	err := csvRows(body, []string{"name", "count"}, func(_ int, rec []string) error {
		n, err := strconv.ParseInt(rec[1], 10, 64)
		stages = append(stages, funnel.Stage{Name: rec[0], Count: n})
		return err
	})
	return stages, err
}

// csvEvents reads entity,name,time rows.
func csvEvents(body []byte) ([]funnel.Event, error) {
	var events []funnel.Event
	err := csvRows(body, []string{"entity", "name", "time"}, func(_ int, rec []string) error {
		t, err := time.Parse(time.RFC3339, rec[2])
		events = append(events, funnel.Event{Entity: rec[0], Name: rec[1], Time: t})
		return err
	})
	return events, err
}
