// Code generated via abigen V2 - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package anchors

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

// AnchorsCheckpoint is an auto generated low-level Go binding around an user-defined struct.
type AnchorsCheckpoint struct {
	Hash         [32]byte
	StateRoot    [32]byte
	ReceiptsRoot [32]byte
	Sealer       common.Address
	AnchoredAt   uint64
}

// AnchorsTrusted is an auto generated low-level Go binding around an user-defined struct.
type AnchorsTrusted struct {
	Number       uint64
	Hash         [32]byte
	StateRoot    [32]byte
	ReceiptsRoot [32]byte
}

// AnchorsMetaData contains all meta data concerning the Anchors contract.
var AnchorsMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"contractIDirectory\",\"name\":\"directory_\",\"type\":\"address\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"index\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"have\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"want\",\"type\":\"uint64\"}],\"name\":\"BadNumber\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"index\",\"type\":\"uint256\"},{\"internalType\":\"bytes32\",\"name\":\"have\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"want\",\"type\":\"bytes32\"}],\"name\":\"BadParentLink\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"index\",\"type\":\"uint256\"}],\"name\":\"BadSeal\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"index\",\"type\":\"uint256\"}],\"name\":\"BadSignerList\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"chainId\",\"type\":\"uint256\"}],\"name\":\"ChainExists\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"number\",\"type\":\"uint64\"},{\"internalType\":\"bytes32\",\"name\":\"hash\",\"type\":\"bytes32\"}],\"name\":\"DuplicateCheckpoint\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"EmptySpan\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidRegistration\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidValidatorSet\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"index\",\"type\":\"uint256\"}],\"name\":\"MalformedHeader\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"NotAdmin\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"NotAnchorRelayer\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"from\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"to\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"latest\",\"type\":\"uint64\"}],\"name\":\"OutOfOrder\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"index\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"signer\",\"type\":\"address\"}],\"name\":\"SignerNotValidator\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"chainId\",\"type\":\"uint256\"}],\"name\":\"UnknownChain\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"chainId\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"from\",\"type\":\"uint64\"}],\"name\":\"UnknownCheckpoint\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint8\",\"name\":\"kind\",\"type\":\"uint8\"}],\"name\":\"UnsupportedConsensus\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroDirectory\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"chainId\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"genesisHash\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"enumAnchors.Consensus\",\"name\":\"consensus\",\"type\":\"uint8\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"number\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"hash\",\"type\":\"bytes32\"}],\"name\":\"ChainRegistered\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"chainId\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"number\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"hash\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"stateRoot\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"receiptsRoot\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"address\",\"name\":\"sealer\",\"type\":\"address\"}],\"name\":\"CheckpointAnchored\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"chainId\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"number\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"anchored\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"conflicting\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"address\",\"name\":\"sealer\",\"type\":\"address\"}],\"name\":\"CheckpointConflict\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"chainId\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"number\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"address[]\",\"name\":\"validators\",\"type\":\"address[]\"}],\"name\":\"ValidatorsChanged\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"ANCHOR_RELAYER\",\"outputs\":[{\"internalType\":\"uint8\",\"name\":\"\",\"type\":\"uint8\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"chainId\",\"type\":\"uint256\"}],\"name\":\"chain\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"genesisHash\",\"type\":\"bytes32\"},{\"internalType\":\"enumAnchors.Consensus\",\"name\":\"consensus\",\"type\":\"uint8\"},{\"internalType\":\"uint64\",\"name\":\"epoch\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"trustedNumber\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"latest\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"chainId\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"number\",\"type\":\"uint64\"}],\"name\":\"checkpoint\",\"outputs\":[{\"components\":[{\"internalType\":\"bytes32\",\"name\":\"hash\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"stateRoot\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"receiptsRoot\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"sealer\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"anchoredAt\",\"type\":\"uint64\"}],\"internalType\":\"structAnchors.Checkpoint\",\"name\":\"\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"chainId\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"number\",\"type\":\"uint64\"}],\"name\":\"conflicts\",\"outputs\":[{\"components\":[{\"internalType\":\"bytes32\",\"name\":\"hash\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"stateRoot\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"receiptsRoot\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"sealer\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"anchoredAt\",\"type\":\"uint64\"}],\"internalType\":\"structAnchors.Checkpoint[]\",\"name\":\"\",\"type\":\"tuple[]\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"directory\",\"outputs\":[{\"internalType\":\"contractIDirectory\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"chainId\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"number\",\"type\":\"uint64\"}],\"name\":\"isConflicted\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"chainId\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"from\",\"type\":\"uint64\"},{\"internalType\":\"bytes[]\",\"name\":\"headers\",\"type\":\"bytes[]\"}],\"name\":\"post\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"chainId\",\"type\":\"uint256\"},{\"internalType\":\"bytes32\",\"name\":\"genesisHash\",\"type\":\"bytes32\"},{\"internalType\":\"enumAnchors.Consensus\",\"name\":\"consensus\",\"type\":\"uint8\"},{\"internalType\":\"uint64\",\"name\":\"epoch\",\"type\":\"uint64\"},{\"components\":[{\"internalType\":\"uint64\",\"name\":\"number\",\"type\":\"uint64\"},{\"internalType\":\"bytes32\",\"name\":\"hash\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"stateRoot\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"receiptsRoot\",\"type\":\"bytes32\"}],\"internalType\":\"structAnchors.Trusted\",\"name\":\"trusted\",\"type\":\"tuple\"},{\"internalType\":\"address[]\",\"name\":\"set\",\"type\":\"address[]\"}],\"name\":\"register\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"chainId\",\"type\":\"uint256\"}],\"name\":\"validators\",\"outputs\":[{\"internalType\":\"address[]\",\"name\":\"\",\"type\":\"address[]\"}],\"stateMutability\":\"view\",\"type\":\"function\"}]",
	ID:  "Anchors",
	Bin: "0x60a060405234801561001057600080fd5b506040516124c93803806124c983398101604081905261002f91610067565b6001600160a01b03811661005657604051637d05f75960e01b815260040160405180910390fd5b6001600160a01b0316608052610097565b60006020828403121561007957600080fd5b81516001600160a01b038116811461009057600080fd5b9392505050565b6080516124096100c0600039600081816101b90152818161035301526106e901526124096000f3fe608060405234801561001057600080fd5b50600436106100935760003560e01c8063ab5f13ee11610066578063ab5f13ee14610159578063ad144b191461016c578063c41c2f24146101b4578063d43dbf7d146101f3578063f7c80a871461021357600080fd5b8063350aae071461009857806335aa2e44146100c15780634f2924c4146100e15780635852cc0c146100f6575b600080fd5b6100ab6100a6366004611d37565b61022d565b6040516100b89190611da2565b60405180910390f35b6100d46100cf366004611db0565b6102c7565b6040516100b89190611dc9565b6100f46100ef366004611e60565b610334565b005b610148610104366004611db0565b60009081526020819052604090208054600190910154909160ff8216916001600160401b036101008204811692600160481b8304821692600160881b900490911690565b6040516100b8959493929190611ef1565b6100f4610167366004611f3c565b6106e7565b6101a461017a366004611d37565b60009182526002602090815260408084206001600160401b03939093168452919052902054151590565b60405190151581526020016100b8565b6101db7f000000000000000000000000000000000000000000000000000000000000000081565b6040516001600160a01b0390911681526020016100b8565b610206610201366004611d37565b610abf565b6040516100b89190611fd8565b61021b600681565b60405160ff90911681526020016100b8565b6040805160a0810182526000808252602082018190529181018290526060810182905260808101919091525060008281526001602081815260408084206001600160401b03808716865290835293819020815160a081018352815481529381015492840192909252600282015490830152600301546001600160a01b0381166060830152600160a01b900490911660808201525b92915050565b6000818152602081815260409182902060020180548351818402810184019094528084526060939283018282801561032857602002820191906000526020600020905b81546001600160a01b0316815260019091019060200180831161030a575b50505050509050919050565b6040516362a6e19960e11b8152336004820152600660248201526000907f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03169063c54dc33290604401602060405180830381865afa1580156103a2573d6000803e3d6000fd5b505050506040513d601f19601f820116820180604052508101906103c6919061201b565b036103eb5760405163011ea5a760e51b81523360048201526024015b60405180910390fd5b600084815260208190526040812090600182015460ff16600281111561041357610413611eb9565b03610434576040516351cf29eb60e01b8152600481018690526024016103e2565b600082900361045657604051634d72c6ad60e01b815260040160405180910390fd5b60008581526001602090815260408083206001600160401b0388168452909152902080546104a957604051632de363c160e21b8152600481018790526001600160401b03861660248201526044016103e2565b60006104b5848761204a565b60018401549091506001600160401b03878116600160881b9092041614801581610520575060018401546001600160401b03600160881b90910481169083161180610520575060008881526001602090815260408083206001600160401b0386168452909152902054155b1561056757600184015460405163d3ac1f2f60e01b81526001600160401b03808a1660048301528085166024830152600160881b90920490911660448201526064016103e2565b600080600061057f8b8888600001548d8d8d8a610b7d565b92509250925060006040518060a001604052808481526020018560200151815260200185604001518152602001836001600160a01b03168152602001436001600160401b0316815250905084156106ce57600180890180546001600160401b03808a16600160881b810267ffffffffffffffff60881b199093169290921790925560008f815260208481526040808320848452825291829020865181559086015194810185905581860151600282018190556060870151600390920180546080890151909616600160a01b026001600160e01b03199096166001600160a01b03909316929092179490941790555190928f927f685d5963c8d1ebb535e81aca32e390e5458afe1ff9f60a8e34135badc8fdbbcc926106c192899290918990938452602084019290925260408301526001600160a01b0316606082015260800190565b60405180910390a36106d9565b6106d98c8783610d1a565b505050505050505050505050565b7f00000000000000000000000000000000000000000000000000000000000000006001600160a01b0316638da5cb5b6040518163ffffffff1660e01b8152600401602060405180830381865afa158015610745573d6000803e3d6000fd5b505050506040513d601f19601f820116820180604052508101906107699190612081565b6001600160a01b0316336001600160a01b03161461079c57604051630bd4212160e11b81523360048201526024016103e2565b600087815260208190526040812090600182015460ff1660028111156107c4576107c4611eb9565b146107e55760405163b58178c160e01b8152600481018990526024016103e2565b60018660028111156107f9576107f9611eb9565b1461082f5785600281111561081057610810611eb9565b60405163262c77d360e11b815260ff90911660048201526024016103e2565b86158061084357506001600160401b038516155b8061085057506020840135155b1561086e57604051635118d09560e01b815260040160405180910390fd5b6108788383610ec5565b86815560018082018054889260ff199091169083600281111561089d5761089d611eb9565b021790555060018101805468ffffffffffffffff0019166101006001600160401b0388160217905560006108d460208601866120a5565b60018301805478ffffffffffffffffffffffffffffffff0000000000000000001916600160481b6001600160401b03841690810267ffffffffffffffff60881b191691909117600160881b919091021790559050610936600283018585611c02565b506040518060a0016040528086602001358152602001866040013581526020018660600135815260200160006001600160a01b03168152602001436001600160401b0316815250600160008b81526020019081526020016000206000836001600160401b03166001600160401b0316815260200190815260200160002060008201518160000155602082015181600101556040820151816002015560608201518160030160006101000a8154816001600160a01b0302191690836001600160a01b0316021790555060808201518160030160146101000a8154816001600160401b0302191690836001600160401b03160217905550905050887faa6d1c00a2d6129549521321365ca0ca0eb9ec76a4dc1b782e13b1d45d10e9f58989848960200135604051610a6894939291906120c0565b60405180910390a2806001600160401b0316897f3e6a742416c4afb17f5e71394d355a0ebbd6222b43210384a0b7b0d25b39bc338686604051610aac9291906120ef565b60405180910390a3505050505050505050565b60008281526002602090815260408083206001600160401b03851684528252808320805482518185028101850190935280835260609492939192909184015b82821015610b715760008481526020908190206040805160a081018252600486029092018054835260018082015484860152600282015492840192909252600301546001600160a01b0381166060840152600160a01b90046001600160401b031660808301529083529092019101610afe565b50505050905092915050565b610b85611c65565b600080600089600201805480602002602001604051908101604052809291908181526020018280548015610be257602002820191906000526020600020905b81546001600160a01b03168152600190910190602001808311610bc4575b5050505050905060005b86811015610d0a57610c21888883818110610c0957610c09612132565b9050602002810190610c1b9190612148565b83610fe1565b9450610c43858b610c32848d61204a565b610c3d90600161204a565b846111c7565b878782818110610c5557610c55612132565b9050602002810190610c679190612148565b604051610c7592919061218e565b604051809103902099508a60010160019054906101000a90046001600160401b03168560600151610ca691906121b4565b6001600160401b031615801590610cc6575086610cc48260016121e2565b105b610d0257610cfc8c8c8a8a85818110610ce157610ce1612132565b9050602002810190610cf39190612148565b8986888d611258565b90935091505b600101610bec565b50929a9799509750505050505050565b60008381526001602090815260408083206001600160401b038616845290915290205481518103610d73578151604051635b26704160e11b81526001600160401b038516600482015260248101919091526044016103e2565b60008481526002602090815260408083206001600160401b03871684529091528120905b8154811015610e04578360000151828281548110610db757610db7612132565b90600052602060002090600402016000015403610dfc578351604051635b26704160e11b81526001600160401b038716600482015260248101919091526044016103e2565b600101610d97565b5080546001808201835560008381526020908190208651600490940201838155868201519281019290925560408087015160028401556060808801516003909401805460808a01516001600160a01b039096166001600160e01b03199091168117600160a01b6001600160401b039788160217909155825188815293840195909552908201939093529086169187917f0b7cd8c287526723f19b623e2e69472dd9547fcd7e59a436d23911c262865fe9910160405180910390a35050505050565b6000819003610ee75760405163aff8365b60e01b815260040160405180910390fd5b60005b81811015610fdc576000838383818110610f0657610f06612132565b9050602002016020810190610f1b91906121f5565b6001600160a01b031603610f425760405163aff8365b60e01b815260040160405180910390fd5b60005b81811015610fd357838383818110610f5f57610f5f612132565b9050602002016020810190610f7491906121f5565b6001600160a01b0316848483818110610f8f57610f8f612132565b9050602002016020810190610fa491906121f5565b6001600160a01b031603610fcb5760405163aff8365b60e01b815260040160405180910390fd5b600101610f45565b50600101610eea565b505050565b610fe9611c65565b6000806000610ffb8787600088611357565b92509250925080158061101757508561101483856121e2565b14155b156110385760405163187eb95b60e31b8152600481018690526024016103e2565b60e0840183905261010084018690528260005b600f81101561118857856101000151821061107c5760405163187eb95b60e31b8152600481018890526024016103e2565b600080600061108d8c8c878d611357565b92509250925080806110ac57506101008901516110aa83856121e2565b115b156110cd5760405163187eb95b60e31b8152600481018b90526024016103e2565b836000036110e9576110e28c8c85858e611483565b895261116d565b83600303611108576110fe8c8c85858e611483565b60208a015261116d565b836005036111275761111d8c8c85858e611483565b60408a015261116d565b8360080361114f5761113c8c8c85858e6114d7565b6001600160401b031660608a015261116d565b83600c0361116d5760c0890182905260a08901839052608089018590525b61117782846121e2565b9450506001909201915061104b9050565b50611195604160206121e2565b8560c0015110156111bc576040516355f56a5160e01b8152600481018790526024016103e2565b505050509392505050565b835183146111fc578351604051631d2b6a5560e31b8152600481018390526024810191909152604481018490526064016103e2565b816001600160401b031684606001516001600160401b03161461125257606084015160405163b8164d4f60e01b8152600481018390526001600160401b03918216602482015290831660448201526064016103e2565b50505050565b6000606061126888888888611555565b915061127484836117d7565b6112a25760405162269e7960e11b8152600481018690526001600160a01b03831660248201526044016103e2565b600189015460608701516112c49161010090046001600160401b0316906121b4565b6001600160401b0316156112d957508261134a565b6112e588888888611832565b9050821561134a5780516113029060028b01906020840190611cb1565b5085606001516001600160401b03168a7f3e6a742416c4afb17f5e71394d355a0ebbd6222b43210384a0b7b0d25b39bc33836040516113419190611dc9565b60405180910390a35b9850989650505050505050565b6000808085851061137e5760405163187eb95b60e31b8152600481018590526024016103e2565b600087878781811061139257611392612132565b919091013560f81c91505060808110156113b757856001600093509350935050611479565b60b88160ff1610156113ec576113ce8660016121e2565b6113d9608083612212565b90945060ff169250600091506114799050565b60c08160ff1610156114205761141488888861140960b786612212565b60ff1660008a611989565b93509350935050611479565b60f88160ff161015611455576114378660016121e2565b61144260c083612212565b90945060ff169250600191506114799050565b61147188888861146660f786612212565b60ff1660018a611989565b935093509350505b9450945094915050565b6000826020146114a95760405163187eb95b60e31b8152600481018390526024016103e2565b8584866114b78260206121e2565b926114c49392919061222b565b6114cd91612255565b9695505050505050565b600060088311156114fe5760405163187eb95b60e31b8152600481018390526024016103e2565b60005b8381101561154b57868661151583886121e2565b81811061152457611524612132565b68ffffffffffffffff0060089590951b94909416919093013560f81c179150600101611501565b5095945050505050565b60008060418460c001516115699190612273565b90506000611578608083611a9b565b9050600082825187608001518860c001518960a0015161159891906121e2565b6115a29190612273565b8860e001518961010001516115b79190612273565b6115c19190612273565b6115cb91906121e2565b6115d591906121e2565b905060006115e460c083611a9b565b60e088015160808901516115f9918b8d61222b565b60a08a015186908d908d61160d8b836121e2565b9261161a9392919061222b565b8e8e8e60c001518f60a0015161163091906121e2565b908f6101000151926116449392919061222b565b60405160200161165b9897969594939291906122b6565b6040516020818303038152906040528051906020012090506000848860a0015161168591906121e2565b905060008a828b6116978260206121e2565b926116a49392919061222b565b6116ad91612255565b905060008b8b6116be8560206121e2565b906116ca8660406121e2565b926116d79392919061222b565b6116e091612255565b905060008c8c6116f18660406121e2565b81811061170057611700612132565b919091013560f81c9150506001811115611730576040516355f56a5160e01b8152600481018b90526024016103e2565b600060018661174084601b6122ff565b6040805160008152602081018083529390935260ff90911690820152606081018690526080810185905260a0016020604051602081039080840390855afa15801561178f573d6000803e3d6000fd5b5050604051601f1901519150506001600160a01b0381166117c6576040516355f56a5160e01b8152600481018c90526024016103e2565b9d9c50505050505050505050505050565b6000805b835181101561182857826001600160a01b031684828151811061180057611800612132565b60200260200101516001600160a01b0316036118205760019150506102c1565b6001016117db565b5060009392505050565b60606000604160208560c001516118499190612273565b6118539190612273565b905080158061186b5750611868601482612318565b15155b1561188c57604051634981843760e01b8152600481018490526024016103e2565b61189760148261232c565b6001600160401b038111156118ae576118ae612340565b6040519080825280602002602001820160405280156118d7578160200160208202803683370190505b509150600060208560a001516118ed91906121e2565b905060005b835181101561197e578787611908836014612356565b61191290856121e2565b9061191e846014612356565b61192890866121e2565b6119339060146121e2565b926119409392919061222b565b6119499161236d565b60601c84828151811061195e5761195e612132565b6001600160a01b03909216602092830291909101909101526001016118f2565b505050949350505050565b60008080878661199a8960016121e2565b6119a491906121e2565b11806119b05750600486115b806119e4575088886119c38960016121e2565b8181106119d2576119d2612132565b909101356001600160f81b0319161590505b15611a055760405163187eb95b60e31b8152600481018590526024016103e2565b60005b86811015611a5057898982611a1e8b60016121e2565b611a2891906121e2565b818110611a3757611a37612132565b60089590951b919094013560f81c179250600101611a08565b506038821015611a765760405163187eb95b60e31b8152600481018590526024016103e2565b85611a828860016121e2565b611a8c91906121e2565b99919850939650945050505050565b60606038821015611aec57611ab38260ff85166121e2565b604051602001611ad6919060f89190911b6001600160f81b031916815260010190565b60405160208183030381529060405290506102c1565b6000825b8015611b0b5781611b00816123ba565b92505060081c611af0565b506000611b198260016121e2565b6001600160401b03811115611b3057611b30612340565b6040519080825280601f01601f191660200182016040528015611b5a576020820181803683370190505b50905081611b698660376122ff565b60ff16611b7691906121e2565b60f81b81600081518110611b8c57611b8c612132565b60200101906001600160f81b031916908160001a90535060005b82811015611bf957611bb9816008612356565b85901c60f81b82611bca8386612273565b81518110611bda57611bda612132565b60200101906001600160f81b031916908160001a905350600101611ba6565b50949350505050565b828054828255906000526020600020908101928215611c55579160200282015b82811115611c555781546001600160a01b0319166001600160a01b03843516178255602090920191600190910190611c22565b50611c61929150611d06565b5090565b6040805161012081018252600080825260208201819052918101829052606081018290526080810182905260a0810182905260c0810182905260e0810182905261010081019190915290565b828054828255906000526020600020908101928215611c55579160200282015b82811115611c5557825182546001600160a01b0319166001600160a01b03909116178255602090920191600190910190611cd1565b5b80821115611c615760008155600101611d07565b80356001600160401b0381168114611d3257600080fd5b919050565b60008060408385031215611d4a57600080fd5b82359150611d5a60208401611d1b565b90509250929050565b8051825260208082015190830152604080820151908301526060808201516001600160a01b0316908301526080908101516001600160401b0316910152565b60a081016102c18284611d63565b600060208284031215611dc257600080fd5b5035919050565b602080825282518282018190526000918401906040840190835b81811015611e0a5783516001600160a01b0316835260209384019390920191600101611de3565b509095945050505050565b60008083601f840112611e2757600080fd5b5081356001600160401b03811115611e3e57600080fd5b6020830191508360208260051b8501011115611e5957600080fd5b9250929050565b60008060008060608587031215611e7657600080fd5b84359350611e8660208601611d1b565b925060408501356001600160401b03811115611ea157600080fd5b611ead87828801611e15565b95989497509550505050565b634e487b7160e01b600052602160045260246000fd5b60038110611eed57634e487b7160e01b600052602160045260246000fd5b9052565b85815260a08101611f056020830187611ecf565b6001600160401b03851660408301526001600160401b03841660608301526001600160401b03831660808301529695505050505050565b6000806000806000806000878903610120811215611f5957600080fd5b8835975060208901359650604089013560038110611f7657600080fd5b9550611f8460608a01611d1b565b94506080607f1982011215611f9857600080fd5b506080880192506101008801356001600160401b03811115611fb957600080fd5b611fc58a828b01611e15565b989b979a50959850939692959293505050565b602080825282518282018190526000918401906040840190835b81811015611e0a57612005838551611d63565b6020939093019260a09290920191600101611ff2565b60006020828403121561202d57600080fd5b5051919050565b634e487b7160e01b600052601160045260246000fd5b6001600160401b0381811683821601908111156102c1576102c1612034565b6001600160a01b038116811461207e57600080fd5b50565b60006020828403121561209357600080fd5b815161209e81612069565b9392505050565b6000602082840312156120b757600080fd5b61209e82611d1b565b848152608081016120d46020830186611ecf565b6001600160401b039390931660408201526060015292915050565b6020808252810182905260008360408301825b8581101561154b57823561211581612069565b6001600160a01b0316825260209283019290910190600101612102565b634e487b7160e01b600052603260045260246000fd5b6000808335601e1984360301811261215f57600080fd5b8301803591506001600160401b0382111561217957600080fd5b602001915036819003821315611e5957600080fd5b8183823760009101908152919050565b634e487b7160e01b600052601260045260246000fd5b60006001600160401b038316806121cd576121cd61219e565b806001600160401b0384160691505092915050565b808201808211156102c1576102c1612034565b60006020828403121561220757600080fd5b813561209e81612069565b60ff82811682821603908111156102c1576102c1612034565b6000808585111561223b57600080fd5b8386111561224857600080fd5b5050820193919092039150565b803560208310156102c157600019602084900360031b1b1692915050565b818103818111156102c1576102c1612034565b6000815160005b818110156122a7576020818501810151868301520161228d565b50600093019283525090919050565b60006122c2828b612286565b888a823760009089019081526122d88189612286565b90508587823760009086019081528385823760009301928352509098975050505050505050565b60ff81811683821601908111156102c1576102c1612034565b6000826123275761232761219e565b500690565b60008261233b5761233b61219e565b500490565b634e487b7160e01b600052604160045260246000fd5b80820281158282048414176102c1576102c1612034565b80356bffffffffffffffffffffffff1981169060148410156123b3576bffffffffffffffffffffffff196bffffffffffffffffffffffff198560140360031b1b82161691505b5092915050565b6000600182016123cc576123cc612034565b506001019056fea264697066735822122051d234c2f7c9b111e255f5502f9088af93445e4964ba3894e79ee215ad88e98564736f6c634300081e0033",
}

