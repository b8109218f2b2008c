package fix_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestJoin(t *testing.T) {
	for _, s := range []string{"a", "b"} {
		assert.Equal(t, s+","+s, strings.Join([]string{s, s}, ","))
	}
}

func ExampleJoin() {
	fmt.Println(strings.Join([]string{"a", "b"}, ","))
	// Output: a,b
}
