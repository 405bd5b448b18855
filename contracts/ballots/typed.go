package ballots

// TypedData is the EIP-712 typed data of a ballot in the JSON form a
// wallet's eth_signTypedData_v4 takes (MetaMask, geth's clef, ethers'
// TypedDataEncoder.getPayload): the signature it returns is what Sign makes,
// and a Ballot carrying it is relayed as it is. ethers' Wallet.signTypedData
// takes Domain, Types without EIP712Domain, and Message.
type TypedData struct {
	Types       map[string][]TypedField `json:"types"`
	PrimaryType string                  `json:"primaryType"`
	Domain      TypedDomain             `json:"domain"`
	Message     TypedBallot             `json:"message"`
}

// TypedField is one member of an EIP-712 struct type.
type TypedField struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// TypedDomain is the EIP-712 domain of the Polls contract.
type TypedDomain struct {
	Name              string `json:"name"`
	Version           string `json:"version"`
	ChainID           uint64 `json:"chainId"`
	VerifyingContract string `json:"verifyingContract"` // checksummed address
}

// TypedBallot is the message: the poll and the chosen option (from 0), as
// decimal strings (what ethers' TypedDataEncoder.getPayload writes: a poll
// number above 2^53 would lose precision as a JavaScript number).
type TypedBallot struct {
	Poll   uint64 `json:"poll,string"`
	Option uint32 `json:"option,string"`
}

// TypedData returns the typed data of Ballot(poll, option) in domain d. Its
// EIP-712 hash is d.Digest(poll, option).
func (d Domain) TypedData(poll uint64, option uint32) TypedData {
	return TypedData{
		Types: map[string][]TypedField{
			"EIP712Domain": {{"name", "string"}, {"version", "string"}, {"chainId", "uint256"}, {"verifyingContract", "address"}},
			"Ballot":       {{"poll", "uint64"}, {"option", "uint32"}},
		},
		PrimaryType: "Ballot",
		Domain:      TypedDomain{Name: DomainName, Version: DomainVersion, ChainID: d.ChainID, VerifyingContract: d.Contract.Hex()},
		Message:     TypedBallot{Poll: poll, Option: option},
	}
}
