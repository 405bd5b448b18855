package node

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	"github.com/citychain/citychain/internal/cmdkit/configfile"
)

// FuzzConfigFile: a TOML file decoded over the defaults, as `citynode
// --config` reads it, never crashes the decoder or Validate; a file with a
// key the configuration lacks is an error; and a configuration that
// validates is written by dumpconfig in a form read back to the same
// configuration.
func FuzzConfigFile(f *testing.F) {
	var dump bytes.Buffer
	def := Defaults()
	if err := configfile.Dump(&dump, def); err != nil {
		f.Fatal(err)
	}
	f.Add(dump.String())
	for _, s := range []string{
		"mode = \"rpc\"\n[http]\nenabled = true\naddr = \"0.0.0.0\"\nrpcallow = [\"eth_*\"]\n",
		"cache = -1\n", "[txpool]\nglobalslots = 0\n", "signer = \"0x1234\"\n", "[p2p]\nmaxpeers = 99999999999999999999\n",
		"bogus = 1\n", "[http]\nport = \"8545\"\n", "syncpivot = \"nowhere\"\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		cfg := Defaults()
		md, err := toml.Decode(text, &cfg)
		if err != nil {
			return
		}
		if len(md.Undecoded()) > 0 {
			return // configfile.Load refuses the file, naming the keys
		}
		if cfg.Validate() != nil {
			return
		}
		var out bytes.Buffer
		if err := configfile.Dump(&out, cfg); err != nil {
			t.Fatalf("dumpconfig of a valid configuration: %v", err)
		}
		again := Defaults()
		if _, err := toml.Decode(out.String(), &again); err != nil {
			t.Fatalf("dumpconfig wrote %q, which does not decode: %v", out.String(), err)
		}
		if !reflect.DeepEqual(cfg, again) && !strings.Contains(text, "nan") {
			t.Fatalf("file %q: dumpconfig wrote %q, read back as %+v, want %+v", text, out.String(), again, cfg)
		}
	})
}
