package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kpiflow/kpi/funnel"
)

func TestMain(m *testing.M) { ptest.Main(m) }

const csv = `entity,event,time,channel,value
ann,visit,2026-03-01T09:00:00Z,search,
ann,lead,2026-03-02T09:00:00Z,webinar,
ann,opportunity,2026-03-09T09:00:00Z,email,
ann,won,2026-03-20T09:00:00Z,direct,1200.50
bob,visit,2026-03-01T10:00:00Z,social,
bob,lead,2026-03-03T10:00:00Z,email,
cat,visit,2026-03-04T10:00:00Z,search,
cat,won,yesterday,direct,10
dan,visit,2026-03-04T10:00:00Z
`

// TestPipeline runs the example on Prism: the funnel equals the in-memory
// Counter's on the rows that parse, the attribution credits the won
// journey's value to the cent, and the two bad rows reach the dead
// letters with their reasons.
func TestPipeline(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "events.csv")
	require.NoError(t, os.WriteFile(in, []byte(csv), 0o600))
	out := filepath.Join(dir, "out")
	tests := []struct {
		name, file, want string
	}{
		{"dead letters", ".deadletter.txt", `"cat,won,yesterday,direct,10": time "yesterday": not RFC 3339`},
		{"dead letters", ".deadletter.txt", `"dan,visit,2026-03-04T10:00:00Z": 3 fields, want 5`},
		{"attribution", ".attribution.json", `"value": "1200.5"`},
	}
	p, s := beam.NewPipelineWithRoot()
	require.NoError(t, build(s, in, out))
	require.NoError(t, ptest.Run(p))
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := os.ReadFile(out + tc.file)
			require.NoError(t, err)
			assert.Contains(t, string(b), tc.want)
		})
	}

	c, err := funnel.NewCounter(definition)
	require.NoError(t, err)
	for _, line := range strings.Split(csv, "\n") {
		if e, err := row(line); err == nil {
			require.NoError(t, c.Add(e))
		}
	}
	r, err := c.Result()
	require.NoError(t, err)
	want, err := json.MarshalIndent(r, "", "  ")
	require.NoError(t, err)
	got, err := os.ReadFile(out + ".funnel.json")
	require.NoError(t, err)
	assert.Equal(t, string(want)+"\n", string(got))
}
