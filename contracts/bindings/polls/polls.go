// Code generated via abigen V2 - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package polls

import (
	"bytes"
	"errors"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// Reference imports to suppress errors if they are not otherwise used.
var (
	_ = bytes.Equal
	_ = errors.New
	_ = big.NewInt
	_ = common.Big1
	_ = types.BloomLookup
	_ = abi.ConvertType
)

// PollsPoll is an auto generated low-level Go binding around an user-defined struct.
type PollsPoll struct {
	Department   [32]byte
	EligibleRoot [32]byte
	OpensAt      uint64
	ClosesAt     uint64
	VoterCount   uint32
	OptionCount  uint32
	Cancelled    bool
}

// PollsPollSpec is an auto generated low-level Go binding around an user-defined struct.
type PollsPollSpec struct {
	Question     string
	Options      []string
	OpensAt      uint64
	ClosesAt     uint64
	EligibleRoot [32]byte
	VoterCount   uint32
}

// PollsSignedBallot is an auto generated low-level Go binding around an user-defined struct.
type PollsSignedBallot struct {
	Poll       uint64
	Option     uint32
	VoterIndex uint32
	Voter      common.Address
	R          [32]byte
	Vs         [32]byte
	Proof      [][32]byte
}

// PollsMetaData contains all meta data concerning the Polls contract.
var PollsMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"contractIDirectory\",\"name\":\"directory_\",\"type\":\"address\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"poll\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"voterIndex\",\"type\":\"uint256\"}],\"name\":\"AlreadyVoted\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"voter\",\"type\":\"address\"}],\"name\":\"BadSignature\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"batchPoll\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"ballotPoll\",\"type\":\"uint256\"}],\"name\":\"BallotForOtherPoll\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"EmptyBatch\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"EmptyEligibility\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"option\",\"type\":\"uint256\"}],\"name\":\"EmptyOption\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"EmptyQuestion\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"poll\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"option\",\"type\":\"uint256\"}],\"name\":\"InvalidOption\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"have\",\"type\":\"uint256\"}],\"name\":\"InvalidOptionCount\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidShortString\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"opensAt\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"closesAt\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"now\",\"type\":\"uint256\"}],\"name\":\"InvalidWindow\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"poll\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"voter\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"voterIndex\",\"type\":\"uint256\"}],\"name\":\"NotEligible\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"NotPollAdmin\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"poll\",\"type\":\"uint256\"},{\"internalType\":\"bytes32\",\"name\":\"department\",\"type\":\"bytes32\"}],\"name\":\"NotPollDepartment\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"NotRelayer\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"poll\",\"type\":\"uint256\"}],\"name\":\"PollFinished\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"poll\",\"type\":\"uint256\"}],\"name\":\"PollNotOpen\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"str\",\"type\":\"string\"}],\"name\":\"StringTooLong\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"poll\",\"type\":\"uint256\"}],\"name\":\"UnknownPoll\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroDirectory\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"poll\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"voter\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint32\",\"name\":\"voterIndex\",\"type\":\"uint32\"},{\"indexed\":false,\"internalType\":\"uint32\",\"name\":\"option\",\"type\":\"uint32\"}],\"name\":\"BallotCast\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"poll\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"voter\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"position\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"bytes4\",\"name\":\"reason\",\"type\":\"bytes4\"}],\"name\":\"BallotRejected\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"poll\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"relayer\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"accepted\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"rejected\",\"type\":\"uint256\"}],\"name\":\"BatchRelayed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[],\"name\":\"EIP712DomainChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"poll\",\"type\":\"uint256\"}],\"name\":\"PollCancelled\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"poll\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"department\",\"type\":\"bytes32\"},{\"components\":[{\"internalType\":\"string\",\"name\":\"question\",\"type\":\"string\"},{\"internalType\":\"string[]\",\"name\":\"options\",\"type\":\"string[]\"},{\"internalType\":\"uint64\",\"name\":\"opensAt\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"closesAt\",\"type\":\"uint64\"},{\"internalType\":\"bytes32\",\"name\":\"eligibleRoot\",\"type\":\"bytes32\"},{\"internalType\":\"uint32\",\"name\":\"voterCount\",\"type\":\"uint32\"}],\"indexed\":false,\"internalType\":\"structPolls.PollSpec\",\"name\":\"spec\",\"type\":\"tuple\"}],\"name\":\"PollCreated\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"BALLOT_TYPEHASH\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"MAX_OPTIONS\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"poll\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"option\",\"type\":\"uint32\"}],\"name\":\"ballotDigest\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"poll\",\"type\":\"uint256\"}],\"name\":\"cancelPoll\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"string\",\"name\":\"question\",\"type\":\"string\"},{\"internalType\":\"string[]\",\"name\":\"options\",\"type\":\"string[]\"},{\"internalType\":\"uint64\",\"name\":\"opensAt\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"closesAt\",\"type\":\"uint64\"},{\"internalType\":\"bytes32\",\"name\":\"eligibleRoot\",\"type\":\"bytes32\"},{\"internalType\":\"uint32\",\"name\":\"voterCount\",\"type\":\"uint32\"}],\"internalType\":\"structPolls.PollSpec\",\"name\":\"spec\",\"type\":\"tuple\"}],\"name\":\"createPoll\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"poll\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"directory\",\"outputs\":[{\"internalType\":\"contractIDirectory\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"domainSeparator\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"eip712Domain\",\"outputs\":[{\"internalType\":\"bytes1\",\"name\":\"fields\",\"type\":\"bytes1\"},{\"internalType\":\"string\",\"name\":\"name\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"version\",\"type\":\"string\"},{\"internalType\":\"uint256\",\"name\":\"chainId\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"verifyingContract\",\"type\":\"address\"},{\"internalType\":\"bytes32\",\"name\":\"salt\",\"type\":\"bytes32\"},{\"internalType\":\"uint256[]\",\"name\":\"extensions\",\"type\":\"uint256[]\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"poll\",\"type\":\"uint256\"}],\"name\":\"getPoll\",\"outputs\":[{\"components\":[{\"internalType\":\"bytes32\",\"name\":\"department\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"eligibleRoot\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"opensAt\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"closesAt\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"voterCount\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"optionCount\",\"type\":\"uint32\"},{\"internalType\":\"bool\",\"name\":\"cancelled\",\"type\":\"bool\"}],\"internalType\":\"structPolls.Poll\",\"name\":\"\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"poll\",\"type\":\"uint256\"}],\"name\":\"getQuestion\",\"outputs\":[{\"internalType\":\"string\",\"name\":\"question\",\"type\":\"string\"},{\"internalType\":\"string[]\",\"name\":\"options\",\"type\":\"string[]\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"poll\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"voterIndex\",\"type\":\"uint256\"}],\"name\":\"hasVoted\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"poll\",\"type\":\"uint256\"}],\"name\":\"isOpen\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"pollCount\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"poll\",\"type\":\"uint256\"},{\"components\":[{\"internalType\":\"uint64\",\"name\":\"poll\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"option\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"voterIndex\",\"type\":\"uint32\"},{\"internalType\":\"address\",\"name\":\"voter\",\"type\":\"address\"},{\"internalType\":\"bytes32\",\"name\":\"r\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"vs\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32[]\",\"name\":\"proof\",\"type\":\"bytes32[]\"}],\"internalType\":\"structPolls.SignedBallot[]\",\"name\":\"ballots\",\"type\":\"tuple[]\"}],\"name\":\"relay\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"accepted\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"poll\",\"type\":\"uint256\"}],\"name\":\"tallies\",\"outputs\":[{\"internalType\":\"uint256[]\",\"name\":\"counts\",\"type\":\"uint256[]\"}],\"stateMutability\":\"view\",\"type\":\"function\"}]",
	ID:  "Polls",
	Bin: "0x61018060405234801561001157600080fd5b5060405161248a38038061248a833981016040819052610030916101cc565b604080518082018252600981526843697479506f6c6c7360b81b602080830191909152825180840190935260018352603160f81b9083015290610074826000610152565b61012052610083816001610152565b61014052815160208084019190912060e052815190820120610100524660a05261011060e05161010051604080517f8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f60208201529081019290925260608201524660808201523060a082015260009060c00160405160208183030381529060405280519060200120905090565b60805250503060c0526001600160a01b03811661014057604051637d05f75960e01b815260040160405180910390fd5b6001600160a01b0316610160526103cb565b600060208351101561016e5761016783610185565b905061017f565b81610179848261029b565b5060ff90505b92915050565b600080829050601f815111156101b9578260405163305a27a960e01b81526004016101b09190610359565b60405180910390fd5b80516101c4826103a7565b179392505050565b6000602082840312156101de57600080fd5b81516001600160a01b03811681146101f557600080fd5b9392505050565b634e487b7160e01b600052604160045260246000fd5b600181811c9082168061022657607f821691505b60208210810361024657634e487b7160e01b600052602260045260246000fd5b50919050565b601f82111561029657806000526020600020601f840160051c810160208510156102735750805b601f840160051c820191505b81811015610293576000815560010161027f565b50505b505050565b81516001600160401b038111156102b4576102b46101fc565b6102c8816102c28454610212565b8461024c565b6020601f8211600181146102fc57600083156102e45750848201515b600019600385901b1c1916600184901b178455610293565b600084815260208120601f198516915b8281101561032c578785015182556020948501946001909201910161030c565b508482101561034a5786840151600019600387901b60f8161c191681555b50505050600190811b01905550565b602081526000825180602084015260005b81811015610387576020818601810151604086840101520161036a565b506000604082850101526040601f19601f83011684010191505092915050565b805160208083015191908110156102465760001960209190910360031b1b16919050565b60805160a05160c05160e05161010051610120516101405161016051612045610445600039600081816102300152818161051d01528181610a1e0152610d1f01526000611221015260006111f40152600061158801526000611560015260006114bb015260006114e50152600061150f01526120456000f3fe608060405234801561001057600080fd5b50600436106100f55760003560e01c80639207891d11610097578063deaaa7cc11610066578063deaaa7cc146102a0578063e41b9099146102c7578063ec0275e2146102da578063f698da25146102ed57600080fd5b80639207891d14610222578063c41c2f241461022b578063d0ec16071461026a578063db88176f1461027f57600080fd5b80634d6861a6116100d35780634d6861a6146101be57806364390ff1146101e157806378ba0953146101f457806384b0196e1461020757600080fd5b80630da183d6146100fa5780631a32b237146101155780631a8cbcaa14610135575b600080fd5b610102604081565b6040519081526020015b60405180910390f35b610128610123366004611876565b6102f5565b60405161010c91906118cb565b610148610143366004611876565b6103ae565b60405161010c9190600060e08201905082518252602083015160208301526001600160401b0360408401511660408301526001600160401b03606084015116606083015263ffffffff608084015116608083015263ffffffff60a08401511660a083015260c0830151151560c083015292915050565b6101d16101cc366004611876565b610467565b604051901515815260200161010c565b6101d16101ef3660046118de565b6104c5565b610102610202366004611900565b6104f4565b61020f6109a3565b60405161010c9796959493929190611980565b61010260025481565b6102527f000000000000000000000000000000000000000000000000000000000000000081565b6040516001600160a01b03909116815260200161010c565b61027d610278366004611876565b6109e9565b005b61029261028d366004611876565b610b6d565b60405161010c9291906119f0565b6101027f7af84402d2e3f73de94b5052185127af20afb976c39ed60114469c3f71b3d18281565b6101026102d5366004611a67565b610cfc565b6101026102e8366004611b11565b611128565b610102611194565b60606000610302836111a3565b6002810154909150600160a01b900463ffffffff166001600160401b0381111561032e5761032e611b44565b604051908082528060200260200182016040528015610357578160200160208202803683370190505b50915060005b82518110156103a7576000848152600660209081526040808320848452909152902054835184908390811061039457610394611b5a565b602090810291909101015260010161035d565b5050919050565b6040805160e081018252600080825260208201819052918101829052606081018290526080810182905260a0810182905260c08101919091526103f0826111a3565b6040805160e08101825282548152600183015460208201526002909201546001600160401b0380821692840192909252600160401b8104909116606083015263ffffffff600160801b820481166080840152600160a01b82041660a083015260ff600160c01b90910416151560c082015292915050565b600080610473836111a3565b6002810154909150600160c01b900460ff1615801561049f575060028101546001600160401b03164210155b80156104be57506002810154600160401b90046001600160401b031642105b9392505050565b6000828152600760209081526040808320600885901c8452909152902054600160ff83161b1615155b92915050565b6040516362a6e19960e11b81523360048201526003602482015260009081906001600160a01b037f0000000000000000000000000000000000000000000000000000000000000000169063c54dc33290604401602060405180830381865afa158015610564573d6000803e3d6000fd5b505050506040513d601f19601f820116820180604052508101906105889190611b70565b9050806105af5760405163e4ec70eb60e01b81523360048201526024015b60405180910390fd5b6105b98380611b89565b90506000036105db57604051630d5003f360e01b815260040160405180910390fd5b60006105ea6020850185611bd6565b91505060028110806105fc5750604081115b1561061d57604051635be30a4d60e11b8152600481018290526024016105a6565b60005b81811015610684576106356020860186611bd6565b8281811061064557610645611b5a565b90506020028101906106579190611b89565b905060000361067c5760405163281e7e1560e11b8152600481018290526024016105a6565b600101610620565b506106956080850160608601611c1f565b6001600160401b03166106ae6060860160408701611c1f565b6001600160401b03161015806106dc5750426106d06080860160608701611c1f565b6001600160401b031611155b15610733576106f16060850160408601611c1f565b6107016080860160608701611c1f565b604051631f46793b60e31b81526001600160401b039283166004820152911660248201524260448201526064016105a6565b60808401351580610757575061074f60c0850160a08601611c3a565b63ffffffff16155b15610775576040516312f48ef760e21b815260040160405180910390fd5b60026000815461078490611c6b565b91905081905592506040518060e00160405280838152602001856080013581526020018560400160208101906107ba9190611c1f565b6001600160401b031681526020016107d86080870160608801611c1f565b6001600160401b031681526020016107f660c0870160a08801611c3a565b63ffffffff908116825283811660208084019190915260006040938401819052878152600382528390208451815590840151600182015591830151600290920180546060850151608086015160a087015160c0909701516001600160401b039687166fffffffffffffffffffffffffffffffff1990941693909317600160401b96909216959095021767ffffffffffffffff60801b1916600160801b9484169490940263ffffffff60a01b191693909317600160a01b94909216939093021760ff60c01b1916600160c01b911515919091021790556108d58480611b89565b6000858152600460205260409020916108ef919083611d0d565b506000838152600560205260408120905b8281101561096157816109166020880188611bd6565b8381811061092657610926611b5a565b90506020028101906109389190611b89565b825460018101845560009384526020909320909201916109589183611d0d565b50600101610900565b5082847faba095c56cbd2437574791dffceff0e627dfec5f6fba13e0757ed86a33cee45a876040516109939190611e9d565b60405180910390a3505050919050565b6000606080600080600060606109b76111ed565b6109bf61121a565b60408051600080825260208201909252600f60f81b9b939a50919850469750309650945092509050565b60006109f4826111a3565b6040516362a6e19960e11b8152336004820152600360248201529091506000906001600160a01b037f0000000000000000000000000000000000000000000000000000000000000000169063c54dc33290604401602060405180830381865afa158015610a65573d6000803e3d6000fd5b505050506040513d601f19601f82011682018060405250810190610a899190611b70565b905080610aab5760405163e4ec70eb60e01b81523360048201526024016105a6565b81548114610ad9578154604051633396909360e11b81526105a6918591600401918252602082015260400190565b6002820154600160c01b900460ff1680610b0757506002820154600160401b90046001600160401b03164210155b15610b285760405163614e1f4560e01b8152600481018490526024016105a6565b60028201805460ff60c01b1916600160c01b17905560405183907fd595aa19cff3f652b440a480fcfdc6811b7f9cbd8e73c436db6b502ddab8501e90600090a2505050565b606080610b79836111a3565b506000838152600460209081526040808320600590925290912081548290610ba090611c84565b80601f0160208091040260200160405190810160405280929190818152602001828054610bcc90611c84565b8015610c195780601f10610bee57610100808354040283529160200191610c19565b820191906000526020600020905b815481529060010190602001808311610bfc57829003601f168201915b5050505050915080805480602002602001604051908101604052809291908181526020016000905b82821015610ced578382906000526020600020018054610c6090611c84565b80601f0160208091040260200160405190810160405280929190818152602001828054610c8c90611c84565b8015610cd95780601f10610cae57610100808354040283529160200191610cd9565b820191906000526020600020905b815481529060010190602001808311610cbc57829003601f168201915b505050505081526020019060010190610c41565b50505050905091509150915091565b6040516362a6e19960e11b815233600480830191909152602482015260009081907f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03169063c54dc33290604401602060405180830381865afa158015610d6e573d6000803e3d6000fd5b505050506040513d601f19601f82011682018060405250810190610d929190611b70565b03610db257604051631b35972d60e11b81523360048201526024016105a6565b6000829003610dd45760405163c2e5347d60e01b815260040160405180910390fd5b6000610ddf856111a3565b6002810154909150600090600160c01b900460ff16158015610e0e575060028201546001600160401b03164210155b8015610e2d57506002820154600160401b90046001600160401b031642105b6001830154600284015491925090600160a01b900463ffffffff166000816001600160401b03811115610e6257610e62611b44565b604051908082528060200260200182016040528015610e8b578160200160208202803683370190505b50905060005b878110156110245736898983818110610eac57610eac611b5a565b9050602002810190610ebe9190611f8a565b9050600086610ed457632b8df53d60e01b610ee0565b610ee08c878785611247565b90506001600160e01b0319811615610f5f57610f026080830160608401611faa565b6001600160a01b03168c7f388b1e57ad323bac363df1582768510a0c2c91969906fd46b7ca2ebe9fd559c58584604051610f509291909182526001600160e01b031916602082015260400190565b60405180910390a3505061101c565b83610f706040840160208501611c3a565b63ffffffff1681518110610f8657610f86611b5a565b602002602001018051809190610f9b90611c6b565b905250610fae6080830160608401611faa565b6001600160a01b03168c7f1e8ecbfcfe5a7d1571ed8027ac5c74fe745ca5c1d7315d1c4436ab1e426a2582610fe96060860160408701611c3a565b610ff96040870160208801611c3a565b6040805163ffffffff93841681529290911660208301520160405180910390a350505b600101610e91565b5060005b828110156110d55781818151811061104257611042611b5a565b60200260200101516000146110cd5781818151811061106357611063611b5a565b6020026020010151600660008c81526020019081526020016000206000838152602001908152602001600020600082825461109e9190611fd3565b925050819055508181815181106110b7576110b7611b5a565b6020026020010151876110ca9190611fd3565b96505b600101611028565b5033897f228e342f6820c7a60816ecf1b6bb43259f1d01a58edcb9b0755f646844d1d3a988611104818c611fe6565b6040805192835260208301919091520160405180910390a350505050509392505050565b604080517f7af84402d2e3f73de94b5052185127af20afb976c39ed60114469c3f71b3d18260208201526001600160401b0384169181019190915263ffffffff821660608201526000906104be9060800160405160208183030381529060405280519060200120611481565b600061119e6114ae565b905090565b600081815260036020526040812060028101549091600160801b90910463ffffffff1690036111e85760405163bd9b5c3160e01b8152600481018390526024016105a6565b919050565b606061119e7f000000000000000000000000000000000000000000000000000000000000000060006115d9565b606061119e7f000000000000000000000000000000000000000000000000000000000000000060016115d9565b6000846112576020840184611c1f565b6001600160401b0316146112735750631c9b0b7f60e31b611479565b826112846040840160208501611c3a565b63ffffffff161061129d5750631f7ef65d60e31b611479565b6000806112d26112c36112b36020870187611c1f565b6102e86040880160208901611c3a565b85608001358660a00135611684565b50909250905060008160038111156112ec576112ec611ff9565b14158061131a57506113046080850160608601611faa565b6001600160a01b0316826001600160a01b031614155b156113315750639a7d38d960e01b91506114799050565b60006113436060860160408701611c3a565b63ffffffff166113596080870160608801611faa565b60405160200161137c9291909182526001600160a01b0316602082015260400190565b60408051808303601f19018152828252805160209182012081840152815180840382018152928201909152815191012090506113c56113be60c0870187611bd6565b89846116b7565b6113dc5750630a6688b160e41b9250611479915050565b600060086113f06060880160408901611c3a565b63ffffffff90811690911c16905060006114106060880160408901611c3a565b60008b8152600760209081526040808320868452909152902054600160ff929092169190911b91508082161561145557506230cfb560e91b9550611479945050505050565b60008b81526007602090815260408083209583529490529283209117905593505050505b949350505050565b60006104ee61148e6114ae565b8360405161190160f01b8152600281019290925260228201526042902090565b6000306001600160a01b037f00000000000000000000000000000000000000000000000000000000000000001614801561150757507f000000000000000000000000000000000000000000000000000000000000000046145b1561153157507f000000000000000000000000000000000000000000000000000000000000000090565b61119e604080517f8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f60208201527f0000000000000000000000000000000000000000000000000000000000000000918101919091527f000000000000000000000000000000000000000000000000000000000000000060608201524660808201523060a082015260009060c00160405160208183030381529060405280519060200120905090565b606060ff83146115f3576115ec836116cf565b90506104ee565b8180546115ff90611c84565b80601f016020809104026020016040519081016040528092919081815260200182805461162b90611c84565b80156116785780601f1061164d57610100808354040283529160200191611678565b820191906000526020600020905b81548152906001019060200180831161165b57829003601f168201915b505050505090506104ee565b600080806001600160ff1b038416601b60ff86901c016116a68882898561170e565b945094509450505093509350939050565b6000826116c58686856117dd565b1495945050505050565b606060006116dc8361181f565b604080516020808252818301909252919250600091906020820181803683375050509182525060208101929092525090565b600080807f7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a084111561174957506000915060039050826117d3565b604080516000808252602082018084528a905260ff891692820192909252606081018790526080810186905260019060a0016020604051602081039080840390855afa15801561179d573d6000803e3d6000fd5b5050604051601f1901519150506001600160a01b0381166117c9575060009250600191508290506117d3565b9250600091508190505b9450945094915050565b600081815b848110156118165761180c8287878481811061180057611800611b5a565b90506020020135611847565b91506001016117e2565b50949350505050565b600060ff8216601f8111156104ee57604051632cd44ac360e21b815260040160405180910390fd5b60008183106118635760008281526020849052604090206104be565b60008381526020839052604090206104be565b60006020828403121561188857600080fd5b5035919050565b600081518084526020840193506020830160005b828110156118c15781518652602095860195909101906001016118a3565b5093949350505050565b6020815260006104be602083018461188f565b600080604083850312156118f157600080fd5b50508035926020909101359150565b60006020828403121561191257600080fd5b81356001600160401b0381111561192857600080fd5b820160c081850312156104be57600080fd5b6000815180845260005b8181101561196057602081850181015186830182015201611944565b506000602082860101526020601f19601f83011685010191505092915050565b60ff60f81b8816815260e06020820152600061199f60e083018961193a565b82810360408401526119b1818961193a565b606084018890526001600160a01b038716608085015260a0840186905283810360c085015290506119e2818561188f565b9a9950505050505050505050565b604081526000611a03604083018561193a565b828103602084015280845180835260208301915060208160051b8401016020870160005b83811015611a5957601f19868403018552611a4383835161193a565b6020958601959093509190910190600101611a27565b509098975050505050505050565b600080600060408486031215611a7c57600080fd5b8335925060208401356001600160401b03811115611a9957600080fd5b8401601f81018613611aaa57600080fd5b80356001600160401b03811115611ac057600080fd5b8660208260051b8401011115611ad557600080fd5b939660209190910195509293505050565b80356001600160401b03811681146111e857600080fd5b803563ffffffff811681146111e857600080fd5b60008060408385031215611b2457600080fd5b611b2d83611ae6565b9150611b3b60208401611afd565b90509250929050565b634e487b7160e01b600052604160045260246000fd5b634e487b7160e01b600052603260045260246000fd5b600060208284031215611b8257600080fd5b5051919050565b6000808335601e19843603018112611ba057600080fd5b8301803591506001600160401b03821115611bba57600080fd5b602001915036819003821315611bcf57600080fd5b9250929050565b6000808335601e19843603018112611bed57600080fd5b8301803591506001600160401b03821115611c0757600080fd5b6020019150600581901b3603821315611bcf57600080fd5b600060208284031215611c3157600080fd5b6104be82611ae6565b600060208284031215611c4c57600080fd5b6104be82611afd565b634e487b7160e01b600052601160045260246000fd5b600060018201611c7d57611c7d611c55565b5060010190565b600181811c90821680611c9857607f821691505b602082108103611cb857634e487b7160e01b600052602260045260246000fd5b50919050565b601f821115611d0857806000526020600020601f840160051c81016020851015611ce55750805b601f840160051c820191505b81811015611d055760008155600101611cf1565b50505b505050565b6001600160401b03831115611d2457611d24611b44565b611d3883611d328354611c84565b83611cbe565b6000601f841160018114611d6c5760008515611d545750838201355b600019600387901b1c1916600186901b178355611d05565b600083815260209020601f19861690835b82811015611d9d5786850135825560209485019460019092019101611d7d565b5086821015611dba5760001960f88860031b161c19848701351681555b505060018560011b0183555050505050565b6000808335601e19843603018112611de357600080fd5b83016020810192503590506001600160401b03811115611e0257600080fd5b803603821315611bcf57600080fd5b81835281816020850137506000828201602090810191909152601f909101601f19169091010190565b60008383855260208501945060208460051b8201018360005b86811015611e9157838303601f19018852611e6e8287611dcc565b611e79858284611e11565b60209a8b019a90955093909301925050600101611e53565b50909695505050505050565b602081526000611ead8384611dcc565b60c06020850152611ec260e085018284611e11565b9150506020840135601e19853603018112611edc57600080fd5b84016020810190356001600160401b03811115611ef857600080fd5b8060051b3603821315611f0a57600080fd5b848303601f19016040860152611f21838284611e3a565b92505050611f3160408501611ae6565b6001600160401b038116606085015250611f4d60608501611ae6565b6001600160401b038116608085015250608084013560a084810191909152611f76908501611afd565b63ffffffff811660c0850152509392505050565b6000823560de19833603018112611fa057600080fd5b9190910192915050565b600060208284031215611fbc57600080fd5b81356001600160a01b03811681146104be57600080fd5b808201808211156104ee576104ee611c55565b818103818111156104ee576104ee611c55565b634e487b7160e01b600052602160045260246000fdfea26469706673582212208cccdc41a78d73c64894a14d9cb009fe7484b2653c2370b1cce9128ee7fbdf7264736f6c634300081e0033",
}

