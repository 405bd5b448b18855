package docsrun

// Exempt are the documented commands no test runs, each with its reason.
// Reviewed like code: an entry here is a promise in the documentation that
// nothing checks (ADR 042). Prefer running the command.
var Exempt = []Exemption{
	{"README.md", "make test", "runs the whole suite, this test included: CI runs it on every change"},
	{"docs/testing.md", "make test", "runs the whole suite, this test included: CI runs it on every change"},
	{"docs/testing.md", "make mutate", "5 minutes or more of mutated test runs, a release-checklist step; go test ./scripts/mutate checks every mutation still applies"},
	{"docs/testing.md", "make fuzz-long", "about 50 minutes of fuzzing, a release-checklist step; make fuzz-check (in make lint) checks that it lists every fuzz target"},
	{"docs/testing.md", "make test-short", "every package's tests again with -short (minutes): make test runs the same tests without -short"},
	{"docs/testing.md", "go test -short ./...", "every package's tests again with -short (minutes): make test runs the same tests without -short"},
	{"docs/testing.md", "go test ./internal/testkit/docsrun -count=1", "runs this very package, which make test runs"},
	{"docs/testing.md", "make faults", "the whole fault suite: about 30 minutes of faults on five nodes, needs root; its output is the table in docs/reliability.md"},
	{"docs/reliability.md", "make faults", "the whole fault suite: about 30 minutes of faults on five nodes, needs root; its output is the table in docs/reliability.md"},
	{"docs/reliability.md", "go test -count=1 -v -run TestFaultsShort ./internal/testkit/faults", "the short fault suite, which make test runs (internal/testkit/faults)"},
	{"docs/reliability.md", "go test -count=1 -v -run TestPowerCutSignerProcess ./cmd/citynode", "a power-cut test, which make test runs (./cmd/citynode; needs root and /dev/fuse)"},
	{"docs/reliability.md", "go test -count=1 ./internal/testkit/powercut ./internal/cmdkit/atomicfile ./internal/cmdkit/keyfiles", "the power-cut file system's, atomicfile's and keyfiles' tests, which make test runs (need root and /dev/fuse)"},
	{"docs/reliability.md", "go test -count=1 -run PowerCut ./consensus/sealer", "the guard's power-cut tests, which make test runs (./consensus/sealer; need root and /dev/fuse)"},
	{"docs/benchmarks.md", "make bench", "the benchmarks: tens of minutes at full load on every core; their output is docs/benchmarks.md"},
	{"docs/benchmarks.md", "BENCH_TXS=20000 make bench", "the benchmarks: tens of minutes at full load on every core; their output is docs/benchmarks.md"},
	{"docs/benchmarks.md", "BENCH_NODES=geth scripts/bench.sh", "a benchmark against geth 1.13.15 built from the module cache: minutes at full load"},
	{"docs/benchmarks.md", "GATE_SKIP=w6 GATE_DURATION=10s scripts/bench-gateway.sh", "a benchmark run recorded with its figures in docs/benchmarks.md: minutes at full load"},
	{"docs/benchmarks.md", "GATE_SKIP=w5 GATE_BALLOTS=20000 GATE_ELECTORATE=100000 scripts/bench-gateway.sh", "a benchmark run recorded with its figures in docs/benchmarks.md: minutes at full load"},
	{"docs/benchmarks.md", "GATE_KEEP=1 GATE_SKIP=w5 GATE_BALLOTS=400000 GATE_ELECTORATE=1500000 scripts/bench-gateway.sh", "a benchmark run recorded with its figures in docs/benchmarks.md: minutes at full load"},
	{"docs/benchmarks.md", "GATE_SKIP=w5 GATE_BALLOTS=50000 GATE_ELECTORATE=1500000 scripts/bench-gateway.sh", "a benchmark run recorded with its figures in docs/benchmarks.md: minutes at full load"},
	{"docs/benchmarks.md", "GATE_SKIP=w5 GATE_BALLOTS=100000 GATE_ELECTORATE=1500000 scripts/bench-gateway.sh", "a benchmark run recorded with its figures in docs/benchmarks.md: minutes at full load"},
	{"docs/benchmarks.md", "GATE_KEEP=1 GATE_SKIP=w5 GATE_BALLOTS=1500000 GATE_ELECTORATE=1500000 scripts/bench-gateway.sh", "a benchmark run recorded with its figures in docs/benchmarks.md: minutes at full load"},
	{"docs/benchmarks.md", "GATE_SKIP=w5 GATE_BALLOTS=20000 GATE_ELECTORATE=1500000 scripts/bench-gateway.sh", "a benchmark run recorded with its figures in docs/benchmarks.md: minutes at full load"},
	{"docs/benchmarks.md", "GATE_SKIP=w6 scripts/bench-gateway.sh", "a benchmark run recorded with its figures in docs/benchmarks.md: minutes at full load"},
}

