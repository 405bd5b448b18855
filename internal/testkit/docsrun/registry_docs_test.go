package docsrun

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"
)

// TestCityctlDoc runs the commands of docs/cityctl.md against citynode dev:
// a printed dev key in a file signs a document.
func TestCityctlDoc(t *testing.T) {
	t.Parallel() // the documents' chains mostly wait for blocks
	s := newSession(t, "docs/cityctl.md")
	dev := startDev(t, binaries(t))
	s.Setenv("CITYCTL_RPC", dev.URL) // the default --rpc, http://127.0.0.1:8545, is this chain
	s.Set("0xKEY_OF_ACCOUNT_1", dev.Keys[1])
	s.File("birth.pdf", "a birth certificate scan\n")
	hash := crypto.Keccak256Hash([]byte("a birth certificate scan\n")).Hex()
	s.Set("0xREF", crypto.Keccak256Hash([]byte("salt"), []byte("resident 1")).Hex())
	s.Set("0xDOCHASH", hash)

	s.Run("echo 0xKEY_OF_ACCOUNT_1 > dev1.key")
	s.Run("cityctl doc issue --file birth.pdf --type BIRTH-CERT --holder-ref 0xREF --key dev1.key", "Issued document "+hash)
	out := s.Run("cityctl doc verify 0xDOCHASH --json", `"valid"`)
	if !strings.Contains(out.Stdout, "CIVIL") {
		t.Errorf("doc verify --json: no issuing department CIVIL in\n%s", out.Stdout)
	}
}

// TestContractsDoc runs the registry commands of docs/contracts.md against
// citynode dev, with the departments' keystore files the page names: CIVIL's
// issuer (dev account 1), the city admin (0), LAND's registrar (2).
func TestContractsDoc(t *testing.T) {
	t.Parallel() // the documents' chains mostly wait for blocks
	s := newSession(t, "docs/contracts.md")
	dev := startDev(t, binaries(t))
	s.Setenv("CITYCTL_RPC", dev.URL)
	dev.keystoreFile(t, s, "civil.json", "civil.pw", 1)
	dev.keystoreFile(t, s, "admin.json", "admin.pw", 0)
	dev.keystoreFile(t, s, "land.json", "land.pw", 2)
	s.File("birth.pdf", "a birth certificate scan\n")
	birth := crypto.Keccak256Hash([]byte("a birth certificate scan\n")).Hex()
	ref := crypto.Keccak256Hash([]byte("salt"), []byte("resident 1")).Hex()
	s.Set("0xREF", ref)
	s.Set("0xACCOUNT", dev.Addrs[6].Hex())

	s.Run(`K="--keystore civil.json --password civil.pw"`)
	s.Run("cityctl dept list", "CIVIL", dev.Addrs[1].Hex())
	s.Run("cityctl dept grant CIVIL issuer 0xACCOUNT --keystore admin.json --password admin.pw")
	s.Run("cityctl doc issue --file birth.pdf --type BIRTH-CERT --holder-ref 0xREF $K", "Issued document "+birth)
	s.Set("0xDOCHASH", birth)
	s.Run("cityctl doc verify 0xDOCHASH", "valid")

	var csv strings.Builder
	csv.WriteString("docHash,docType,holderRef,validFrom,validUntil\n")
	var batchDocs []string
	for i := range 3 {
		h := crypto.Keccak256Hash([]byte(fmt.Sprint("residence certificate ", i))).Hex()
		batchDocs = append(batchDocs, h)
		fmt.Fprintf(&csv, "%s,RESIDENCE,%s,0,0\n", h, ref)
	}
	s.File("docs.csv", csv.String())
	s.Run("cityctl doc issue-batch docs.csv --out batch.json $K")
	s.Set("0xDOCHASH", batchDocs[1])
	s.Run("cityctl doc verify 0xDOCHASH --batch batch.json", "valid")

	newer := crypto.Keccak256Hash([]byte("a corrected birth certificate")).Hex()
	s.Set("0xOLD", birth)
	s.Set("0xNEW", newer)
	s.Run("cityctl doc supersede 0xOLD --hash 0xNEW --type BIRTH-CERT --holder-ref 0xREF $K")
	s.Set("0xDOCHASH", newer)
	s.Run("cityctl doc revoke 0xDOCHASH $K")

	s.Set("0xA", dev.Addrs[7].Hex())
	s.Set("0xB", dev.Addrs[8].Hex())
	s.Run("cityctl title register 77:01:0004012:1234 --owner 0xA:60 --owner 0xB:40 --keystore land.json --password land.pw")
	s.Run("cityctl title show 77:01:0004012:1234", dev.Addrs[7].Hex())
	s.Run("cityctl title history 77:01:0004012:1234")
	s.Run("cityctl contracts verify")

	n := dev.head(t)
	s.Set("N", fmt.Sprint(n))
	s.Set("0xDOCHASH", birth)
	s.Run("cityctl audit prove document 0xDOCHASH --block N --out doc.proof.json")
	s.Run("cityctl audit prove title 77:01:0004012:1234 --block N --out title.proof.json")
	s.Set("0xBLOCKHASH", dev.blockHash(t, n))
	s.Run("cityctl audit verify-proof doc.proof.json --trusted-header 0xBLOCKHASH")
}
