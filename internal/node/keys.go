package node

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/citychain/citychain/consensus/clique"
)

// Version is the citynode version, set at build time with -ldflags.
var Version = "0.1.0-dev"

// OpenKeyStore opens the encrypted keystore in dir with geth's standard
// scrypt parameters.
func OpenKeyStore(dir string) *keystore.KeyStore {
	return keystore.NewKeyStore(dir, keystore.StandardScryptN, keystore.StandardScryptP)
}

// ReadPassword reads a password file: its first line, without the line end.
func ReadPassword(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("cannot read password file: %w", err)
	}
	line, _, _ := strings.Cut(string(data), "\n")
	return strings.TrimRight(line, "\r"), nil
}

// keystoreSigner unlocks signer in the keystore and returns a SignerFn.
func keystoreSigner(dir string, signer common.Address, passwordFile string) (clique.SignerFn, error) {
	ks := OpenKeyStore(dir)
	acct, err := ks.Find(accounts.Account{Address: signer})
	if err != nil {
		return nil, fmt.Errorf("signer %s is not in the keystore %s: import its key with `citynode account import --datadir DIR KEYFILE`, or list keys with `citynode account list`", signer.Hex(), dir)
	}
	password, err := ReadPassword(passwordFile)
	if err != nil {
		return nil, err
	}
	if err := ks.Unlock(acct, password); err != nil {
		if errors.Is(err, keystore.ErrDecrypt) {
			return nil, fmt.Errorf("wrong password for signer %s in %s: check --password", signer.Hex(), passwordFile)
		}
		return nil, fmt.Errorf("unlock signer %s: %w", signer.Hex(), err)
	}
	return func(addr common.Address, hash []byte) ([]byte, error) {
		return ks.SignHash(accounts.Account{Address: addr}, hash)
	}, nil
}

// devSigner signs with a raw key: dev mode only, whose keys are public anyway.
func devSigner(signer common.Address, raw []byte) (clique.SignerFn, error) {
	key, err := crypto.ToECDSA(raw)
	if err != nil {
		return nil, fmt.Errorf("dev key: %w", err)
	}
	if crypto.PubkeyToAddress(key.PublicKey) != signer {
		return nil, errors.New("dev key does not belong to the dev signer")
	}
	return func(addr common.Address, hash []byte) ([]byte, error) {
		if !bytes.Equal(addr[:], signer[:]) {
			return nil, fmt.Errorf("no key for %s", addr.Hex())
		}
		return crypto.Sign(hash, key)
	}, nil
}
