package node

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/citychain/citychain/consensus/clique"
	"github.com/citychain/citychain/internal/cmdkit/keyfiles"
)

// unlockKeystoreSigner unlocks the key of a signer that seals with a key of
// the keystore (--signer without --signer.external or a dev key), or returns
// nil for any other node.
func unlockKeystoreSigner(cfg Config) (clique.SignerFn, error) {
	if cfg.Signer == "" || cfg.SignerExternal != "" || cfg.DevKey != nil {
		return nil, nil
	}
	return keystoreSigner(cfg.KeyStoreDir(), common.HexToAddress(cfg.Signer), cfg.PasswordFile)
}

// keystoreSigner unlocks signer in the keystore and returns a SignerFn.
func keystoreSigner(dir string, signer common.Address, passwordFile string) (clique.SignerFn, error) {
	ks := keyfiles.Open(dir)
	acct, err := ks.Find(accounts.Account{Address: signer})
	if err != nil {
		return nil, fmt.Errorf("signer %s is not in the keystore %s: import its key with `citynode account import --datadir DIR --password FILE KEYFILE`, or list keys with `citynode account list --datadir DIR`", signer.Hex(), dir)
	}
	password, err := keyfiles.ReadPassword(passwordFile)
	if err != nil {
		return nil, fmt.Errorf("%w: check --password names the file holding the password of signer %s's key", err, signer.Hex())
	}
	if err := keyfiles.Unlock(ks, acct, password); err != nil {
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
