// Package jsontest checks that a package's exported types have a complete
// JSON form: each value marshals without error to something other than
// {}, and its object has a key for every exported field, or the test gives
// the reason the field is left out. It also parses the package's non-test
// files so that a new exported struct type cannot be forgotten. It is a
// test helper, not API.
package jsontest

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"unicode"
)

// Check marshals each of values — realistic, non-zero values of the
// package's types, so that no key is left out for being empty — and
// reports a Marshal error, a result of {} or of a bare null, and an
// exported field with no key. The key expected for a field is its json tag
// name, or else Key of its Go name; the fields of an embedded struct are
// expected at the level of the embedding one. skip maps "Type.Field", or
// "Type" for an exported type of dir that values do not cover, to the
// reason it has no JSON form; Check reports every exported type of dir's
// non-test files, interfaces aside, that is in neither.
func Check(t *testing.T, dir string, skip map[string]string, values ...any) {
	t.Helper()
	check(t, dir, skip, values)
}

// reporter is the part of testing.T the checks use, so that the checker's
// own tests can watch it fail.
type reporter interface {
	Helper()
	Errorf(format string, args ...any)
}

func check(t reporter, dir string, skip map[string]string, values []any) {
	t.Helper()
	seen := map[string]bool{}
	for _, v := range values {
		rt := reflect.TypeOf(v)
		for rt.Kind() == reflect.Pointer {
			rt = rt.Elem()
		}
		name := rt.Name()
		seen[name] = true
		b, err := json.Marshal(v)
		switch {
		case err != nil:
			t.Errorf("jsontest: %s: Marshal: %v", name, err)
			continue
		case string(b) == "{}" || string(b) == "null":
			t.Errorf("jsontest: %s marshals to %s", name, b)
			continue
		}
		if rt.Kind() != reflect.Struct {
			continue
		}
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(b, &obj); err != nil {
			t.Errorf("jsontest: %s: not a JSON object: %s", name, b)
			continue
		}
		for _, f := range Fields(rt) {
			if _, ok := obj[f.Key]; !ok && skip[name+"."+f.Name] == "" {
				t.Errorf("jsontest: %s.%s has no key %q in %s", name, f.Name, f.Key, b)
			}
		}
	}
	for _, typ := range structTypes(t, dir) {
		if !seen[typ] && skip[typ] == "" {
			t.Errorf("jsontest: exported type %s is not checked", typ)
		}
	}
}

// Field is an exported field and the JSON key expected for it.
type Field struct {
	Name, Key string
}

// Fields lists the exported fields of struct type rt with their keys,
// those of embedded structs in place of the embedded field. A field
// tagged "-" is left out.
func Fields(rt reflect.Type) []Field {
	var out []Field
	for i := 0; i < rt.NumField(); i++ {
		f := rt.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if tag == "-" {
			continue
		}
		ft := f.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if f.Anonymous && tag == "" && ft.Kind() == reflect.Struct && !marshals(ft) {
			out = append(out, Fields(ft)...)
			continue
		}
		if !f.IsExported() {
			continue
		}
		if tag == "" {
			tag = Key(f.Name)
		}
		out = append(out, Field{Name: f.Name, Key: tag})
	}
	return out
}

var marshalerType = reflect.TypeFor[json.Marshaler]()

// marshals reports whether values of rt write their own JSON.
func marshals(rt reflect.Type) bool {
	return rt.Implements(marshalerType) || reflect.PointerTo(rt).Implements(marshalerType)
}

// Key returns the camelCase key of a Go field name: its leading capitals
// in lower case, but for the last one when a lower-case letter follows, so
// that DropOff is "dropOff", ROI "roi", ChiSquareP "chiSquareP" and
// CustomerID "customerID".
func Key(name string) string {
	r := []rune(name)
	n := 0
	for n < len(r) && unicode.IsUpper(r[n]) {
		n++
	}
	if n > 1 && n < len(r) && unicode.IsLower(r[n]) {
		n--
	}
	for i := 0; i < n; i++ {
		r[i] = unicode.ToLower(r[i])
	}
	return string(r)
}

// structTypes lists the exported types declared in dir's non-test files,
// but for interfaces.
func structTypes(t reporter, dir string) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	var out []string
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Errorf("jsontest: %v", err)
			return nil
		}
		af, err := parser.ParseFile(fset, f, src, parser.SkipObjectResolution)
		if err != nil {
			t.Errorf("jsontest: %v", err)
			return nil
		}
		for _, d := range af.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, s := range gd.Specs {
				ts := s.(*ast.TypeSpec)
				if _, isIface := ts.Type.(*ast.InterfaceType); !isIface && ts.Name.IsExported() {
					out = append(out, ts.Name.Name)
				}
			}
		}
	}
	sort.Strings(out)
	return out
}
