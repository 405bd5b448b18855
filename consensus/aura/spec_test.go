package aura

import (
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

func TestParseSpec(t *testing.T) {
	a, b := common.HexToAddress("0xc6d9d2cd449a754c494264e1809c50e34d64562b"), common.HexToAddress("0x00000000000000000000000000000000000000aa")
	cases := []struct {
		name, json string
		check      func(*Spec) bool
	}{
		{"whole file, list, hex duration", `{"name":"x","engine":{"authorityRound":{"params":{"stepDuration":"0x02","validators":{"list":["` + a.Hex() + `"]}}}}}`,
			func(s *Spec) bool {
				return s.Name == "x" && s.StepDuration == 2 && len(s.Sets) == 1 && s.Sets[0].List[0] == a
			}},
		{"params section, safeContract, transitions", `{"params":{"stepDuration":5,"validators":{"safeContract":"` + b.Hex() + `"},"validateStepTransition":"150","validateScoreTransition":"0x10","immediateTransitions":true,"twoThirdsMajorityTransition":7}}`,
			func(s *Spec) bool {
				return s.Sets[0].Contract == b && s.Sets[0].IsContract() && s.ValidateStepTransition == 150 && s.ValidateScoreTransition == 16 && s.ImmediateTransitions &&
					s.TwoThirdsMajorityTransition != nil && *s.TwoThirdsMajorityTransition == 7
			}},
		{"reporting contract", `{"params":{"stepDuration":"5","validators":{"contract":"` + b.Hex() + `"}}}`,
			func(s *Spec) bool { return s.Sets[0].Contract == b }},
		{"multi", `{"params":{"stepDuration":5,"validators":{"multi":{"100":{"safeContract":"` + b.Hex() + `"},"0":{"list":["` + a.Hex() + `"]}}}}}`,
			func(s *Spec) bool {
				return len(s.Sets) == 2 && s.Sets[0].From == 0 && s.Sets[1].From == 100 && s.SetAt(99) == 0 && s.SetAt(100) == 1
			}},
	}
	for _, c := range cases {
		s, err := ParseSpec([]byte(c.json))
		if err != nil || !c.check(s) {
			t.Errorf("%s: %+v, %v", c.name, s, err)
		}
	}
}

func TestParseSpecRefuses(t *testing.T) {
	list := `"validators":{"list":["0xc6d9d2cd449a754c494264e1809c50e34d64562b"]}`
	cases := map[string]string{
		`{"engine":{"Ethash":{"params":{}}}}`:                                 "not authorityRound",
		`{"name":"x"}`:                                                        "no engine.authorityRound.params",
		`{"params":{` + list + `}}`:                                           "stepDuration is missing",
		`{"params":{"stepDuration":0,` + list + `}}`:                          "positive number",
		`{"params":{"stepDuration":{"0":5,"100":3},` + list + `}}`:            "a map",
		`{"params":{"stepDuration":5,` + list + `,"emptyStepsTransition":0}}`: "empty steps are not supported",
		`{"params":{"stepDuration":5,` + list + `,"startStep":24}}`:           "startStep",
		`{"params":{"stepDuration":5,"validators":{"list":[]}}}`:              "an empty list",
		`{"params":{"stepDuration":5,"validators":{}}}`:                       `want one of "list"`,
		`{"params":{"stepDuration":5,"validators":{"multi":{"5":{"list":["0x00000000000000000000000000000000000000aa"]}}}}}`: "no set from block 0",
		`{"params":{"stepDuration":5,"validators":{"multi":{"0":{"multi":{}}}}}}`:                                            "not nested",
		`{"params":{"stepDuration":5,"validators":{"multi":{"0":` + list[13:] + `,"0x0":` + list[13:] + `}}}}`:               "two sets from block 0",
		`{"params":{"stepDuration":"-5",` + list + `}}`:                                                                      "positive number",
	}
	for spec, want := range cases {
		if _, err := ParseSpec([]byte(spec)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: have %v, want an error with %q", spec, err, want)
		}
	}
}

// FuzzParseSpec: a chain spec is operator input; whatever parses is usable
// (a positive step duration, a set from block 0, sets in block order).
func FuzzParseSpec(f *testing.F) {
	f.Add([]byte(`{"params":{"stepDuration":5,"validators":{"multi":{"0":{"list":["0x00000000000000000000000000000000000000aa"]},"9":{"safeContract":"0x00000000000000000000000000000000000000bb"}}}}}`))
	f.Add([]byte(`{"engine":{"authorityRound":{"params":{"stepDuration":"0x5","validators":{"contract":"0x00000000000000000000000000000000000000bb"}}}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseSpec(data)
		if err != nil {
			return
		}
		if s.StepDuration == 0 || len(s.Sets) == 0 || s.Sets[0].From != 0 {
			t.Fatalf("unusable spec accepted: %+v", s)
		}
		for i := 1; i < len(s.Sets); i++ {
			if s.Sets[i].From <= s.Sets[i-1].From {
				t.Fatalf("sets out of order: %+v", s.Sets)
			}
		}
		for i, c := range s.Sets {
			if !c.IsContract() && len(c.List) == 0 {
				t.Fatalf("set %d is neither a contract nor a list", i)
			}
		}
	})
}
