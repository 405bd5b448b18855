package docsrun

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Exemption is a documented command no test runs, and why. The list is
// Exempt (exempt.go), reviewed like code.
type Exemption struct {
	File, Key string
	Reason    string
}

// Covered is a documented command (Key), or every command of a marked
// block (Block, the `<!-- run: NAME -->` name), run by a test outside the
// docs sessions: Test is that test's file (relative to the repository root),
// Func the test function it declares, and Contains the texts the file must
// hold, by which it reads or runs those very lines (a block's marker or
// section, or the line itself). Check opens the file and verifies all of it.
type Covered struct {
	File, Key, Block string
	Test, Func       string
	Contains         []string
}

// runMethods are the Session methods whose first argument names a command.
var runMethods = map[string]bool{"Run": true, "RunExit": true, "RunInRepo": true, "Start": true, "StartInRepo": true}

// Sessions finds, in every _test.go file under root, the functions that make
// a Session for a document (NewSession with the document as a string
// literal) and the commands they run (a Session method of runMethods with the
// command as a string literal): document -> command key -> where it is run.
func Sessions(root string) (map[string]map[string]string, error) {
	out := map[string]map[string]string{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != root && skipDir(d.Name()) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		return fileSessions(root, path, out)
	})
	return out, err
}

// skipDir reports whether Sessions passes over a folder of this name: hidden
// ones, node_modules, build output and test data.
func skipDir(name string) bool {
	return strings.HasPrefix(name, ".") || name == "node_modules" || name == "build" || name == "testdata"
}

// docRun is a documented command run by a test, and where.
type docRun struct {
	key string
	pos token.Position
}

// fileSessions adds the sessions of the test file at path to out (see
// Sessions).
func fileSessions(root, path string, out map[string]map[string]string) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if !strings.Contains(string(src), "docsrun") {
		return nil
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, src, 0)
	if err != nil {
		return err
	}
	rel, _ := filepath.Rel(root, path)
	for _, decl := range f.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok || fn.Body == nil {
			continue
		}
		docs, runs := sessionCalls(fset, fn.Body)
		if len(runs) == 0 {
			continue
		}
		if len(docs) != 1 {
			return fmt.Errorf("%s: %s runs documented commands but makes %d sessions: make exactly one session per test function (docsrun.NewSession), with the document as a string literal", rel, fn.Name.Name, len(docs))
		}
		if out[docs[0]] == nil {
			out[docs[0]] = map[string]string{}
		}
		for _, r := range runs {
			out[docs[0]][r.key] = fmt.Sprintf("%s:%d (%s)", rel, r.pos.Line, fn.Name.Name)
		}
	}
	return nil
}

// sessionCalls returns the documents body makes sessions for and the
// commands it runs.
func sessionCalls(fset *token.FileSet, body *ast.BlockStmt) ([]string, []docRun) {
	var docs []string
	var runs []docRun
	ast.Inspect(body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || len(call.Args) == 0 {
			return true
		}
		name := calledName(call)
		switch {
		case strings.EqualFold(name, "NewSession"):
			// NewSession, or a helper of that name: its document
			// is its string argument ending in .md.
			for _, a := range call.Args {
				if s, ok := stringLit(a); ok && strings.HasSuffix(s, ".md") {
					docs = append(docs, s)
				}
			}
		case runMethods[name]:
			if s, ok := stringLit(call.Args[0]); ok {
				runs = append(runs, docRun{s, fset.Position(call.Pos())})
			}
		}
		return true
	})
	return docs, runs
}

// calledName is the name of the function or method call calls, "" if it
// calls neither by name.
func calledName(call *ast.CallExpr) string {
	switch fun := call.Fun.(type) {
	case *ast.SelectorExpr:
		return fun.Sel.Name
	case *ast.Ident:
		return fun.Name
	}
	return ""
}

