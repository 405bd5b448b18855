package main

import (
	"crypto/ecdsa"
	"os"
	"strings"

	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/internal/cmdkit/cliutil"
	"github.com/citychain/citychain/internal/cmdkit/keyfiles"
)

// loadKey returns the key that signs a command's transactions or ballots:
// --key (a hex key file, for dev chains), or --keystore (a key file, or a
// keystore directory with --from) decrypted with --password.
func loadKey(ctx *cli.Context) (*ecdsa.PrivateKey, error) {
	keyFile, ks := ctx.String(keyFlag.Name), ctx.String(keystoreFlag.Name)
	switch {
	case keyFile != "" && ks != "":
		return nil, cliutil.Usagef("give either --key or --keystore, not both")
	case keyFile != "":
		return loadHexKey(keyFile)
	case ks == "":
		return nil, cliutil.Usagef("no key to sign with: give --keystore FILE --password FILE (a keystore directory also needs --from ADDRESS), or --key FILE on a dev chain")
	}
	from, err := optionalAddress(ctx.String(fromFlag.Name))
	if err != nil {
		return nil, err
	}
	file, err := keystoreFile(ks, from)
	if err != nil {
		return nil, err
	}
	key, err := decryptKey(file, ctx.String(passwordFlag.Name))
	if err != nil {
		return nil, err
	}
	if addr := crypto.PubkeyToAddress(key.PublicKey); from != nil && addr != *from {
		return nil, cliutil.Usagef("keystore file %s holds the key of %s, not of --from %s", file, addr.Hex(), from.Hex())
	}
	return key, nil
}

// loadHexKey reads a file holding a private key as 64 hex digits (0x allowed).
func loadHexKey(path string) (*ecdsa.PrivateKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, cliutil.Usagef("cannot read --key %s (%v): give the file holding the private key as 64 hex digits", path, err)
	}
	key, err := crypto.HexToECDSA(strings.TrimPrefix(strings.TrimSpace(string(data)), "0x"))
	if err != nil {
		return nil, cliutil.Usagef("--key %s: want a private key as 64 hex digits, as `citynode dev` prints it (%v)", path, err)
	}
	return key, nil
}

// decryptKey decrypts a keystore file with the password in the first line of
// passwordFile.
func decryptKey(file, passwordFile string) (*ecdsa.PrivateKey, error) {
	if passwordFile == "" {
		return nil, cliutil.Usagef("--keystore needs --password FILE, the file holding the keystore password")
	}
	pw, err := keyfiles.ReadPassword(passwordFile)
	if err != nil {
		return nil, cliutil.Usagef("--password: %v", err)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, cliutil.Usagef("cannot read --keystore file %s (%v)", file, err)
	}
	key, err := keystore.DecryptKey(data, pw)
	if err != nil {
		// The library's message says whether the password or the file was
		// wrong; neither holds key material.
		return nil, cliutil.Usagef("keystore file %s: %v (check --password)", file, err)
	}
	return key.PrivateKey, nil
}

// keystoreFile returns the key file of --keystore: the path itself, or in a
// keystore directory the file of --from.
func keystoreFile(path string, from *common.Address) (string, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return "", cliutil.Usagef("cannot read --keystore %s (%v): give a keystore directory (with --from) or one key file (UTC--...)", path, err)
	}
	if !fi.IsDir() {
		return path, nil
	}
	if from == nil {
		return "", cliutil.Usagef("--keystore %s is a directory: name the account with --from ADDRESS", path)
	}
	ks := keystore.NewKeyStore(path, keystore.LightScryptN, keystore.LightScryptP)
	acct, err := ks.Find(accounts.Account{Address: *from})
	if err != nil {
		return "", cliutil.Usagef("account %s is not in keystore %s (%v): check --from; the keystore holds %s", from.Hex(), path, err, heldAccounts(ks))
	}
	return acct.URL.Path, nil
}

// heldAccounts lists the accounts of ks for a message.
func heldAccounts(ks *keystore.KeyStore) string {
	var held []string
	for _, a := range ks.Accounts() {
		held = append(held, a.Address.Hex())
	}
	if len(held) == 0 {
		return "no key"
	}
	return strings.Join(held, ", ")
}

// optionalAddress reads an address flag's value; "" is nil.
func optionalAddress(s string) (*common.Address, error) {
	if s == "" {
		return nil, nil
	}
	a, err := parseAddress("--from", s)
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// parseAddress reads a 0x-prefixed 20-byte hex address; what names it in the error.
func parseAddress(what, s string) (common.Address, error) {
	if !common.IsHexAddress(s) || !strings.HasPrefix(s, "0x") {
		return common.Address{}, cliutil.Usagef("invalid %s %q: want a 0x-prefixed 20-byte hex address", what, s)
	}
	return common.HexToAddress(s), nil
}