// Elsewhere are the documented commands that tests outside the docs sessions
// run as printed; Check verifies that each named test file declares the test
// and holds the text by which it reads or runs the line.
var Elsewhere = []Covered{
	// The genesis ceremony: docker/docs_test.go runs the blocks of these
	// sections by position, for four departments, without Docker.
	{File: "README.md", Key: "citynode account new --datadir /var/lib/citynode --password /etc/citynode/password",
		Test: "docker/docs_test.go", Func: "TestReadmeCeremony", Contains: []string{`"## A real network"`, `readme["#1"][0]`}},
	{File: "README.md", Key: "cityctl genesis new --config network.toml --out genesis.json",
		Test: "docker/docs_test.go", Func: "TestReadmeCeremony", Contains: []string{`"## A real network"`, `range readme["#2"]`}},
	{File: "README.md", Key: "cityctl genesis verify --config network.toml genesis.json",
		Test: "docker/docs_test.go", Func: "TestReadmeCeremony", Contains: []string{`"## A real network"`, `range readme["#2"]`}},
	{File: "README.md", Key: "citynode init --datadir /var/lib/citynode genesis.json",
		Test: "docker/docs_test.go", Func: "TestReadmeCeremony", Contains: []string{`"## A real network"`, `range readme["#2"]`}},
	{File: "docs/deployment.md", Key: "citynode account new --datadir /var/lib/citynode --password /etc/citynode/password",
		Test: "docker/docs_test.go", Func: "TestReadmeCeremony", Contains: []string{`"## The genesis ceremony"`, `deploy["#1"]`}},
	{File: "docs/deployment.md", Key: "citynode enode --datadir /var/lib/citynode --p2p.addr 10.0.0.9",
		Test: "docker/docs_test.go", Func: "TestReadmeCeremony", Contains: []string{`"## The genesis ceremony"`, `deploy["#1"][1]`}},
	{File: "docs/deployment.md", Key: "cityctl genesis new --config network.toml --out genesis.json",
		Test: "docker/docs_test.go", Func: "TestReadmeCeremony", Contains: []string{`"## The genesis ceremony"`, `deploy["#2"][0]`}},
	{File: "docs/deployment.md", Key: "cityctl genesis verify --config network.toml genesis.json",
		Test: "docker/docs_test.go", Func: "TestReadmeCeremony", Contains: []string{`"## The genesis ceremony"`, `deploy["#3"][0]`}},
	{File: "docs/deployment.md", Key: "cityctl genesis verify --config network.toml --rpc http://127.0.0.1:8545 genesis.json",
		Test: "docker/docs_test.go", Func: "TestReadmeCeremony", Contains: []string{`"## The genesis ceremony"`, `deploy["#3"][1]`}},

	// The compose network (needs Docker): docker/compose_test.go runs
	// README's rehearsal block and docs/deployment.md's marked blocks.
	{File: "README.md", Key: "make network-up", Test: "docker/compose_test.go", Func: "TestComposeNetwork", Contains: []string{"n.runDoc(t, d.readme[0])"}},
	{File: "README.md", Key: "docker-compose -f docker/compose.yaml -p citychain ps", Test: "docker/compose_test.go", Func: "TestComposeNetwork", Contains: []string{"n.runDoc(t, d.readme[1:len(d.readme)-1]...)"}},
	{File: "README.md", Key: `curl -s http://127.0.0.1:8545 -H 'content-type: application/json' -d '{"jsonrpc":"2.0","id":1,"method":"clique_getSigners","params":["latest"]}'`, Test: "docker/compose_test.go", Func: "TestComposeNetwork", Contains: []string{"n.runDoc(t, d.readme[1:len(d.readme)-1]...)"}},
	{File: "README.md", Key: "docker-compose -f docker/compose.yaml -p citychain exec -T rpc1 citynode health", Test: "docker/compose_test.go", Func: "TestComposeNetwork", Contains: []string{"n.runDoc(t, d.readme[1:len(d.readme)-1]...)"}},
	{File: "README.md", Key: "make network-down", Test: "docker/compose_test.go", Func: "TestComposeNetwork", Contains: []string{"n.runDoc(t, d.readme[len(d.readme)-1])"}},
	{File: "docs/deployment.md", Block: "up", Test: "docker/compose_test.go", Func: "TestComposeNetwork", Contains: []string{`d.deploy["up"]`}},
	{File: "docs/deployment.md", Block: "health", Test: "docker/compose_test.go", Func: "TestComposeNetwork", Contains: []string{`d.deploy["health"]`}},
	{File: "docs/deployment.md", Block: "gateway", Test: "docker/gateway_test.go", Contains: []string{`n.runDoc(t, d.deploy["gateway"]...)`}},
	{File: "docs/deployment.md", Block: "gateway-stop", Test: "docker/gateway_test.go", Contains: []string{`d.deploy["gateway-stop"]`}},
	{File: "docs/deployment.md", Block: "backup", Test: "docker/compose_test.go", Contains: []string{`d.deploy["backup"]`}},
	{File: "docs/deployment.md", Block: "vote", Test: "docker/compose_test.go", Contains: []string{`d.deploy["vote"]`}},
	{File: "docs/deployment.md", Block: "restore", Test: "docker/compose_test.go", Contains: []string{`d.deploy["restore"]`}},
	{File: "docs/deployment.md", Block: "upgrade", Test: "docker/compose_test.go", Contains: []string{`d.deploy["upgrade"]`}},
	{File: "docs/deployment.md", Block: "signer-restart", Test: "docker/compose_test.go", Contains: []string{`d.deploy["signer-restart"]`}},
	{File: "docs/deployment.md", Block: "down", Test: "docker/compose_test.go", Func: "TestComposeNetwork", Contains: []string{`d.deploy["down"]`}},

	// citygate's guide: cmd/citygate runs every citygate line of its sh blocks.
	{File: "docs/gateway.md", Key: "citygate --rpc http://127.0.0.1:8545 --upstream.health minPeers=0",
		Test: "cmd/citygate/docs_test.go", Func: "TestDocCommands", Contains: []string{"docCommands(t, gatewayDoc)", `strings.HasPrefix(line, "citygate ")`}},
	{File: "docs/gateway.md", Key: "citygate --rpc http://127.0.0.1:8545 --upstream.health minPeers=0 --datadir gate --relayer.keyfile relayer.key",
		Test: "cmd/citygate/docs_test.go", Func: "TestDocCommands", Contains: []string{"docCommands(t, gatewayDoc)", `strings.HasPrefix(line, "citygate ")`, `"relayer.key"`}},
	{File: "docs/gateway.md", Key: "citygate dumpconfig --rpc http://10.0.2.11:8545 --rpc http://10.0.2.12:8545",
		Test: "cmd/citygate/docs_test.go", Func: "TestDocCommands", Contains: []string{"docCommands(t, gatewayDoc)", `args[0] == "dumpconfig"`}},

	// clef for an external signer: internal/testkit/cleftest runs the block
	// as printed for the external-signer tests (internal/node/extsigner,
	// internal/testkit/testnet).
	{File: "docs/operations.md", Block: "clef", Test: "internal/testkit/cleftest/cleftest.go", Func: "Start",
		Contains: []string{`Doc      = "docs/operations.md"`, `DocBlock = "clef"`, "docsrun.Parse(root, Doc)", "c.Block != DocBlock"}},

	// make targets that make test runs as its prerequisites.
	{File: "docs/testing.md", Key: "make lint", Test: "Makefile", Contains: []string{"\ntest: lint contracts-check geth113\n"}},
	{File: "docs/contracts.md", Key: "make contracts-check", Test: "Makefile", Contains: []string{"\ntest: lint contracts-check geth113\n"}},
	{File: "docs/contracts.md", Key: "make contracts", Test: "Makefile", Contains: []string{"\ncontracts-check: contracts\n"}},
	// A test make test runs by name.
	{File: "docs/testing.md", Key: "go test -run TestReorgUnderRunningSealer ./consensus/sealer", Test: "consensus/sealer/reorg_test.go", Func: "TestReorgUnderRunningSealer", Contains: []string{"package sealer"}},
}