func stringLit(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

// Check returns every problem of the documents' coverage: a command that no
// session runs and that is neither run elsewhere (verified) nor exempt; an
// Elsewhere entry whose test does not hold what it claims; an entry of
// either list that matches no command. Each problem names the file, the line
// and what to do.
func Check(root string, exempt []Exemption, elsewhere []Covered) ([]string, error) {
	cmds, err := All(root)
	if err != nil {
		return nil, err
	}
	sessions, err := Sessions(root)
	if err != nil {
		return nil, err
	}
	var problems []string
	usedExempt := make([]bool, len(exempt))
	usedElse := make([]bool, len(elsewhere))
	badElse := map[int]string{}
	for i, e := range elsewhere {
		if msg := verifyElsewhere(root, e); msg != "" {
			badElse[i] = msg
		}
	}
	inDoc := map[string]map[string]bool{}
	for _, c := range cmds {
		if inDoc[c.File] == nil {
			inDoc[c.File] = map[string]bool{}
		}
		inDoc[c.File][c.Key] = true
		var how []string
		if _, ok := sessions[c.File][c.Key]; ok {
			how = append(how, "run")
		}
		for i, e := range elsewhere {
			if e.File == c.File && ((e.Key != "" && e.Key == c.Key) || (e.Block != "" && e.Block == c.Block)) {
				usedElse[i] = true
				if msg, bad := badElse[i]; bad {
					problems = append(problems, fmt.Sprintf("%s: listed in docsrun.Elsewhere as run by %s %s, but %s", c, e.Test, e.Func, msg))
				}
				how = append(how, "elsewhere")
			}
		}
		for i, e := range exempt {
			if e.File == c.File && e.Key == c.Key {
				usedExempt[i] = true
				how = append(how, "exempt")
			}
		}
		switch {
		case len(how) == 0:
			problems = append(problems, fmt.Sprintf("%s\n\tis run by no test: run it as printed in a docs session (internal/testkit/docsrun, s.Run(%q) in the test of %s, in the document's order), or, if it truly cannot run, list it with the reason in internal/testkit/docsrun/exempt.go (docs/testing.md, \"Documentation that runs\")", c, c.Key, c.File))
		case len(how) > 1:
			problems = append(problems, fmt.Sprintf("%s\n\tis covered %d ways (%s): keep one", c, len(how), strings.Join(how, ", ")))
		}
	}
	for i, e := range exempt {
		if !usedExempt[i] {
			problems = append(problems, fmt.Sprintf("docsrun.Exempt: %s has no command %q any more: remove the entry", e.File, e.Key))
		}
		if strings.TrimSpace(e.Reason) == "" {
			problems = append(problems, fmt.Sprintf("docsrun.Exempt: %s %q has no reason", e.File, e.Key))
		}
	}
	for i, e := range elsewhere {
		if !usedElse[i] {
			problems = append(problems, fmt.Sprintf("docsrun.Elsewhere: %s has no command %q (block %q) any more: remove the entry", e.File, e.Key, e.Block))
		}
	}
	for doc, keys := range sessions {
		for key, where := range keys {
			if !inDoc[doc][key] {
				problems = append(problems, fmt.Sprintf("%s runs %q of %s, which the document does not print: run the command as printed now", where, key, doc))
			}
		}
	}
	return problems, nil
}

func verifyElsewhere(root string, e Covered) string {
	src, err := os.ReadFile(filepath.Join(root, e.Test))
	if err != nil {
		return fmt.Sprintf("the test file cannot be read: %v", err)
	}
	text := string(src)
	if e.Func != "" && !strings.Contains(text, "func "+e.Func+"(") {
		return fmt.Sprintf("%s declares no func %s", e.Test, e.Func)
	}
	want := e.Contains
	if len(want) == 0 {
		want = []string{strconv.Quote(e.Key)}
	}
	for _, w := range want {
		if !strings.Contains(text, w) {
			return fmt.Sprintf("%s does not contain %s, by which it would run the command", e.Test, w)
		}
	}
	return ""
}
