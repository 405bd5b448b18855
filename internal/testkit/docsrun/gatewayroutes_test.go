package docsrun

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var routeSpanRE = regexp.MustCompile("`((?:GET|POST|HEAD|PUT|DELETE) /[^` ?]+)")

// TestGatewayRoutesDocumented checks that docs/gateway.md's route tables
// list exactly the routes of docs/gateway-openapi.json, which cmd/citygate's
// TestOpenAPIDocument holds to the document citygate serves.
func TestGatewayRoutesDocumented(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot, "docs", "gateway-openapi.json"))
	if err != nil {
		t.Fatal(err)
	}
	var spec struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(data, &spec); err != nil {
		t.Fatal(err)
	}
	inSpec := map[string]bool{}
	for path, ops := range spec.Paths {
		for method := range ops {
			if m := strings.ToUpper(method); slices.Contains([]string{"GET", "POST", "HEAD", "PUT", "DELETE"}, m) {
				inSpec[m+" "+path] = true
			}
		}
	}
	doc, err := os.ReadFile(filepath.Join(repoRoot, "docs", "gateway.md"))
	if err != nil {
		t.Fatal(err)
	}
	inDoc := map[string]bool{}
	for _, line := range strings.Split(string(doc), "\n") {
		if !strings.HasPrefix(line, "| `") {
			continue
		}
		for _, m := range routeSpanRE.FindAllStringSubmatch(tableCells(line)[0], -1) {
			inDoc[m[1]] = true
		}
	}
	if len(inSpec) < 20 {
		t.Fatalf("read %d routes from docs/gateway-openapi.json, want them all", len(inSpec))
	}
	for _, r := range sortedKeys(inSpec) {
		if !inDoc[r] {
			t.Errorf("citygate serves %s (docs/gateway-openapi.json), but docs/gateway.md's route tables do not list it", r)
		}
	}
	for _, r := range sortedKeys(inDoc) {
		if !inSpec[r] {
			t.Errorf("docs/gateway.md lists %s, which docs/gateway-openapi.json does not have", r)
		}
	}
}
