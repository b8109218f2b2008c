package apicheck

import (
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/build"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// dirFiles is one directory of the module, parsed: its production files,
// its in-package test files and its external (_test package) test files,
// as the go command selects them for the host platform without extra tags.
type dirFiles struct {
	path  string // import path
	dir   string // file system path
	name  string // package name
	prod  []*ast.File
	test  []*ast.File // package name, _test.go
	xtest []*ast.File // package name_test
	deps  []string    // module-internal imports of prod
}

// loader type-checks the module's packages from source. Packages outside
// the module come from compiler export data, which the go command reports
// for them in one call.
type loader struct {
	fset   *token.FileSet
	root   string
	module string
	dirs   map[string]*dirFiles // by import path
	ext    types.Importer
	prod   map[string]*types.Package
	errs   []error
}

// newLoader parses every package directory under root (skipping hidden
// and underscore directories, testdata and nested modules) and prepares
// the importer for the packages they import from outside the module.
func newLoader(root, module string) (*loader, error) {
	l := &loader{
		fset:   token.NewFileSet(),
		root:   root,
		module: module,
		dirs:   map[string]*dirFiles{},
		prod:   map[string]*types.Package{},
	}
	external := map[string]bool{}
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		name := d.Name()
		if p != root {
			if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata" {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(p, "go.mod")); err == nil {
				return filepath.SkipDir // a nested module is checked on its own
			}
		}
		df, err := l.parseDir(p)
		if err != nil || df == nil {
			return err
		}
		l.dirs[df.path] = df
		for _, files := range [][]*ast.File{df.prod, df.test, df.xtest} {
			for _, f := range files {
				for _, is := range f.Imports {
					ip := strings.Trim(is.Path.Value, `"`)
					if !l.inModule(ip) && ip != "unsafe" && ip != "C" {
						external[ip] = true
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	exports, err := exportData(root, external)
	if err != nil {
		return nil, err
	}
	l.ext = importer.ForCompiler(l.fset, "gc", func(ip string) (io.ReadCloser, error) {
		file, ok := exports[ip]
		if !ok {
			return nil, fmt.Errorf("apicheck: no export data for %q", ip)
		}
		return os.Open(file)
	})
	return l, nil
}

func (l *loader) inModule(ip string) bool {
	return ip == l.module || strings.HasPrefix(ip, l.module+"/")
}

// parseDir parses the Go files of one directory that the default build
// context selects. It returns nil for a directory without Go files.
func (l *loader) parseDir(dir string) (*dirFiles, error) {
	bp, err := build.Default.ImportDir(dir, build.ImportComment)
	if err != nil {
		var none *build.NoGoError
		if errors.As(err, &none) {
			return nil, nil
		}
		return nil, fmt.Errorf("apicheck: %s: %w", dir, err)
	}
	rel, err := filepath.Rel(l.root, dir)
	if err != nil {
		return nil, err
	}
	df := &dirFiles{path: path.Join(l.module, filepath.ToSlash(rel)), dir: dir, name: bp.Name}
	parse := func(names []string) ([]*ast.File, error) {
		var out []*ast.File
		for _, n := range names {
			f, err := parser.ParseFile(l.fset, filepath.Join(dir, n), nil, parser.ParseComments)
			if err != nil {
				return nil, err
			}
			out = append(out, f)
		}
		return out, nil
	}
	if df.prod, err = parse(bp.GoFiles); err != nil {
		return nil, err
	}
	if df.test, err = parse(bp.TestGoFiles); err != nil {
		return nil, err
	}
	if df.xtest, err = parse(bp.XTestGoFiles); err != nil {
		return nil, err
	}
	for _, ip := range bp.Imports {
		if l.inModule(ip) {
			df.deps = append(df.deps, ip)
		}
	}
	return df, nil
}

// exportData asks the go command, run in root, where the compiler's export
// data for each of the packages is, building them if the cache lacks them.
func exportData(root string, pkgs map[string]bool) (map[string]string, error) {
	out := map[string]string{}
	if len(pkgs) == 0 {
		return out, nil
	}
	list := make([]string, 0, len(pkgs))
	for p := range pkgs {
		list = append(list, p)
	}
	sort.Strings(list)
	args := append([]string{"list", "-export", "-deps", "-f", "{{.ImportPath}}\t{{.Export}}", "--"}, list...)
	cmd := exec.Command("go", args...)
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("apicheck: go list -export: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	for _, line := range strings.Split(string(stdout), "\n") {
		ip, file, ok := strings.Cut(line, "\t")
		if ok && file != "" {
			out[ip] = file
		}
	}
	return out, nil
}

// check type-checks files as package ip, resolving imports with imp, and
// records what it finds in info (which may be nil).
func (l *loader) check(ip string, files []*ast.File, imp types.ImporterFrom, info *types.Info) *types.Package {
	conf := types.Config{
		Importer: imp,
		Error: func(err error) {
			if len(l.errs) < 20 {
				l.errs = append(l.errs, err)
			}
		},
	}
	pkg, _ := conf.Check(ip, l.fset, files, info)
	return pkg
}

// unit resolves imports for one type-check: of the production packages,
// or of one package's tests, where the package under test is replaced by
// its test variant (production and in-package test files together) and
// every module package that depends on it is checked again against that
// variant, as the go command builds a test binary.
type unit struct {
	l     *loader
	under string                    // import path under test, or ""
	pkgs  map[string]*types.Package // this unit's own variants
}

func (u *unit) Import(ip string) (*types.Package, error) { return u.ImportFrom(ip, "", 0) }

func (u *unit) ImportFrom(ip, _ string, _ types.ImportMode) (*types.Package, error) {
	l := u.l
	if ip == "unsafe" {
		return types.Unsafe, nil
	}
	if !l.inModule(ip) {
		return l.ext.Import(ip)
	}
	if p, ok := u.pkgs[ip]; ok {
		return p, nil
	}
	df, ok := l.dirs[ip]
	if !ok {
		return nil, fmt.Errorf("apicheck: package %q is not in the module", ip)
	}
	cache := l.prod
	if u.under != "" && l.dependsOn(ip, u.under, map[string]bool{}) {
		cache = u.pkgs
	}
	if p, ok := cache[ip]; ok {
		return p, nil
	}
	p := l.check(ip, df.prod, u, nil)
	cache[ip] = p
	return p, nil
}

// dependsOn reports whether module package ip imports target, directly or
// through other module packages.
func (l *loader) dependsOn(ip, target string, seen map[string]bool) bool {
	if seen[ip] {
		return false
	}
	seen[ip] = true
	df := l.dirs[ip]
	if df == nil {
		return false
	}
	for _, d := range df.deps {
		if d == target || l.dependsOn(d, target, seen) {
			return true
		}
	}
	return false
}

// prodPackage returns the production package ip.
func (l *loader) prodPackage(ip string) *types.Package {
	p, _ := (&unit{l: l}).ImportFrom(ip, "", 0)
	return p
}

func newInfo() *types.Info {
	return &types.Info{
		Uses:       map[*ast.Ident]types.Object{},
		Defs:       map[*ast.Ident]types.Object{},
		Selections: map[*ast.SelectorExpr]*types.Selection{},
		Types:      map[ast.Expr]types.TypeAndValue{},
	}
}

// testUnits type-checks the tests of df: the in-package test files with the
// production files, and the external test files against that variant. It
// returns the test files with the Info that resolves their names.
func (l *loader) testUnits(df *dirFiles) []checkedFile {
	u := &unit{l: l, under: df.path, pkgs: map[string]*types.Package{}}
	var out []checkedFile
	if len(df.test) > 0 {
		info := newInfo()
		files := append(append([]*ast.File{}, df.prod...), df.test...)
		u.pkgs[df.path] = l.check(df.path, files, u, info)
		for _, f := range df.test {
			out = append(out, checkedFile{f, info})
		}
	} else {
		u.pkgs[df.path] = l.prodPackage(df.path)
	}
	if len(df.xtest) > 0 {
		info := newInfo()
		l.check(df.path+"_test", df.xtest, u, info)
		for _, f := range df.xtest {
			out = append(out, checkedFile{f, info})
		}
	}
	return out
}

type checkedFile struct {
	file *ast.File
	info *types.Info
}
