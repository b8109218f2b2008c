package kpi_test

import (
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestEveryExportedNameIsCovered enforces the project's rule on every
// package of the module: each exported function, and each exported method
// of an exported type, has
//
//   - a runnable example (ExampleF, ExampleT_M, with an optional _suffix,
//     whose body ends in an "Output:" comment), and
//   - a table-driven test: a call to it (or a method value of it) inside
//     the body of a range loop, in a Test or Fuzz function, over a slice or
//     map literal of two or more rows, or over a variable holding one.
//
// Commands (package main) and internal packages are not API and are
// skipped.
func TestEveryExportedNameIsCovered(t *testing.T) {
	pkgs := map[string]*apiPackage{}
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != "." && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") ||
				name == "testdata" || name == "internal" || name == "examples") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") {
			return nil
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
		if err != nil {
			return err
		}
		if f.Name.Name == "main" {
			return nil
		}
		dir := filepath.Dir(path)
		p := pkgs[dir]
		if p == nil {
			p = &apiPackage{examples: map[string]bool{}, tabled: map[string]bool{}}
			pkgs[dir] = p
		}
		if strings.HasSuffix(name, "_test.go") {
			p.scanTests(f)
		} else {
			p.scanAPI(f)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	dirs := make([]string, 0, len(pkgs))
	for d := range pkgs {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	total := 0
	for _, d := range dirs {
		p := pkgs[d]
		for _, name := range p.api {
			total++
			bare := name[strings.LastIndex(name, ".")+1:]
			if !p.examples[name] {
				t.Errorf("%s: %s has no runnable example (Example%s with an Output comment)", d, name, strings.ReplaceAll(name, ".", "_"))
			}
			if !p.tabled[bare] {
				t.Errorf("%s: %s is not called inside a table-driven test", d, name)
			}
		}
	}
	if total == 0 {
		t.Fatal("no exported functions found: is the test running from the module root?")
	}
}

type apiPackage struct {
	api      []string        // "F" or "T.M"
	examples map[string]bool // names with a runnable example
	tabled   map[string]bool // bare names called in a table loop
}

func (p *apiPackage) scanAPI(f *ast.File) {
	for _, decl := range f.Decls {
		fd, ok := decl.(*ast.FuncDecl)
		if !ok || !fd.Name.IsExported() {
			continue
		}
		if fd.Recv == nil {
			p.api = append(p.api, fd.Name.Name)
			continue
		}
		if recv := receiverName(fd.Recv.List[0].Type); ast.IsExported(recv) {
			p.api = append(p.api, recv+"."+fd.Name.Name)
		}
	}
}

// receiverName strips pointers and type parameters from a receiver type.
func receiverName(e ast.Expr) string {
	for {
		switch x := e.(type) {
		case *ast.StarExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.IndexListExpr:
			e = x.X
		case *ast.Ident:
			return x.Name
		default:
			return ""
		}
	}
}

func (p *apiPackage) scanTests(f *ast.File) {
	for _, ex := range doc.Examples(f) {
		if ex.Output == "" && !ex.EmptyOutput {
			continue // compiled but not run
		}
		// ex.Name is "F" or "T_M"; a suffix is already split off.
		p.examples[ex.Name] = true
		if i := strings.Index(ex.Name, "_"); i > 0 {
			p.examples[ex.Name[:i]+"."+ex.Name[i+1:]] = true
		}
	}
	fileTables := tableVars(f.Decls)
	for _, decl := range f.Decls {
		fd, ok := decl.(*ast.FuncDecl)
		if !ok || fd.Body == nil || !(strings.HasPrefix(fd.Name.Name, "Test") || strings.HasPrefix(fd.Name.Name, "Fuzz")) {
			continue
		}
		tables := map[string]bool{}
		for k := range fileTables {
			tables[k] = true
		}
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.AssignStmt:
				for i, rhs := range x.Rhs {
					if id, ok := x.Lhs[min(i, len(x.Lhs)-1)].(*ast.Ident); ok && isTableLit(rhs) {
						tables[id.Name] = true
					}
				}
			case *ast.DeclStmt:
				if gd, ok := x.Decl.(*ast.GenDecl); ok {
					for k := range tableVars([]ast.Decl{gd}) {
						tables[k] = true
					}
				}
			case *ast.RangeStmt:
				id, isVar := x.X.(*ast.Ident)
				if isTableLit(x.X) || (isVar && tables[id.Name]) {
					markCalls(x.Body, p.tabled)
				}
			}
			return true
		})
	}
}

// tableVars returns the variables declared with a table literal.
func tableVars(decls []ast.Decl) map[string]bool {
	out := map[string]bool{}
	for _, decl := range decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok {
			continue
		}
		for _, spec := range gd.Specs {
			vs, ok := spec.(*ast.ValueSpec)
			if !ok {
				continue
			}
			for i, v := range vs.Values {
				if i < len(vs.Names) && isTableLit(v) {
					out[vs.Names[i].Name] = true
				}
			}
		}
	}
	return out
}

// isTableLit reports whether e is a slice, array or map literal of at
// least two rows.
func isTableLit(e ast.Expr) bool {
	cl, ok := e.(*ast.CompositeLit)
	if !ok {
		return false
	}
	switch cl.Type.(type) {
	case *ast.ArrayType, *ast.MapType:
		return len(cl.Elts) >= 2
	}
	return false
}

// markCalls records the names of the functions and methods called, or
// taken as method values, inside n.
func markCalls(n ast.Node, into map[string]bool) {
	ast.Inspect(n, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.SelectorExpr:
			into[x.Sel.Name] = true
		case *ast.CallExpr:
			if id, ok := x.Fun.(*ast.Ident); ok {
				into[id.Name] = true
			}
		}
		return true
	})
}