// Polls is an auto generated Go binding around an Ethereum contract.
type Polls struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *Polls) GetABI() abi.ABI {
	return c.abi
}

// NewPolls creates a new instance of Polls.
func NewPolls() *Polls {
	parsed, err := PollsMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &Polls{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *Polls) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(address directory_) returns()
func (polls *Polls) PackConstructor(directory_ common.Address) []byte {
	enc, err := polls.abi.Pack("", directory_)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackBALLOTTYPEHASH is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdeaaa7cc.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function BALLOT_TYPEHASH() view returns(bytes32)
func (polls *Polls) PackBALLOTTYPEHASH() []byte {
	enc, err := polls.abi.Pack("BALLOT_TYPEHASH")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackBALLOTTYPEHASH is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdeaaa7cc.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function BALLOT_TYPEHASH() view returns(bytes32)
func (polls *Polls) TryPackBALLOTTYPEHASH() ([]byte, error) {
	return polls.abi.Pack("BALLOT_TYPEHASH")
}

// UnpackBALLOTTYPEHASH is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xdeaaa7cc.
//
// Solidity: function BALLOT_TYPEHASH() view returns(bytes32)
func (polls *Polls) UnpackBALLOTTYPEHASH(data []byte) ([32]byte, error) {
	out, err := polls.abi.Unpack("BALLOT_TYPEHASH", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackMAXOPTIONS is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0da183d6.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function MAX_OPTIONS() view returns(uint256)
func (polls *Polls) PackMAXOPTIONS() []byte {
	enc, err := polls.abi.Pack("MAX_OPTIONS")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMAXOPTIONS is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0da183d6.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function MAX_OPTIONS() view returns(uint256)
func (polls *Polls) TryPackMAXOPTIONS() ([]byte, error) {
	return polls.abi.Pack("MAX_OPTIONS")
}

// UnpackMAXOPTIONS is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x0da183d6.
//
// Solidity: function MAX_OPTIONS() view returns(uint256)
func (polls *Polls) UnpackMAXOPTIONS(data []byte) (*big.Int, error) {
	out, err := polls.abi.Unpack("MAX_OPTIONS", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackBallotDigest is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xec0275e2.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function ballotDigest(uint64 poll, uint32 option) view returns(bytes32)
func (polls *Polls) PackBallotDigest(poll uint64, option uint32) []byte {
	enc, err := polls.abi.Pack("ballotDigest", poll, option)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackBallotDigest is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xec0275e2.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function ballotDigest(uint64 poll, uint32 option) view returns(bytes32)
func (polls *Polls) TryPackBallotDigest(poll uint64, option uint32) ([]byte, error) {
	return polls.abi.Pack("ballotDigest", poll, option)
}

// UnpackBallotDigest is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xec0275e2.
//
// Solidity: function ballotDigest(uint64 poll, uint32 option) view returns(bytes32)
func (polls *Polls) UnpackBallotDigest(data []byte) ([32]byte, error) {
	out, err := polls.abi.Unpack("ballotDigest", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackCancelPoll is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd0ec1607.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function cancelPoll(uint256 poll) returns()
func (polls *Polls) PackCancelPoll(poll *big.Int) []byte {
	enc, err := polls.abi.Pack("cancelPoll", poll)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCancelPoll is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd0ec1607.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function cancelPoll(uint256 poll) returns()
func (polls *Polls) TryPackCancelPoll(poll *big.Int) ([]byte, error) {
	return polls.abi.Pack("cancelPoll", poll)
}

// PackCreatePoll is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x78ba0953.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function createPoll((string,string[],uint64,uint64,bytes32,uint32) spec) returns(uint256 poll)
func (polls *Polls) PackCreatePoll(spec PollsPollSpec) []byte {
	enc, err := polls.abi.Pack("createPoll", spec)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCreatePoll is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x78ba0953.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function createPoll((string,string[],uint64,uint64,bytes32,uint32) spec) returns(uint256 poll)
func (polls *Polls) TryPackCreatePoll(spec PollsPollSpec) ([]byte, error) {
	return polls.abi.Pack("createPoll", spec)
}

// UnpackCreatePoll is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x78ba0953.
//
// Solidity: function createPoll((string,string[],uint64,uint64,bytes32,uint32) spec) returns(uint256 poll)
func (polls *Polls) UnpackCreatePoll(data []byte) (*big.Int, error) {
	out, err := polls.abi.Unpack("createPoll", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackDirectory is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc41c2f24.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function directory() view returns(address)
func (polls *Polls) PackDirectory() []byte {
	enc, err := polls.abi.Pack("directory")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDirectory is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc41c2f24.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function directory() view returns(address)
func (polls *Polls) TryPackDirectory() ([]byte, error) {
	return polls.abi.Pack("directory")
}

// UnpackDirectory is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xc41c2f24.
//
// Solidity: function directory() view returns(address)
func (polls *Polls) UnpackDirectory(data []byte) (common.Address, error) {
	out, err := polls.abi.Unpack("directory", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackDomainSeparator is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf698da25.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function domainSeparator() view returns(bytes32)
func (polls *Polls) PackDomainSeparator() []byte {
	enc, err := polls.abi.Pack("domainSeparator")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDomainSeparator is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf698da25.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function domainSeparator() view returns(bytes32)
func (polls *Polls) TryPackDomainSeparator() ([]byte, error) {
	return polls.abi.Pack("domainSeparator")
}

// UnpackDomainSeparator is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xf698da25.
//
// Solidity: function domainSeparator() view returns(bytes32)
func (polls *Polls) UnpackDomainSeparator(data []byte) ([32]byte, error) {
	out, err := polls.abi.Unpack("domainSeparator", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackEip712Domain is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x84b0196e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function eip712Domain() view returns(bytes1 fields, string name, string version, uint256 chainId, address verifyingContract, bytes32 salt, uint256[] extensions)
func (polls *Polls) PackEip712Domain() []byte {
	enc, err := polls.abi.Pack("eip712Domain")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackEip712Domain is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x84b0196e.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function eip712Domain() view returns(bytes1 fields, string name, string version, uint256 chainId, address verifyingContract, bytes32 salt, uint256[] extensions)
func (polls *Polls) TryPackEip712Domain() ([]byte, error) {
	return polls.abi.Pack("eip712Domain")
}

// Eip712DomainOutput serves as a container for the return parameters of contract
// method Eip712Domain.
type Eip712DomainOutput struct {
	Fields            [1]byte
	Name              string
	Version           string
	ChainId           *big.Int
	VerifyingContract common.Address
	Salt              [32]byte
	Extensions        []*big.Int
}

// UnpackEip712Domain is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x84b0196e.
//
// Solidity: function eip712Domain() view returns(bytes1 fields, string name, string version, uint256 chainId, address verifyingContract, bytes32 salt, uint256[] extensions)
func (polls *Polls) UnpackEip712Domain(data []byte) (Eip712DomainOutput, error) {
	out, err := polls.abi.Unpack("eip712Domain", data)
	outstruct := new(Eip712DomainOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.Fields = *abi.ConvertType(out[0], new([1]byte)).(*[1]byte)
	outstruct.Name = *abi.ConvertType(out[1], new(string)).(*string)
	outstruct.Version = *abi.ConvertType(out[2], new(string)).(*string)
	outstruct.ChainId = abi.ConvertType(out[3], new(big.Int)).(*big.Int)
	outstruct.VerifyingContract = *abi.ConvertType(out[4], new(common.Address)).(*common.Address)
	outstruct.Salt = *abi.ConvertType(out[5], new([32]byte)).(*[32]byte)
	outstruct.Extensions = *abi.ConvertType(out[6], new([]*big.Int)).(*[]*big.Int)
	return *outstruct, nil
}

// PackGetPoll is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1a8cbcaa.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getPoll(uint256 poll) view returns((bytes32,bytes32,uint64,uint64,uint32,uint32,bool))
func (polls *Polls) PackGetPoll(poll *big.Int) []byte {
	enc, err := polls.abi.Pack("getPoll", poll)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetPoll is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1a8cbcaa.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getPoll(uint256 poll) view returns((bytes32,bytes32,uint64,uint64,uint32,uint32,bool))
func (polls *Polls) TryPackGetPoll(poll *big.Int) ([]byte, error) {
	return polls.abi.Pack("getPoll", poll)
}

// UnpackGetPoll is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x1a8cbcaa.
//
// Solidity: function getPoll(uint256 poll) view returns((bytes32,bytes32,uint64,uint64,uint32,uint32,bool))
func (polls *Polls) UnpackGetPoll(data []byte) (PollsPoll, error) {
	out, err := polls.abi.Unpack("getPoll", data)
	if err != nil {
		return *new(PollsPoll), err
	}
	out0 := *abi.ConvertType(out[0], new(PollsPoll)).(*PollsPoll)
	return out0, nil
}

// PackGetQuestion is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdb88176f.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getQuestion(uint256 poll) view returns(string question, string[] options)
func (polls *Polls) PackGetQuestion(poll *big.Int) []byte {
	enc, err := polls.abi.Pack("getQuestion", poll)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetQuestion is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdb88176f.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getQuestion(uint256 poll) view returns(string question, string[] options)
func (polls *Polls) TryPackGetQuestion(poll *big.Int) ([]byte, error) {
	return polls.abi.Pack("getQuestion", poll)
}

// GetQuestionOutput serves as a container for the return parameters of contract
// method GetQuestion.
type GetQuestionOutput struct {
	Question string
	Options  []string
}

// UnpackGetQuestion is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xdb88176f.
//
// Solidity: function getQuestion(uint256 poll) view returns(string question, string[] options)
func (polls *Polls) UnpackGetQuestion(data []byte) (GetQuestionOutput, error) {
	out, err := polls.abi.Unpack("getQuestion", data)
	outstruct := new(GetQuestionOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.Question = *abi.ConvertType(out[0], new(string)).(*string)
	outstruct.Options = *abi.ConvertType(out[1], new([]string)).(*[]string)
	return *outstruct, nil
}

// PackHasVoted is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x64390ff1.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function hasVoted(uint256 poll, uint256 voterIndex) view returns(bool)
func (polls *Polls) PackHasVoted(poll *big.Int, voterIndex *big.Int) []byte {
	enc, err := polls.abi.Pack("hasVoted", poll, voterIndex)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackHasVoted is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x64390ff1.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function hasVoted(uint256 poll, uint256 voterIndex) view returns(bool)
func (polls *Polls) TryPackHasVoted(poll *big.Int, voterIndex *big.Int) ([]byte, error) {
	return polls.abi.Pack("hasVoted", poll, voterIndex)
}

// UnpackHasVoted is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x64390ff1.
//
// Solidity: function hasVoted(uint256 poll, uint256 voterIndex) view returns(bool)
func (polls *Polls) UnpackHasVoted(data []byte) (bool, error) {
	out, err := polls.abi.Unpack("hasVoted", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackIsOpen is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4d6861a6.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function isOpen(uint256 poll) view returns(bool)
func (polls *Polls) PackIsOpen(poll *big.Int) []byte {
	enc, err := polls.abi.Pack("isOpen", poll)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackIsOpen is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4d6861a6.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function isOpen(uint256 poll) view returns(bool)
func (polls *Polls) TryPackIsOpen(poll *big.Int) ([]byte, error) {
	return polls.abi.Pack("isOpen", poll)
}

// UnpackIsOpen is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x4d6861a6.
//
// Solidity: function isOpen(uint256 poll) view returns(bool)
func (polls *Polls) UnpackIsOpen(data []byte) (bool, error) {
	out, err := polls.abi.Unpack("isOpen", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackPollCount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9207891d.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function pollCount() view returns(uint256)
func (polls *Polls) PackPollCount() []byte {
	enc, err := polls.abi.Pack("pollCount")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackPollCount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9207891d.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function pollCount() view returns(uint256)
func (polls *Polls) TryPackPollCount() ([]byte, error) {
	return polls.abi.Pack("pollCount")
}

// UnpackPollCount is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x9207891d.
//
// Solidity: function pollCount() view returns(uint256)
func (polls *Polls) UnpackPollCount(data []byte) (*big.Int, error) {
	out, err := polls.abi.Unpack("pollCount", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackRelay is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe41b9099.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function relay(uint256 poll, (uint64,uint32,uint32,address,bytes32,bytes32,bytes32[])[] ballots) returns(uint256 accepted)
func (polls *Polls) PackRelay(poll *big.Int, ballots []PollsSignedBallot) []byte {
	enc, err := polls.abi.Pack("relay", poll, ballots)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRelay is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe41b9099.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function relay(uint256 poll, (uint64,uint32,uint32,address,bytes32,bytes32,bytes32[])[] ballots) returns(uint256 accepted)
func (polls *Polls) TryPackRelay(poll *big.Int, ballots []PollsSignedBallot) ([]byte, error) {
	return polls.abi.Pack("relay", poll, ballots)
}

// UnpackRelay is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xe41b9099.
//
// Solidity: function relay(uint256 poll, (uint64,uint32,uint32,address,bytes32,bytes32,bytes32[])[] ballots) returns(uint256 accepted)
func (polls *Polls) UnpackRelay(data []byte) (*big.Int, error) {
	out, err := polls.abi.Unpack("relay", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackTallies is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1a32b237.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function tallies(uint256 poll) view returns(uint256[] counts)
func (polls *Polls) PackTallies(poll *big.Int) []byte {
	enc, err := polls.abi.Pack("tallies", poll)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTallies is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1a32b237.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function tallies(uint256 poll) view returns(uint256[] counts)
func (polls *Polls) TryPackTallies(poll *big.Int) ([]byte, error) {
	return polls.abi.Pack("tallies", poll)
}

// UnpackTallies is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x1a32b237.
//
// Solidity: function tallies(uint256 poll) view returns(uint256[] counts)
func (polls *Polls) UnpackTallies(data []byte) ([]*big.Int, error) {
	out, err := polls.abi.Unpack("tallies", data)
	if err != nil {
		return *new([]*big.Int), err
	}
	out0 := *abi.ConvertType(out[0], new([]*big.Int)).(*[]*big.Int)
	return out0, nil
}

// PollsBallotCast represents a BallotCast event raised by the Polls contract.
type PollsBallotCast struct {
	Poll       *big.Int
	Voter      common.Address
	VoterIndex uint32
	Option     uint32
	Raw        *types.Log // Blockchain specific contextual infos
}

const PollsBallotCastEventName = "BallotCast"

// ContractEventName returns the user-defined event name.
func (PollsBallotCast) ContractEventName() string {
	return PollsBallotCastEventName
}

// UnpackBallotCastEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event BallotCast(uint256 indexed poll, address indexed voter, uint32 voterIndex, uint32 option)
func (polls *Polls) UnpackBallotCastEvent(log *types.Log) (*PollsBallotCast, error) {
	event := "BallotCast"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != polls.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(PollsBallotCast)
	if len(log.Data) > 0 {
		if err := polls.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range polls.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// PollsBallotRejected represents a BallotRejected event raised by the Polls contract.
type PollsBallotRejected struct {
	Poll     *big.Int
	Voter    common.Address
	Position *big.Int
	Reason   [4]byte
	Raw      *types.Log // Blockchain specific contextual infos
}

const PollsBallotRejectedEventName = "BallotRejected"

// ContractEventName returns the user-defined event name.
func (PollsBallotRejected) ContractEventName() string {
	return PollsBallotRejectedEventName
}

// UnpackBallotRejectedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event BallotRejected(uint256 indexed poll, address indexed voter, uint256 position, bytes4 reason)
func (polls *Polls) UnpackBallotRejectedEvent(log *types.Log) (*PollsBallotRejected, error) {
	event := "BallotRejected"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != polls.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(PollsBallotRejected)
	if len(log.Data) > 0 {
		if err := polls.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range polls.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// PollsBatchRelayed represents a BatchRelayed event raised by the Polls contract.
type PollsBatchRelayed struct {
	Poll     *big.Int
	Relayer  common.Address
	Accepted *big.Int
	Rejected *big.Int
	Raw      *types.Log // Blockchain specific contextual infos
}

const PollsBatchRelayedEventName = "BatchRelayed"

// ContractEventName returns the user-defined event name.
func (PollsBatchRelayed) ContractEventName() string {
	return PollsBatchRelayedEventName
}

// UnpackBatchRelayedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event BatchRelayed(uint256 indexed poll, address indexed relayer, uint256 accepted, uint256 rejected)
func (polls *Polls) UnpackBatchRelayedEvent(log *types.Log) (*PollsBatchRelayed, error) {
	event := "BatchRelayed"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != polls.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(PollsBatchRelayed)
	if len(log.Data) > 0 {
		if err := polls.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range polls.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// PollsEIP712DomainChanged represents a EIP712DomainChanged event raised by the Polls contract.
type PollsEIP712DomainChanged struct {
	Raw *types.Log // Blockchain specific contextual infos
}

const PollsEIP712DomainChangedEventName = "EIP712DomainChanged"

// ContractEventName returns the user-defined event name.
func (PollsEIP712DomainChanged) ContractEventName() string {
	return PollsEIP712DomainChangedEventName
}

// UnpackEIP712DomainChangedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event EIP712DomainChanged()
func (polls *Polls) UnpackEIP712DomainChangedEvent(log *types.Log) (*PollsEIP712DomainChanged, error) {
	event := "EIP712DomainChanged"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != polls.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(PollsEIP712DomainChanged)
	if len(log.Data) > 0 {
		if err := polls.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range polls.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// PollsPollCancelled represents a PollCancelled event raised by the Polls contract.
type PollsPollCancelled struct {
	Poll *big.Int
	Raw  *types.Log // Blockchain specific contextual infos
}

const PollsPollCancelledEventName = "PollCancelled"

// ContractEventName returns the user-defined event name.
func (PollsPollCancelled) ContractEventName() string {
	return PollsPollCancelledEventName
}

// UnpackPollCancelledEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event PollCancelled(uint256 indexed poll)
func (polls *Polls) UnpackPollCancelledEvent(log *types.Log) (*PollsPollCancelled, error) {
	event := "PollCancelled"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != polls.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(PollsPollCancelled)
	if len(log.Data) > 0 {
		if err := polls.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range polls.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// PollsPollCreated represents a PollCreated event raised by the Polls contract.
type PollsPollCreated struct {
	Poll       *big.Int
	Department [32]byte
	Spec       PollsPollSpec
	Raw        *types.Log // Blockchain specific contextual infos
}

const PollsPollCreatedEventName = "PollCreated"

// ContractEventName returns the user-defined event name.
func (PollsPollCreated) ContractEventName() string {
	return PollsPollCreatedEventName
}

// UnpackPollCreatedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event PollCreated(uint256 indexed poll, bytes32 indexed department, (string,string[],uint64,uint64,bytes32,uint32) spec)
func (polls *Polls) UnpackPollCreatedEvent(log *types.Log) (*PollsPollCreated, error) {
	event := "PollCreated"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != polls.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(PollsPollCreated)
	if len(log.Data) > 0 {
		if err := polls.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range polls.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// UnpackError attempts to decode the provided error data using user-defined
// error definitions.
func (polls *Polls) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], polls.abi.Errors["AlreadyVoted"].ID.Bytes()[:4]) {
		return polls.UnpackAlreadyVotedError(raw[4:])
	}
	if bytes.Equal(raw[:4], polls.abi.Errors["BadSignature"].ID.Bytes()[:4]) {
		return polls.UnpackBadSignatureError(raw[4:])
	}
	if bytes.Equal(raw[:4], polls.abi.Errors["BallotForOtherPoll"].ID.Bytes()[:4]) {
		return polls.UnpackBallotForOtherPollError(raw[4:])
	}
	if bytes.Equal(raw[:4], polls.abi.Errors["EmptyBatch"].ID.Bytes()[:4]) {
		return polls.UnpackEmptyBatchError(raw[4:])
	}
	if bytes.Equal(raw[:4], polls.abi.Errors["EmptyEligibility"].ID.Bytes()[:4]) {
		return polls.UnpackEmptyEligibilityError(raw[4:])
	}
	if bytes.Equal(raw[:4], polls.abi.Errors["EmptyOption"].ID.Bytes()[:4]) {
		return polls.UnpackEmptyOptionError(raw[4:])
	}
	if bytes.Equal(raw[:4], polls.abi.Errors["EmptyQuestion"].ID.Bytes()[:4]) {
		return polls.UnpackEmptyQuestionError(raw[4:])
	}
	if bytes.Equal(raw[:4], polls.abi.Errors["InvalidOption"].ID.Bytes()[:4]) {
		return polls.UnpackInvalidOptionError(raw[4:])
	}
	if bytes.Equal(raw[:4], polls.abi.Errors["InvalidOptionCount"].ID.Bytes()[:4]) {
		return polls.UnpackInvalidOptionCountError(raw[4:])
	}
	if bytes.Equal(raw[:4], polls.abi.Errors["InvalidShortString"].ID.Bytes()[:4]) {
		return polls.UnpackInvalidShortStringError(raw[4:])
	}
	if bytes.Equal(raw[:4], polls.abi.Errors["InvalidWindow"].ID.Bytes()[:4]) {
		return polls.UnpackInvalidWindowError(raw[4:])
	}
	if bytes.Equal(raw[:4], polls.abi.Errors["NotEligible"].ID.Bytes()[:4]) {
		return polls.UnpackNotEligibleError(raw[4:])
	}
	if bytes.Equal(raw[:4], polls.abi.Errors["NotPollAdmin"].ID.Bytes()[:4]) {
		return polls.UnpackNotPollAdminError(raw[4:])
	}
	if bytes.Equal(raw[:4], polls.abi.Errors["NotPollDepartment"].ID.Bytes()[:4]) {
		return polls.UnpackNotPollDepartmentError(raw[4:])
	}
	if bytes.Equal(raw[:4], polls.abi.Errors["NotRelayer"].ID.Bytes()[:4]) {
		return polls.UnpackNotRelayerError(raw[4:])
	}
	if bytes.Equal(raw[:4], polls.abi.Errors["PollFinished"].ID.Bytes()[:4]) {
		return polls.UnpackPollFinishedError(raw[4:])
	}
	if bytes.Equal(raw[:4], polls.abi.Errors["PollNotOpen"].ID.Bytes()[:4]) {
		return polls.UnpackPollNotOpenError(raw[4:])
	}
	if bytes.Equal(raw[:4], polls.abi.Errors["StringTooLong"].ID.Bytes()[:4]) {
		return polls.UnpackStringTooLongError(raw[4:])
	}
	if bytes.Equal(raw[:4], polls.abi.Errors["UnknownPoll"].ID.Bytes()[:4]) {
		return polls.UnpackUnknownPollError(raw[4:])
	}
	if bytes.Equal(raw[:4], polls.abi.Errors["ZeroDirectory"].ID.Bytes()[:4]) {
		return polls.UnpackZeroDirectoryError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// PollsAlreadyVoted represents a AlreadyVoted error raised by the Polls contract.
type PollsAlreadyVoted struct {
	Poll       *big.Int
	VoterIndex *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AlreadyVoted(uint256 poll, uint256 voterIndex)
func PollsAlreadyVotedErrorID() common.Hash {
	return common.HexToHash("0x619f6a005fcb9a7be153bba8cbcbb961ec605a0f4901a48d7e9f6da38a873060")
}

// UnpackAlreadyVotedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AlreadyVoted(uint256 poll, uint256 voterIndex)
func (polls *Polls) UnpackAlreadyVotedError(raw []byte) (*PollsAlreadyVoted, error) {
	out := new(PollsAlreadyVoted)
	if err := polls.abi.UnpackIntoInterface(out, "AlreadyVoted", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PollsBadSignature represents a BadSignature error raised by the Polls contract.
type PollsBadSignature struct {
	Voter common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadSignature(address voter)
func PollsBadSignatureErrorID() common.Hash {
	return common.HexToHash("0x9a7d38d94d3da0d5188ab778bbe9a3a38c77802b1bf2426c15740dc786da791d")
}

// UnpackBadSignatureError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadSignature(address voter)
func (polls *Polls) UnpackBadSignatureError(raw []byte) (*PollsBadSignature, error) {
	out := new(PollsBadSignature)
	if err := polls.abi.UnpackIntoInterface(out, "BadSignature", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PollsBallotForOtherPoll represents a BallotForOtherPoll error raised by the Polls contract.
type PollsBallotForOtherPoll struct {
	BatchPoll  *big.Int
	BallotPoll *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BallotForOtherPoll(uint256 batchPoll, uint256 ballotPoll)
func PollsBallotForOtherPollErrorID() common.Hash {
	return common.HexToHash("0xe4d85bf8405c77afed58e722b1e72f37f68670d7ef021e379afd50c528a5dedc")
}

// UnpackBallotForOtherPollError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BallotForOtherPoll(uint256 batchPoll, uint256 ballotPoll)
func (polls *Polls) UnpackBallotForOtherPollError(raw []byte) (*PollsBallotForOtherPoll, error) {
	out := new(PollsBallotForOtherPoll)
	if err := polls.abi.UnpackIntoInterface(out, "BallotForOtherPoll", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PollsEmptyBatch represents a EmptyBatch error raised by the Polls contract.
type PollsEmptyBatch struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error EmptyBatch()
func PollsEmptyBatchErrorID() common.Hash {
	return common.HexToHash("0xc2e5347df6cf8d1bf68f8a9651642312bd381b900d857d97cd665976180d6ae0")
}

// UnpackEmptyBatchError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error EmptyBatch()
func (polls *Polls) UnpackEmptyBatchError(raw []byte) (*PollsEmptyBatch, error) {
	out := new(PollsEmptyBatch)
	if err := polls.abi.UnpackIntoInterface(out, "EmptyBatch", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PollsEmptyEligibility represents a EmptyEligibility error raised by the Polls contract.
type PollsEmptyEligibility struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error EmptyEligibility()
func PollsEmptyEligibilityErrorID() common.Hash {
	return common.HexToHash("0x4bd23bdc884a80df445cba443323ac2010c04777d02d2737ff95dcd7eafaf136")
}

// UnpackEmptyEligibilityError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error EmptyEligibility()
func (polls *Polls) UnpackEmptyEligibilityError(raw []byte) (*PollsEmptyEligibility, error) {
	out := new(PollsEmptyEligibility)
	if err := polls.abi.UnpackIntoInterface(out, "EmptyEligibility", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PollsEmptyOption represents a EmptyOption error raised by the Polls contract.
type PollsEmptyOption struct {
	Option *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error EmptyOption(uint256 option)
func PollsEmptyOptionErrorID() common.Hash {
	return common.HexToHash("0x503cfc2a2b2e9cbfee58187136c985c5bb398e3a90d60a20f46d20b83ab2dfa3")
}

// UnpackEmptyOptionError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error EmptyOption(uint256 option)
func (polls *Polls) UnpackEmptyOptionError(raw []byte) (*PollsEmptyOption, error) {
	out := new(PollsEmptyOption)
	if err := polls.abi.UnpackIntoInterface(out, "EmptyOption", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PollsEmptyQuestion represents a EmptyQuestion error raised by the Polls contract.
type PollsEmptyQuestion struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error EmptyQuestion()
func PollsEmptyQuestionErrorID() common.Hash {
	return common.HexToHash("0x0d5003f3de766df7faa1ea7fde7f0384b29f240d29b97fb31872d22675637475")
}

// UnpackEmptyQuestionError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error EmptyQuestion()
func (polls *Polls) UnpackEmptyQuestionError(raw []byte) (*PollsEmptyQuestion, error) {
	out := new(PollsEmptyQuestion)
	if err := polls.abi.UnpackIntoInterface(out, "EmptyQuestion", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PollsInvalidOption represents a InvalidOption error raised by the Polls contract.
type PollsInvalidOption struct {
	Poll   *big.Int
	Option *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidOption(uint256 poll, uint256 option)
func PollsInvalidOptionErrorID() common.Hash {
	return common.HexToHash("0xfbf7b2e85ec3ae88873b73715a5dab2ee95f69959be932fefdc08cef9df8b9d3")
}

// UnpackInvalidOptionError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidOption(uint256 poll, uint256 option)
func (polls *Polls) UnpackInvalidOptionError(raw []byte) (*PollsInvalidOption, error) {
	out := new(PollsInvalidOption)
	if err := polls.abi.UnpackIntoInterface(out, "InvalidOption", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PollsInvalidOptionCount represents a InvalidOptionCount error raised by the Polls contract.
type PollsInvalidOptionCount struct {
	Have *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidOptionCount(uint256 have)
func PollsInvalidOptionCountErrorID() common.Hash {
	return common.HexToHash("0xb7c6149ae36433d5fe65629e9dee11a990177397fabe0c038fc2711979767684")
}

// UnpackInvalidOptionCountError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidOptionCount(uint256 have)
func (polls *Polls) UnpackInvalidOptionCountError(raw []byte) (*PollsInvalidOptionCount, error) {
	out := new(PollsInvalidOptionCount)
	if err := polls.abi.UnpackIntoInterface(out, "InvalidOptionCount", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PollsInvalidShortString represents a InvalidShortString error raised by the Polls contract.
type PollsInvalidShortString struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidShortString()
func PollsInvalidShortStringErrorID() common.Hash {
	return common.HexToHash("0xb3512b0c6163e5f0bafab72bb631b9d58cd7a731b082f910338aa21c83d5c274")
}

// UnpackInvalidShortStringError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidShortString()
func (polls *Polls) UnpackInvalidShortStringError(raw []byte) (*PollsInvalidShortString, error) {
	out := new(PollsInvalidShortString)
	if err := polls.abi.UnpackIntoInterface(out, "InvalidShortString", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PollsInvalidWindow represents a InvalidWindow error raised by the Polls contract.
type PollsInvalidWindow struct {
	OpensAt  uint64
	ClosesAt uint64
	Now      *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidWindow(uint64 opensAt, uint64 closesAt, uint256 now)
func PollsInvalidWindowErrorID() common.Hash {
	return common.HexToHash("0xfa33c9d82cd87b81579e19545b4c0fb98bf5a94a2e78e9ceb3134cf85d038982")
}

// UnpackInvalidWindowError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidWindow(uint64 opensAt, uint64 closesAt, uint256 now)
func (polls *Polls) UnpackInvalidWindowError(raw []byte) (*PollsInvalidWindow, error) {
	out := new(PollsInvalidWindow)
	if err := polls.abi.UnpackIntoInterface(out, "InvalidWindow", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PollsNotEligible represents a NotEligible error raised by the Polls contract.
type PollsNotEligible struct {
	Poll       *big.Int
	Voter      common.Address
	VoterIndex *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotEligible(uint256 poll, address voter, uint256 voterIndex)
func PollsNotEligibleErrorID() common.Hash {
	return common.HexToHash("0xa6688b10e84f67d6aefe37ded4ccca294f027e89b50c9b9f63e0afffcc7526bd")
}

// UnpackNotEligibleError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotEligible(uint256 poll, address voter, uint256 voterIndex)
func (polls *Polls) UnpackNotEligibleError(raw []byte) (*PollsNotEligible, error) {
	out := new(PollsNotEligible)
	if err := polls.abi.UnpackIntoInterface(out, "NotEligible", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PollsNotPollAdmin represents a NotPollAdmin error raised by the Polls contract.
type PollsNotPollAdmin struct {
	Account common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotPollAdmin(address account)
func PollsNotPollAdminErrorID() common.Hash {
	return common.HexToHash("0xe4ec70eb85d9527c1ce53ff2cd31abe47f63ffbd12bd9175f9233aeb883e761e")
}

// UnpackNotPollAdminError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotPollAdmin(address account)
func (polls *Polls) UnpackNotPollAdminError(raw []byte) (*PollsNotPollAdmin, error) {
	out := new(PollsNotPollAdmin)
	if err := polls.abi.UnpackIntoInterface(out, "NotPollAdmin", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PollsNotPollDepartment represents a NotPollDepartment error raised by the Polls contract.
type PollsNotPollDepartment struct {
	Poll       *big.Int
	Department [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotPollDepartment(uint256 poll, bytes32 department)
func PollsNotPollDepartmentErrorID() common.Hash {
	return common.HexToHash("0x672d2126c9efc4b2e0d87dc203a61f6830aed9cfff5a2c37c31768194e9bc89d")
}

// UnpackNotPollDepartmentError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotPollDepartment(uint256 poll, bytes32 department)
func (polls *Polls) UnpackNotPollDepartmentError(raw []byte) (*PollsNotPollDepartment, error) {
	out := new(PollsNotPollDepartment)
	if err := polls.abi.UnpackIntoInterface(out, "NotPollDepartment", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PollsNotRelayer represents a NotRelayer error raised by the Polls contract.
type PollsNotRelayer struct {
	Account common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotRelayer(address account)
func PollsNotRelayerErrorID() common.Hash {
	return common.HexToHash("0x366b2e5a6ef7a1142bf5af5b5b0034d25a76775bdac9ac62ed19327043788dac")
}

// UnpackNotRelayerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotRelayer(address account)
func (polls *Polls) UnpackNotRelayerError(raw []byte) (*PollsNotRelayer, error) {
	out := new(PollsNotRelayer)
	if err := polls.abi.UnpackIntoInterface(out, "NotRelayer", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PollsPollFinished represents a PollFinished error raised by the Polls contract.
type PollsPollFinished struct {
	Poll *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error PollFinished(uint256 poll)
func PollsPollFinishedErrorID() common.Hash {
	return common.HexToHash("0x614e1f45fd347c38c0e483f832d94765a29012fe98cf36361cecc044f9ae1917")
}

// UnpackPollFinishedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error PollFinished(uint256 poll)
func (polls *Polls) UnpackPollFinishedError(raw []byte) (*PollsPollFinished, error) {
	out := new(PollsPollFinished)
	if err := polls.abi.UnpackIntoInterface(out, "PollFinished", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PollsPollNotOpen represents a PollNotOpen error raised by the Polls contract.
type PollsPollNotOpen struct {
	Poll *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error PollNotOpen(uint256 poll)
func PollsPollNotOpenErrorID() common.Hash {
	return common.HexToHash("0x2b8df53d0607f6e92d2017245d1dcddec9438902b079c5882b478c983aa1dabc")
}

// UnpackPollNotOpenError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error PollNotOpen(uint256 poll)
func (polls *Polls) UnpackPollNotOpenError(raw []byte) (*PollsPollNotOpen, error) {
	out := new(PollsPollNotOpen)
	if err := polls.abi.UnpackIntoInterface(out, "PollNotOpen", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PollsStringTooLong represents a StringTooLong error raised by the Polls contract.
type PollsStringTooLong struct {
	Str string
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error StringTooLong(string str)
func PollsStringTooLongErrorID() common.Hash {
	return common.HexToHash("0x305a27a93f8e33b7392df0a0f91d6fc63847395853c45991eec52dbf24d72381")
}

// UnpackStringTooLongError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error StringTooLong(string str)
func (polls *Polls) UnpackStringTooLongError(raw []byte) (*PollsStringTooLong, error) {
	out := new(PollsStringTooLong)
	if err := polls.abi.UnpackIntoInterface(out, "StringTooLong", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PollsUnknownPoll represents a UnknownPoll error raised by the Polls contract.
type PollsUnknownPoll struct {
	Poll *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error UnknownPoll(uint256 poll)
func PollsUnknownPollErrorID() common.Hash {
	return common.HexToHash("0xbd9b5c313e60dc53d10b0c06562f62312071212e6aebe7e6e45f004bcc1188bc")
}

// UnpackUnknownPollError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error UnknownPoll(uint256 poll)
func (polls *Polls) UnpackUnknownPollError(raw []byte) (*PollsUnknownPoll, error) {
	out := new(PollsUnknownPoll)
	if err := polls.abi.UnpackIntoInterface(out, "UnknownPoll", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PollsZeroDirectory represents a ZeroDirectory error raised by the Polls contract.
type PollsZeroDirectory struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ZeroDirectory()
func PollsZeroDirectoryErrorID() common.Hash {
	return common.HexToHash("0x7d05f759406aca5db50b93021fe77a8e6432b402925180284cbd95e6c7f7752a")
}

// UnpackZeroDirectoryError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ZeroDirectory()
func (polls *Polls) UnpackZeroDirectoryError(raw []byte) (*PollsZeroDirectory, error) {
	out := new(PollsZeroDirectory)
	if err := polls.abi.UnpackIntoInterface(out, "ZeroDirectory", raw); err != nil {
		return nil, err
	}
	return out, nil
}
