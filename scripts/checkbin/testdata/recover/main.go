// Command recover signs a hash and recovers the signer with go-ethereum's
// crypto, printing whether the recovered key is the signer's: the smallest
// program that links go-ethereum's signature recovery, built by
// checkbin_test.go the ways the image's binaries could be built.
package main

import (
	"bytes"
	"fmt"
	"os"

	"github.com/ethereum/go-ethereum/crypto"
)

func main() {
	key, err := crypto.GenerateKey()
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	hash := crypto.Keccak256([]byte("citychain"))
	sig, err := crypto.Sign(hash, key)
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	pub, err := crypto.Ecrecover(hash, sig)
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	fmt.Println("recovered:", bytes.Equal(pub, crypto.FromECDSAPub(&key.PublicKey)))
}
