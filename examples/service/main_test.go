package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// post sends body to the test server and decodes the JSON answer.
func post(t *testing.T, srv *httptest.Server, path, contentType, body string) (int, map[string]any) {
	t.Helper()
	resp, err := http.Post(srv.URL+path, contentType, strings.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	var out map[string]any
	require.NoError(t, json.Unmarshal(b, &out), "%s", b)
	return resp.StatusCode, out
}

const stagesJSON = `{"stages":[{"name":"Visit","count":12000},{"name":"Lead","count":240},{"name":"MQL","count":96},{"name":"SQL","count":40},{"name":"Won","count":6}]`

const eventsJSON = `{"definition":{"steps":[{"event":"lead"},{"event":"mql"},{"event":"sql"}],"window":2592000},
"events":[
 {"entity":"ana","name":"lead","time":"2026-04-01T00:00:00Z"},{"entity":"ana","name":"mql","time":"2026-04-04T00:00:00Z"},
 {"entity":"ana","name":"sql","time":"2026-04-11T00:00:00Z"},{"entity":"ben","name":"lead","time":"2026-04-02T00:00:00Z"},
 {"entity":"ben","name":"mql","time":"2026-04-09T00:00:00Z"},{"entity":"cho","name":"lead","time":"2026-04-03T00:00:00Z"}],
"targets":{"sql":0.9},"dealSize":"1000","goal":"10000"}`

const eventsCSV = "entity,name,time\nana,lead,2026-04-01T00:00:00Z\nana,mql,2026-04-04T00:00:00Z\nben,lead,2026-04-02T00:00:00Z\n"

func TestService(t *testing.T) {
	srv := httptest.NewServer(handler())
	defer srv.Close()
	tests := []struct {
		name, path, contentType, body string
		check                         func(t *testing.T, out map[string]any)
	}{
		{"funnel as JSON", "/funnel", "application/json", stagesJSON + `,"targets":{"SQL":0.5,"Won":0.3},"dealSize":"24000","goal":"240000","costs":{"Lead":"45"}}`,
			func(t *testing.T, out map[string]any) {
				bs := out["bottlenecks"].([]any)
				require.Len(t, bs, 2)
				// Won: (0.3 − 6/40)·40 = 6 more deals by hand; SQL:
				// (0.5 − 40/96)·96·(6/40) = 1.2.
				assert.Equal(t, "Won", bs[0].(map[string]any)["step"].(map[string]any)["to"])
				assert.InDelta(t, 6, bs[0].(map[string]any)["gain"], 1e-9)
				assert.InDelta(t, 1.2, bs[1].(map[string]any)["gain"], 1e-9)
				plan := out["plan"].(map[string]any)
				// 240000/24000 = 10 deals, then ⌈10/(6/40)⌉ = 67 SQLs, ...
				vols := plan["volumes"].([]any)
				assert.Equal(t, "Won", vols[4].(map[string]any)["stage"])
				assert.InDelta(t, 10, vols[4].(map[string]any)["count"], 0)
				assert.InDelta(t, 67, vols[3].(map[string]any)["count"], 0)
				steps := out["funnel"].(map[string]any)["steps"].([]any)
				assert.Equal(t, "Wilson", steps[0].(map[string]any)["interval"].(map[string]any)["method"])
				assert.Nil(t, out["result"])
			}},
		{"funnel as CSV", "/funnel?target.SQL=0.5&confidence=0.9", "text/csv", "name,count\nMQL,96\nSQL,40\n",
			func(t *testing.T, out map[string]any) {
				bs := out["bottlenecks"].([]any)
				require.Len(t, bs, 1)
				assert.InDelta(t, 8, bs[0].(map[string]any)["gain"], 1e-9) // (0.5 − 40/96)·96
				assert.Nil(t, out["plan"])
			}},
		{"events as JSON", "/events", "application/json", eventsJSON,
			func(t *testing.T, out map[string]any) {
				steps := out["result"].(map[string]any)["steps"].([]any)
				// By hand: three leads, two MQLs, one SQL.
				for i, want := range []float64{3, 2, 1} {
					assert.InDelta(t, want, steps[i].(map[string]any)["reached"], 0)
				}
				assert.Len(t, out["bottlenecks"], 1)
				assert.NotNil(t, out["plan"])
			}},
		{"events as CSV", "/events?steps=lead,mql&window=86400", "text/csv; charset=utf-8", eventsCSV,
			func(t *testing.T, out map[string]any) {
				steps := out["result"].(map[string]any)["steps"].([]any)
				// ana's MQL comes 3 days after her lead, beyond the one-day window.
				assert.InDelta(t, 2, steps[0].(map[string]any)["reached"], 0)
				assert.InDelta(t, 0, steps[1].(map[string]any)["reached"], 0)
				assert.Empty(t, out["bottlenecks"])
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, out := post(t, srv, tt.path, tt.contentType, tt.body)
			require.Equal(t, http.StatusOK, status, "%v", out)
			tt.check(t, out)
		})
	}
}

func TestServiceErrors(t *testing.T) {
	srv := httptest.NewServer(handler())
	defer srv.Close()
	tests := []struct {
		name, path, contentType, body string
		status                        int
		want                          string
	}{
		{"malformed JSON", "/funnel", "application/json", `{"stages":[`, 400, "malformed request: unexpected EOF"},
		{"unknown key", "/funnel", "application/json", `{"stage":[]}`, 400, `malformed request: json: unknown field "stage"`},
		{"count as text", "/funnel", "application/json", `{"stages":[{"name":"a","count":"1"}]}`, 400, "malformed request: json: cannot unmarshal string"},
		{"later stage larger", "/funnel", "", `{"stages":[{"name":"MQL","count":96},{"name":"SQL","count":120}]}`, 422, `funnel.New: stage "SQL" count 120: exceeds "MQL" count 96`},
		{"target above 1", "/funnel", "application/json", stagesJSON + `,"targets":{"SQL":1.5}}`, 422, `target "SQL" 1.5: must lie in (0, 1]`},
		{"target for no stage", "/funnel", "application/json", stagesJSON + `,"targets":{"Opp":0.5}}`, 422, `target "Opp"`},
		{"goal without deal size", "/funnel", "application/json", stagesJSON + `,"goal":"1000"}`, 422, "deal size"},
		{"plan through an empty step", "/funnel", "application/json", `{"stages":[{"name":"a","count":0},{"name":"b","count":0}],"dealSize":"10","goal":"100"}`, 422, "no trials to estimate a rate from"},
		{"CSV with a bad header", "/funnel", "text/csv", "stage,n\na,1\n", 400, `header "stage,n"`},
		{"CSV with a bad count", "/funnel", "text/csv", "name,count\na,x\n", 400, "line 2"},
		{"CSV with a short row", "/funnel", "text/csv", "name,count\na\n", 400, "wrong number of fields"},
		{"CSV with an unknown parameter", "/funnel?colour=red", "text/csv", "name,count\na,1\nb,1\n", 400, `query colour="red"`},
		{"CSV with a bad target", "/funnel?target.b=high", "text/csv", "name,count\na,1\nb,1\n", 400, `query target.b="high"`},
		{"events without a definition", "/events", "application/json", `{"events":[]}`, 400, "no definition"},
		{"events with one step", "/events", "application/json", `{"definition":{"steps":[{"event":"a"}],"window":60},"events":[]}`, 422, "a funnel needs at least two steps"},
		{"event with no entity", "/events", "application/json", `{"definition":{"steps":[{"event":"a"},{"event":"b"}],"window":60},"events":[{"name":"a","time":"2026-04-01T00:00:00Z"}]}`, 422, "entity"},
		{"events CSV with a bad time", "/events?steps=a,b&window=60", "text/csv", "entity,name,time\nana,a,yesterday\n", 400, "line 2"},
		{"events CSV with a bad window", "/events?steps=a,b&window=soon", "text/csv", "entity,name,time\n", 400, `query window="soon"`},
		{"XML", "/funnel", "application/xml", `<stages/>`, 415, "unsupported media type"},
		{"bad media type", "/funnel", "text/", `{}`, 415, "unsupported media type"},
		{"trailing data", "/funnel", "application/json", stagesJSON + `} {}`, 400, "data after the JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, out := post(t, srv, tt.path, tt.contentType, tt.body)
			assert.Equal(t, tt.status, status)
			assert.Contains(t, out["error"], tt.want)
		})
	}
}

func TestServiceMethodAndSize(t *testing.T) {
	srv := httptest.NewServer(handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/funnel")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
	status, out := post(t, srv, "/funnel", "application/json", `{"stages":"`+strings.Repeat("x", maxBody)+`"}`)
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Contains(t, out["error"], "request body too large")
}