// Anchors is an auto generated Go binding around an Ethereum contract.
type Anchors struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *Anchors) GetABI() abi.ABI {
	return c.abi
}

// NewAnchors creates a new instance of Anchors.
func NewAnchors() *Anchors {
	parsed, err := AnchorsMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &Anchors{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *Anchors) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(address directory_) returns()
func (anchors *Anchors) PackConstructor(directory_ common.Address) []byte {
	enc, err := anchors.abi.Pack("", directory_)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackANCHORRELAYER is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf7c80a87.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function ANCHOR_RELAYER() view returns(uint8)
func (anchors *Anchors) PackANCHORRELAYER() []byte {
	enc, err := anchors.abi.Pack("ANCHOR_RELAYER")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackANCHORRELAYER is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf7c80a87.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function ANCHOR_RELAYER() view returns(uint8)
func (anchors *Anchors) TryPackANCHORRELAYER() ([]byte, error) {
	return anchors.abi.Pack("ANCHOR_RELAYER")
}

// UnpackANCHORRELAYER is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xf7c80a87.
//
// Solidity: function ANCHOR_RELAYER() view returns(uint8)
func (anchors *Anchors) UnpackANCHORRELAYER(data []byte) (uint8, error) {
	out, err := anchors.abi.Unpack("ANCHOR_RELAYER", data)
	if err != nil {
		return *new(uint8), err
	}
	out0 := *abi.ConvertType(out[0], new(uint8)).(*uint8)
	return out0, nil
}

// PackChain is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5852cc0c.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function chain(uint256 chainId) view returns(bytes32 genesisHash, uint8 consensus, uint64 epoch, uint64 trustedNumber, uint64 latest)
func (anchors *Anchors) PackChain(chainId *big.Int) []byte {
	enc, err := anchors.abi.Pack("chain", chainId)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackChain is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5852cc0c.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function chain(uint256 chainId) view returns(bytes32 genesisHash, uint8 consensus, uint64 epoch, uint64 trustedNumber, uint64 latest)
func (anchors *Anchors) TryPackChain(chainId *big.Int) ([]byte, error) {
	return anchors.abi.Pack("chain", chainId)
}

// ChainOutput serves as a container for the return parameters of contract
// method Chain.
type ChainOutput struct {
	GenesisHash   [32]byte
	Consensus     uint8
	Epoch         uint64
	TrustedNumber uint64
	Latest        uint64
}

// UnpackChain is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x5852cc0c.
//
// Solidity: function chain(uint256 chainId) view returns(bytes32 genesisHash, uint8 consensus, uint64 epoch, uint64 trustedNumber, uint64 latest)
func (anchors *Anchors) UnpackChain(data []byte) (ChainOutput, error) {
	out, err := anchors.abi.Unpack("chain", data)
	outstruct := new(ChainOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.GenesisHash = *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	outstruct.Consensus = *abi.ConvertType(out[1], new(uint8)).(*uint8)
	outstruct.Epoch = *abi.ConvertType(out[2], new(uint64)).(*uint64)
	outstruct.TrustedNumber = *abi.ConvertType(out[3], new(uint64)).(*uint64)
	outstruct.Latest = *abi.ConvertType(out[4], new(uint64)).(*uint64)
	return *outstruct, nil
}

// PackCheckpoint is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x350aae07.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function checkpoint(uint256 chainId, uint64 number) view returns((bytes32,bytes32,bytes32,address,uint64))
func (anchors *Anchors) PackCheckpoint(chainId *big.Int, number uint64) []byte {
	enc, err := anchors.abi.Pack("checkpoint", chainId, number)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCheckpoint is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x350aae07.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function checkpoint(uint256 chainId, uint64 number) view returns((bytes32,bytes32,bytes32,address,uint64))
func (anchors *Anchors) TryPackCheckpoint(chainId *big.Int, number uint64) ([]byte, error) {
	return anchors.abi.Pack("checkpoint", chainId, number)
}

// UnpackCheckpoint is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x350aae07.
//
// Solidity: function checkpoint(uint256 chainId, uint64 number) view returns((bytes32,bytes32,bytes32,address,uint64))
func (anchors *Anchors) UnpackCheckpoint(data []byte) (AnchorsCheckpoint, error) {
	out, err := anchors.abi.Unpack("checkpoint", data)
	if err != nil {
		return *new(AnchorsCheckpoint), err
	}
	out0 := *abi.ConvertType(out[0], new(AnchorsCheckpoint)).(*AnchorsCheckpoint)
	return out0, nil
}

// PackConflicts is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd43dbf7d.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function conflicts(uint256 chainId, uint64 number) view returns((bytes32,bytes32,bytes32,address,uint64)[])
func (anchors *Anchors) PackConflicts(chainId *big.Int, number uint64) []byte {
	enc, err := anchors.abi.Pack("conflicts", chainId, number)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackConflicts is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd43dbf7d.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function conflicts(uint256 chainId, uint64 number) view returns((bytes32,bytes32,bytes32,address,uint64)[])
func (anchors *Anchors) TryPackConflicts(chainId *big.Int, number uint64) ([]byte, error) {
	return anchors.abi.Pack("conflicts", chainId, number)
}

// UnpackConflicts is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xd43dbf7d.
//
// Solidity: function conflicts(uint256 chainId, uint64 number) view returns((bytes32,bytes32,bytes32,address,uint64)[])
func (anchors *Anchors) UnpackConflicts(data []byte) ([]AnchorsCheckpoint, error) {
	out, err := anchors.abi.Unpack("conflicts", data)
	if err != nil {
		return *new([]AnchorsCheckpoint), err
	}
	out0 := *abi.ConvertType(out[0], new([]AnchorsCheckpoint)).(*[]AnchorsCheckpoint)
	return out0, nil
}

// PackDirectory is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc41c2f24.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function directory() view returns(address)
func (anchors *Anchors) PackDirectory() []byte {
	enc, err := anchors.abi.Pack("directory")
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
func (anchors *Anchors) TryPackDirectory() ([]byte, error) {
	return anchors.abi.Pack("directory")
}

// UnpackDirectory is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xc41c2f24.
//
// Solidity: function directory() view returns(address)
func (anchors *Anchors) UnpackDirectory(data []byte) (common.Address, error) {
	out, err := anchors.abi.Unpack("directory", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackIsConflicted is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xad144b19.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function isConflicted(uint256 chainId, uint64 number) view returns(bool)
func (anchors *Anchors) PackIsConflicted(chainId *big.Int, number uint64) []byte {
	enc, err := anchors.abi.Pack("isConflicted", chainId, number)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackIsConflicted is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xad144b19.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function isConflicted(uint256 chainId, uint64 number) view returns(bool)
func (anchors *Anchors) TryPackIsConflicted(chainId *big.Int, number uint64) ([]byte, error) {
	return anchors.abi.Pack("isConflicted", chainId, number)
}

// UnpackIsConflicted is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xad144b19.
//
// Solidity: function isConflicted(uint256 chainId, uint64 number) view returns(bool)
func (anchors *Anchors) UnpackIsConflicted(data []byte) (bool, error) {
	out, err := anchors.abi.Unpack("isConflicted", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackPost is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4f2924c4.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function post(uint256 chainId, uint64 from, bytes[] headers) returns()
func (anchors *Anchors) PackPost(chainId *big.Int, from uint64, headers [][]byte) []byte {
	enc, err := anchors.abi.Pack("post", chainId, from, headers)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackPost is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4f2924c4.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function post(uint256 chainId, uint64 from, bytes[] headers) returns()
func (anchors *Anchors) TryPackPost(chainId *big.Int, from uint64, headers [][]byte) ([]byte, error) {
	return anchors.abi.Pack("post", chainId, from, headers)
}

// PackRegister is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xab5f13ee.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function register(uint256 chainId, bytes32 genesisHash, uint8 consensus, uint64 epoch, (uint64,bytes32,bytes32,bytes32) trusted, address[] set) returns()
func (anchors *Anchors) PackRegister(chainId *big.Int, genesisHash [32]byte, consensus uint8, epoch uint64, trusted AnchorsTrusted, set []common.Address) []byte {
	enc, err := anchors.abi.Pack("register", chainId, genesisHash, consensus, epoch, trusted, set)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRegister is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xab5f13ee.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function register(uint256 chainId, bytes32 genesisHash, uint8 consensus, uint64 epoch, (uint64,bytes32,bytes32,bytes32) trusted, address[] set) returns()
func (anchors *Anchors) TryPackRegister(chainId *big.Int, genesisHash [32]byte, consensus uint8, epoch uint64, trusted AnchorsTrusted, set []common.Address) ([]byte, error) {
	return anchors.abi.Pack("register", chainId, genesisHash, consensus, epoch, trusted, set)
}

// PackValidators is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x35aa2e44.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function validators(uint256 chainId) view returns(address[])
func (anchors *Anchors) PackValidators(chainId *big.Int) []byte {
	enc, err := anchors.abi.Pack("validators", chainId)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackValidators is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x35aa2e44.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function validators(uint256 chainId) view returns(address[])
func (anchors *Anchors) TryPackValidators(chainId *big.Int) ([]byte, error) {
	return anchors.abi.Pack("validators", chainId)
}

// UnpackValidators is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x35aa2e44.
//
// Solidity: function validators(uint256 chainId) view returns(address[])
func (anchors *Anchors) UnpackValidators(data []byte) ([]common.Address, error) {
	out, err := anchors.abi.Unpack("validators", data)
	if err != nil {
		return *new([]common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new([]common.Address)).(*[]common.Address)
	return out0, nil
}

// AnchorsChainRegistered represents a ChainRegistered event raised by the Anchors contract.
type AnchorsChainRegistered struct {
	ChainId     *big.Int
	GenesisHash [32]byte
	Consensus   uint8
	Number      uint64
	Hash        [32]byte
	Raw         *types.Log // Blockchain specific contextual infos
}

const AnchorsChainRegisteredEventName = "ChainRegistered"

// ContractEventName returns the user-defined event name.
func (AnchorsChainRegistered) ContractEventName() string {
	return AnchorsChainRegisteredEventName
}

// UnpackChainRegisteredEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ChainRegistered(uint256 indexed chainId, bytes32 genesisHash, uint8 consensus, uint64 number, bytes32 hash)
func (anchors *Anchors) UnpackChainRegisteredEvent(log *types.Log) (*AnchorsChainRegistered, error) {
	event := "ChainRegistered"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != anchors.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(AnchorsChainRegistered)
	if len(log.Data) > 0 {
		if err := anchors.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range anchors.abi.Events[event].Inputs {
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

// AnchorsCheckpointAnchored represents a CheckpointAnchored event raised by the Anchors contract.
type AnchorsCheckpointAnchored struct {
	ChainId      *big.Int
	Number       uint64
	Hash         [32]byte
	StateRoot    [32]byte
	ReceiptsRoot [32]byte
	Sealer       common.Address
	Raw          *types.Log // Blockchain specific contextual infos
}

const AnchorsCheckpointAnchoredEventName = "CheckpointAnchored"

// ContractEventName returns the user-defined event name.
func (AnchorsCheckpointAnchored) ContractEventName() string {
	return AnchorsCheckpointAnchoredEventName
}

// UnpackCheckpointAnchoredEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event CheckpointAnchored(uint256 indexed chainId, uint64 indexed number, bytes32 hash, bytes32 stateRoot, bytes32 receiptsRoot, address sealer)
func (anchors *Anchors) UnpackCheckpointAnchoredEvent(log *types.Log) (*AnchorsCheckpointAnchored, error) {
	event := "CheckpointAnchored"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != anchors.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(AnchorsCheckpointAnchored)
	if len(log.Data) > 0 {
		if err := anchors.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range anchors.abi.Events[event].Inputs {
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

// AnchorsCheckpointConflict represents a CheckpointConflict event raised by the Anchors contract.
type AnchorsCheckpointConflict struct {
	ChainId     *big.Int
	Number      uint64
	Anchored    [32]byte
	Conflicting [32]byte
	Sealer      common.Address
	Raw         *types.Log // Blockchain specific contextual infos
}

const AnchorsCheckpointConflictEventName = "CheckpointConflict"

// ContractEventName returns the user-defined event name.
func (AnchorsCheckpointConflict) ContractEventName() string {
	return AnchorsCheckpointConflictEventName
}

// UnpackCheckpointConflictEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event CheckpointConflict(uint256 indexed chainId, uint64 indexed number, bytes32 anchored, bytes32 conflicting, address sealer)
func (anchors *Anchors) UnpackCheckpointConflictEvent(log *types.Log) (*AnchorsCheckpointConflict, error) {
	event := "CheckpointConflict"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != anchors.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(AnchorsCheckpointConflict)
	if len(log.Data) > 0 {
		if err := anchors.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range anchors.abi.Events[event].Inputs {
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

// AnchorsValidatorsChanged represents a ValidatorsChanged event raised by the Anchors contract.
type AnchorsValidatorsChanged struct {
	ChainId    *big.Int
	Number     uint64
	Validators []common.Address
	Raw        *types.Log // Blockchain specific contextual infos
}

const AnchorsValidatorsChangedEventName = "ValidatorsChanged"

// ContractEventName returns the user-defined event name.
func (AnchorsValidatorsChanged) ContractEventName() string {
	return AnchorsValidatorsChangedEventName
}

// UnpackValidatorsChangedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ValidatorsChanged(uint256 indexed chainId, uint64 indexed number, address[] validators)
func (anchors *Anchors) UnpackValidatorsChangedEvent(log *types.Log) (*AnchorsValidatorsChanged, error) {
	event := "ValidatorsChanged"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != anchors.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(AnchorsValidatorsChanged)
	if len(log.Data) > 0 {
		if err := anchors.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range anchors.abi.Events[event].Inputs {
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
func (anchors *Anchors) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], anchors.abi.Errors["BadNumber"].ID.Bytes()[:4]) {
		return anchors.UnpackBadNumberError(raw[4:])
	}
	if bytes.Equal(raw[:4], anchors.abi.Errors["BadParentLink"].ID.Bytes()[:4]) {
		return anchors.UnpackBadParentLinkError(raw[4:])
	}
	if bytes.Equal(raw[:4], anchors.abi.Errors["BadSeal"].ID.Bytes()[:4]) {
		return anchors.UnpackBadSealError(raw[4:])
	}
	if bytes.Equal(raw[:4], anchors.abi.Errors["BadSignerList"].ID.Bytes()[:4]) {
		return anchors.UnpackBadSignerListError(raw[4:])
	}
	if bytes.Equal(raw[:4], anchors.abi.Errors["ChainExists"].ID.Bytes()[:4]) {
		return anchors.UnpackChainExistsError(raw[4:])
	}
	if bytes.Equal(raw[:4], anchors.abi.Errors["DuplicateCheckpoint"].ID.Bytes()[:4]) {
		return anchors.UnpackDuplicateCheckpointError(raw[4:])
	}
	if bytes.Equal(raw[:4], anchors.abi.Errors["EmptySpan"].ID.Bytes()[:4]) {
		return anchors.UnpackEmptySpanError(raw[4:])
	}
	if bytes.Equal(raw[:4], anchors.abi.Errors["InvalidRegistration"].ID.Bytes()[:4]) {
		return anchors.UnpackInvalidRegistrationError(raw[4:])
	}
	if bytes.Equal(raw[:4], anchors.abi.Errors["InvalidValidatorSet"].ID.Bytes()[:4]) {
		return anchors.UnpackInvalidValidatorSetError(raw[4:])
	}
	if bytes.Equal(raw[:4], anchors.abi.Errors["MalformedHeader"].ID.Bytes()[:4]) {
		return anchors.UnpackMalformedHeaderError(raw[4:])
	}
	if bytes.Equal(raw[:4], anchors.abi.Errors["NotAdmin"].ID.Bytes()[:4]) {
		return anchors.UnpackNotAdminError(raw[4:])
	}
	if bytes.Equal(raw[:4], anchors.abi.Errors["NotAnchorRelayer"].ID.Bytes()[:4]) {
		return anchors.UnpackNotAnchorRelayerError(raw[4:])
	}
	if bytes.Equal(raw[:4], anchors.abi.Errors["OutOfOrder"].ID.Bytes()[:4]) {
		return anchors.UnpackOutOfOrderError(raw[4:])
	}
	if bytes.Equal(raw[:4], anchors.abi.Errors["SignerNotValidator"].ID.Bytes()[:4]) {
		return anchors.UnpackSignerNotValidatorError(raw[4:])
	}
	if bytes.Equal(raw[:4], anchors.abi.Errors["UnknownChain"].ID.Bytes()[:4]) {
		return anchors.UnpackUnknownChainError(raw[4:])
	}
	if bytes.Equal(raw[:4], anchors.abi.Errors["UnknownCheckpoint"].ID.Bytes()[:4]) {
		return anchors.UnpackUnknownCheckpointError(raw[4:])
	}
	if bytes.Equal(raw[:4], anchors.abi.Errors["UnsupportedConsensus"].ID.Bytes()[:4]) {
		return anchors.UnpackUnsupportedConsensusError(raw[4:])
	}
	if bytes.Equal(raw[:4], anchors.abi.Errors["ZeroDirectory"].ID.Bytes()[:4]) {
		return anchors.UnpackZeroDirectoryError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// AnchorsBadNumber represents a BadNumber error raised by the Anchors contract.
type AnchorsBadNumber struct {
	Index *big.Int
	Have  uint64
	Want  uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadNumber(uint256 index, uint64 have, uint64 want)
func AnchorsBadNumberErrorID() common.Hash {
	return common.HexToHash("0xb8164d4f67033cd60c89fc4982896fae7aedb12b268ca8e1b4d2b7a0cf33935d")
}

// UnpackBadNumberError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadNumber(uint256 index, uint64 have, uint64 want)
func (anchors *Anchors) UnpackBadNumberError(raw []byte) (*AnchorsBadNumber, error) {
	out := new(AnchorsBadNumber)
	if err := anchors.abi.UnpackIntoInterface(out, "BadNumber", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// AnchorsBadParentLink represents a BadParentLink error raised by the Anchors contract.
type AnchorsBadParentLink struct {
	Index *big.Int
	Have  [32]byte
	Want  [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadParentLink(uint256 index, bytes32 have, bytes32 want)
func AnchorsBadParentLinkErrorID() common.Hash {
	return common.HexToHash("0xe95b52a8ffe24fdf13dce4f7c116c4c8920588b861331ce2fc5f862df9efbc3a")
}

// UnpackBadParentLinkError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadParentLink(uint256 index, bytes32 have, bytes32 want)
func (anchors *Anchors) UnpackBadParentLinkError(raw []byte) (*AnchorsBadParentLink, error) {
	out := new(AnchorsBadParentLink)
	if err := anchors.abi.UnpackIntoInterface(out, "BadParentLink", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// AnchorsBadSeal represents a BadSeal error raised by the Anchors contract.
type AnchorsBadSeal struct {
	Index *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadSeal(uint256 index)
func AnchorsBadSealErrorID() common.Hash {
	return common.HexToHash("0x55f56a51be19b7674a4787afb3a12c4b3776bb0d2d11fd7b402a0413acc47d62")
}

// UnpackBadSealError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadSeal(uint256 index)
func (anchors *Anchors) UnpackBadSealError(raw []byte) (*AnchorsBadSeal, error) {
	out := new(AnchorsBadSeal)
	if err := anchors.abi.UnpackIntoInterface(out, "BadSeal", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// AnchorsBadSignerList represents a BadSignerList error raised by the Anchors contract.
type AnchorsBadSignerList struct {
	Index *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BadSignerList(uint256 index)
func AnchorsBadSignerListErrorID() common.Hash {
	return common.HexToHash("0x49818437f349cbdc8cdb23eede0f776c884ec32908c94d8c120c4514afa4e2b4")
}

// UnpackBadSignerListError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BadSignerList(uint256 index)
func (anchors *Anchors) UnpackBadSignerListError(raw []byte) (*AnchorsBadSignerList, error) {
	out := new(AnchorsBadSignerList)
	if err := anchors.abi.UnpackIntoInterface(out, "BadSignerList", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// AnchorsChainExists represents a ChainExists error raised by the Anchors contract.
type AnchorsChainExists struct {
	ChainId *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ChainExists(uint256 chainId)
func AnchorsChainExistsErrorID() common.Hash {
	return common.HexToHash("0xb58178c1cb111f941df17e1b946699f4ce8886463183c9d0d60601c77a095aba")
}

// UnpackChainExistsError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ChainExists(uint256 chainId)
func (anchors *Anchors) UnpackChainExistsError(raw []byte) (*AnchorsChainExists, error) {
	out := new(AnchorsChainExists)
	if err := anchors.abi.UnpackIntoInterface(out, "ChainExists", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// AnchorsDuplicateCheckpoint represents a DuplicateCheckpoint error raised by the Anchors contract.
type AnchorsDuplicateCheckpoint struct {
	Number uint64
	Hash   [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error DuplicateCheckpoint(uint64 number, bytes32 hash)
func AnchorsDuplicateCheckpointErrorID() common.Hash {
	return common.HexToHash("0xb64ce082d3f46f4f417496950aec53f3d9ab5c02d072bed85172e8bef0dcb793")
}

// UnpackDuplicateCheckpointError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error DuplicateCheckpoint(uint64 number, bytes32 hash)
func (anchors *Anchors) UnpackDuplicateCheckpointError(raw []byte) (*AnchorsDuplicateCheckpoint, error) {
	out := new(AnchorsDuplicateCheckpoint)
	if err := anchors.abi.UnpackIntoInterface(out, "DuplicateCheckpoint", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// AnchorsEmptySpan represents a EmptySpan error raised by the Anchors contract.
type AnchorsEmptySpan struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error EmptySpan()
func AnchorsEmptySpanErrorID() common.Hash {
	return common.HexToHash("0x4d72c6ad8e1d3f59441e3b5ebc0c1310e72f3c09ed8d6b8205d118c3e60ca4ea")
}

// UnpackEmptySpanError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error EmptySpan()
func (anchors *Anchors) UnpackEmptySpanError(raw []byte) (*AnchorsEmptySpan, error) {
	out := new(AnchorsEmptySpan)
	if err := anchors.abi.UnpackIntoInterface(out, "EmptySpan", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// AnchorsInvalidRegistration represents a InvalidRegistration error raised by the Anchors contract.
type AnchorsInvalidRegistration struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidRegistration()
func AnchorsInvalidRegistrationErrorID() common.Hash {
	return common.HexToHash("0x5118d095b513a8670920a63501c4b0fc87a22d2c1e6b0ad5954b19aef63e8ca1")
}

// UnpackInvalidRegistrationError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidRegistration()
func (anchors *Anchors) UnpackInvalidRegistrationError(raw []byte) (*AnchorsInvalidRegistration, error) {
	out := new(AnchorsInvalidRegistration)
	if err := anchors.abi.UnpackIntoInterface(out, "InvalidRegistration", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// AnchorsInvalidValidatorSet represents a InvalidValidatorSet error raised by the Anchors contract.
type AnchorsInvalidValidatorSet struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidValidatorSet()
func AnchorsInvalidValidatorSetErrorID() common.Hash {
	return common.HexToHash("0xaff8365b3b6b511a63a92be75691bf86872b90f3a57a9e00e3e8b471ff181160")
}

// UnpackInvalidValidatorSetError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidValidatorSet()
func (anchors *Anchors) UnpackInvalidValidatorSetError(raw []byte) (*AnchorsInvalidValidatorSet, error) {
	out := new(AnchorsInvalidValidatorSet)
	if err := anchors.abi.UnpackIntoInterface(out, "InvalidValidatorSet", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// AnchorsMalformedHeader represents a MalformedHeader error raised by the Anchors contract.
type AnchorsMalformedHeader struct {
	Index *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error MalformedHeader(uint256 index)
func AnchorsMalformedHeaderErrorID() common.Hash {
	return common.HexToHash("0xc3f5cad819107b1d1f7a1ef5d6801af63f8abe01e7adfe06a595ddc254738600")
}

// UnpackMalformedHeaderError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error MalformedHeader(uint256 index)
func (anchors *Anchors) UnpackMalformedHeaderError(raw []byte) (*AnchorsMalformedHeader, error) {
	out := new(AnchorsMalformedHeader)
	if err := anchors.abi.UnpackIntoInterface(out, "MalformedHeader", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// AnchorsNotAdmin represents a NotAdmin error raised by the Anchors contract.
type AnchorsNotAdmin struct {
	Account common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotAdmin(address account)
func AnchorsNotAdminErrorID() common.Hash {
	return common.HexToHash("0x17a8424239494df835a470bd5e48f10a94b5febfef662a1917fe31decebbedeb")
}

// UnpackNotAdminError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotAdmin(address account)
func (anchors *Anchors) UnpackNotAdminError(raw []byte) (*AnchorsNotAdmin, error) {
	out := new(AnchorsNotAdmin)
	if err := anchors.abi.UnpackIntoInterface(out, "NotAdmin", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// AnchorsNotAnchorRelayer represents a NotAnchorRelayer error raised by the Anchors contract.
type AnchorsNotAnchorRelayer struct {
	Account common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotAnchorRelayer(address account)
func AnchorsNotAnchorRelayerErrorID() common.Hash {
	return common.HexToHash("0x23d4b4e0817dd0d2b0766b8d377bd2044b58c24d0e131e1a187762320e2a8f15")
}

// UnpackNotAnchorRelayerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotAnchorRelayer(address account)
func (anchors *Anchors) UnpackNotAnchorRelayerError(raw []byte) (*AnchorsNotAnchorRelayer, error) {
	out := new(AnchorsNotAnchorRelayer)
	if err := anchors.abi.UnpackIntoInterface(out, "NotAnchorRelayer", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// AnchorsOutOfOrder represents a OutOfOrder error raised by the Anchors contract.
type AnchorsOutOfOrder struct {
	From   uint64
	To     uint64
	Latest uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error OutOfOrder(uint64 from, uint64 to, uint64 latest)
func AnchorsOutOfOrderErrorID() common.Hash {
	return common.HexToHash("0xd3ac1f2fefe5691fa33c0520e93db273dc14c6d78477e7ca1bd14fd5f7e5de55")
}

// UnpackOutOfOrderError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error OutOfOrder(uint64 from, uint64 to, uint64 latest)
func (anchors *Anchors) UnpackOutOfOrderError(raw []byte) (*AnchorsOutOfOrder, error) {
	out := new(AnchorsOutOfOrder)
	if err := anchors.abi.UnpackIntoInterface(out, "OutOfOrder", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// AnchorsSignerNotValidator represents a SignerNotValidator error raised by the Anchors contract.
type AnchorsSignerNotValidator struct {
	Index  *big.Int
	Signer common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error SignerNotValidator(uint256 index, address signer)
func AnchorsSignerNotValidatorErrorID() common.Hash {
	return common.HexToHash("0x004d3cf21fac687ddfc2abfc61ebab96fbb62170790cd7c466f6a758f0b7fa90")
}

// UnpackSignerNotValidatorError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error SignerNotValidator(uint256 index, address signer)
func (anchors *Anchors) UnpackSignerNotValidatorError(raw []byte) (*AnchorsSignerNotValidator, error) {
	out := new(AnchorsSignerNotValidator)
	if err := anchors.abi.UnpackIntoInterface(out, "SignerNotValidator", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// AnchorsUnknownChain represents a UnknownChain error raised by the Anchors contract.
type AnchorsUnknownChain struct {
	ChainId *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error UnknownChain(uint256 chainId)
func AnchorsUnknownChainErrorID() common.Hash {
	return common.HexToHash("0x51cf29ebfb563be5766588ba57d8a56351283803dc11b788c669c3a21a906521")
}

// UnpackUnknownChainError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error UnknownChain(uint256 chainId)
func (anchors *Anchors) UnpackUnknownChainError(raw []byte) (*AnchorsUnknownChain, error) {
	out := new(AnchorsUnknownChain)
	if err := anchors.abi.UnpackIntoInterface(out, "UnknownChain", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// AnchorsUnknownCheckpoint represents a UnknownCheckpoint error raised by the Anchors contract.
type AnchorsUnknownCheckpoint struct {
	ChainId *big.Int
	From    uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error UnknownCheckpoint(uint256 chainId, uint64 from)
func AnchorsUnknownCheckpointErrorID() common.Hash {
	return common.HexToHash("0xb78d8f049db638d79c1dedac518a8d4185856c0d3f33b32242fef8c1bc112d52")
}

// UnpackUnknownCheckpointError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error UnknownCheckpoint(uint256 chainId, uint64 from)
func (anchors *Anchors) UnpackUnknownCheckpointError(raw []byte) (*AnchorsUnknownCheckpoint, error) {
	out := new(AnchorsUnknownCheckpoint)
	if err := anchors.abi.UnpackIntoInterface(out, "UnknownCheckpoint", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// AnchorsUnsupportedConsensus represents a UnsupportedConsensus error raised by the Anchors contract.
type AnchorsUnsupportedConsensus struct {
	Kind uint8
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error UnsupportedConsensus(uint8 kind)
func AnchorsUnsupportedConsensusErrorID() common.Hash {
	return common.HexToHash("0x4c58efa6a75d1903a0b0cd3adea5ab7264460ed3bfd644a974562de0681d2871")
}

// UnpackUnsupportedConsensusError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error UnsupportedConsensus(uint8 kind)
func (anchors *Anchors) UnpackUnsupportedConsensusError(raw []byte) (*AnchorsUnsupportedConsensus, error) {
	out := new(AnchorsUnsupportedConsensus)
	if err := anchors.abi.UnpackIntoInterface(out, "UnsupportedConsensus", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// AnchorsZeroDirectory represents a ZeroDirectory error raised by the Anchors contract.
type AnchorsZeroDirectory struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ZeroDirectory()
func AnchorsZeroDirectoryErrorID() common.Hash {
	return common.HexToHash("0x7d05f759406aca5db50b93021fe77a8e6432b402925180284cbd95e6c7f7752a")
}

// UnpackZeroDirectoryError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ZeroDirectory()
func (anchors *Anchors) UnpackZeroDirectoryError(raw []byte) (*AnchorsZeroDirectory, error) {
	out := new(AnchorsZeroDirectory)
	if err := anchors.abi.UnpackIntoInterface(out, "ZeroDirectory", raw); err != nil {
		return nil, err
	}
	return out, nil
}
