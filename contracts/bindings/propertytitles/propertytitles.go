// Code generated via abigen V2 - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package propertytitles

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

// PropertyTitlesEntry is an auto generated low-level Go binding around an user-defined struct.
type PropertyTitlesEntry struct {
	Action       uint8
	Time         uint64
	Party        common.Address
	Counterparty common.Address
	Share        uint64
	Ref          [32]byte
}

// PropertyTitlesLien is an auto generated low-level Go binding around an user-defined struct.
type PropertyTitlesLien struct {
	Parcel     [32]byte
	Holder     common.Address
	CreatedAt  uint64
	ReleasedAt uint64
	Ref        [32]byte
}

// PropertyTitlesTransfer is an auto generated low-level Go binding around an user-defined struct.
type PropertyTitlesTransfer struct {
	Seller common.Address
	Buyer  common.Address
	Share  uint64
	Stage  uint8
}

// PropertyTitlesMetaData contains all meta data concerning the PropertyTitles contract.
var PropertyTitlesMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"contractIDirectory\",\"name\":\"directory_\",\"type\":\"address\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"}],\"name\":\"DuplicateOwner\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidParcel\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"offered\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"held\",\"type\":\"uint64\"}],\"name\":\"InvalidShare\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"owners\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"shares\",\"type\":\"uint256\"}],\"name\":\"LengthMismatch\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"LienAlreadyReleased\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NoOwners\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"parcel\",\"type\":\"bytes32\"}],\"name\":\"NoPendingTransfer\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"parcel\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"NotBuyer\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"NotLienHolder\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"parcel\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"NotOwner\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"NotRegistrar\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"parcel\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"NotTransferParty\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"parcel\",\"type\":\"bytes32\"},{\"internalType\":\"uint32\",\"name\":\"activeLiens\",\"type\":\"uint32\"}],\"name\":\"ParcelEncumbered\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"parcel\",\"type\":\"bytes32\"}],\"name\":\"ParcelExists\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"SelfTransfer\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"have\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"max\",\"type\":\"uint256\"}],\"name\":\"TooManyOwners\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"parcel\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"seller\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"buyer\",\"type\":\"address\"}],\"name\":\"TransferPending\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"UnknownLien\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"parcel\",\"type\":\"bytes32\"}],\"name\":\"UnknownParcel\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"parcel\",\"type\":\"bytes32\"},{\"internalType\":\"enumPropertyTitles.Stage\",\"name\":\"have\",\"type\":\"uint8\"},{\"internalType\":\"enumPropertyTitles.Stage\",\"name\":\"want\",\"type\":\"uint8\"}],\"name\":\"WrongStage\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroAddress\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"}],\"name\":\"ZeroShare\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"parcel\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"holder\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"ref\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"registrar\",\"type\":\"bytes32\"}],\"name\":\"LienAdded\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"parcel\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"holder\",\"type\":\"address\"}],\"name\":\"LienReleased\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"parcel\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"registrar\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"address[]\",\"name\":\"owners\",\"type\":\"address[]\"},{\"indexed\":false,\"internalType\":\"uint64[]\",\"name\":\"shares\",\"type\":\"uint64[]\"}],\"name\":\"ParcelRegistered\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"parcel\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"seller\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"buyer\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"share\",\"type\":\"uint64\"}],\"name\":\"TransferAccepted\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"parcel\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"seller\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"buyer\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"share\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"registrar\",\"type\":\"bytes32\"}],\"name\":\"TransferApproved\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"parcel\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"seller\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"buyer\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"address\",\"name\":\"by\",\"type\":\"address\"}],\"name\":\"TransferCancelled\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"parcel\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"seller\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"buyer\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"share\",\"type\":\"uint64\"}],\"name\":\"TransferOffered\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"MAX_OWNERS\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"parcel\",\"type\":\"bytes32\"}],\"name\":\"accept\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"parcel\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"holder\",\"type\":\"address\"},{\"internalType\":\"bytes32\",\"name\":\"ref\",\"type\":\"bytes32\"}],\"name\":\"addLien\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"parcel\",\"type\":\"bytes32\"}],\"name\":\"approve\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"parcel\",\"type\":\"bytes32\"}],\"name\":\"cancel\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"directory\",\"outputs\":[{\"internalType\":\"contractIDirectory\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"parcel_\",\"type\":\"bytes32\"},{\"internalType\":\"uint256\",\"name\":\"from\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"to\",\"type\":\"uint256\"}],\"name\":\"history\",\"outputs\":[{\"components\":[{\"internalType\":\"enumPropertyTitles.Action\",\"name\":\"action\",\"type\":\"uint8\"},{\"internalType\":\"uint64\",\"name\":\"time\",\"type\":\"uint64\"},{\"internalType\":\"address\",\"name\":\"party\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"counterparty\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"share\",\"type\":\"uint64\"},{\"internalType\":\"bytes32\",\"name\":\"ref\",\"type\":\"bytes32\"}],\"internalType\":\"structPropertyTitles.Entry[]\",\"name\":\"entries\",\"type\":\"tuple[]\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"parcel_\",\"type\":\"bytes32\"}],\"name\":\"historyLength\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"lien\",\"outputs\":[{\"components\":[{\"internalType\":\"bytes32\",\"name\":\"parcel\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"holder\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"createdAt\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"releasedAt\",\"type\":\"uint64\"},{\"internalType\":\"bytes32\",\"name\":\"ref\",\"type\":\"bytes32\"}],\"internalType\":\"structPropertyTitles.Lien\",\"name\":\"\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"parcel_\",\"type\":\"bytes32\"}],\"name\":\"liensOf\",\"outputs\":[{\"internalType\":\"uint256[]\",\"name\":\"\",\"type\":\"uint256[]\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"parcel\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"buyer\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"share\",\"type\":\"uint64\"}],\"name\":\"offer\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"parcel_\",\"type\":\"bytes32\"}],\"name\":\"parcelInfo\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"registeredAt\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"activeLiens\",\"type\":\"uint32\"},{\"internalType\":\"address[]\",\"name\":\"owners\",\"type\":\"address[]\"},{\"internalType\":\"uint64[]\",\"name\":\"shares\",\"type\":\"uint64[]\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"parcel_\",\"type\":\"bytes32\"}],\"name\":\"pendingTransfer\",\"outputs\":[{\"components\":[{\"internalType\":\"address\",\"name\":\"seller\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"buyer\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"share\",\"type\":\"uint64\"},{\"internalType\":\"enumPropertyTitles.Stage\",\"name\":\"stage\",\"type\":\"uint8\"}],\"internalType\":\"structPropertyTitles.Transfer\",\"name\":\"\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"parcel\",\"type\":\"bytes32\"},{\"internalType\":\"address[]\",\"name\":\"owners\",\"type\":\"address[]\"},{\"internalType\":\"uint64[]\",\"name\":\"shares\",\"type\":\"uint64[]\"}],\"name\":\"register\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"releaseLien\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"parcel_\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"}],\"name\":\"shareOf\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"}]",
	ID:  "PropertyTitles",
	Bin: "0x6080604052348015600f57600080fd5b5060405161237d38038061237d833981016040819052602c916050565b600080546001600160a01b0319166001600160a01b0392909216919091179055607e565b600060208284031215606157600080fd5b81516001600160a01b0381168114607757600080fd5b9392505050565b6122f08061008d6000396000f3fe608060405234801561001057600080fd5b50600436106101005760003560e01c8063aa1f8eec11610097578063ca417e4411610066578063ca417e4414610292578063e4725ba1146102bd578063eeb5917f146102d0578063f66a199c146102f057600080fd5b8063aa1f8eec1461022e578063b37a508b14610241578063c41c2f2414610254578063c4d252f51461027f57600080fd5b80638152feb2116100d35780638152feb2146101d35780639824b032146101f3578063a4e4fd7214610208578063a53a1adf1461021b57600080fd5b80630312ddfb146101055780630b8bb1461461017d57806343905859146101935780634a75bb0c146101b3575b600080fd5b610118610113366004611cbe565b610313565b6040516101749190600060a0820190508251825260018060a01b0360208401511660208301526001600160401b0360408401511660408301526001600160401b0360608401511660608301526080830151608083015292915050565b60405180910390f35b610185604081565b604051908152602001610174565b6101856101a1366004611cbe565b60009081526006602052604090205490565b6101c66101c1366004611cbe565b6103fd565b6040516101749190611cd7565b6101e66101e1366004611d1a565b61045f565b6040516101749190611d5c565b610206610201366004611cbe565b6105fe565b005b610206610216366004611e30565b610790565b610206610229366004611cbe565b610b07565b61018561023c366004611e6c565b610e45565b61020661024f366004611eed565b611070565b600054610267906001600160a01b031681565b6040516001600160a01b039091168152602001610174565b61020661028d366004611cbe565b61138b565b6102a56102a0366004611f6a565b611597565b6040516001600160401b039091168152602001610174565b6102066102cb366004611cbe565b6115ca565b6102e36102de366004611cbe565b611701565b6040516101749190611faa565b6103036102fe366004611cbe565b6117b3565b6040516101749493929190611ff7565b6040805160a08101825260008082526020820181905291810182905260608101829052608081019190915281158061034c575060045482115b1561037257604051631a2e530d60e11b8152600481018390526024015b60405180910390fd5b600461037f6001846120c3565b8154811061038f5761038f6120d6565b60009182526020918290206040805160a08101825260049093029091018054835260018101546001600160a01b038116948401949094526001600160401b03600160a01b90940484169183019190915260028101549092166060820152600390910154608082015292915050565b60008181526005602090815260409182902080548351818402810184019094528084526060939283018282801561045357602002820191906000526020600020905b81548152602001906001019080831161043f575b50505050509050919050565b600083815260066020526040902080546060919083111561047f57805492505b82841061048c57506105f7565b61049684846120c3565b6001600160401b038111156104ad576104ad6120ec565b60405190808252806020026020018201604052801561050d57816020015b6040805160c08101825260008082526020808301829052928201819052606082018190526080820181905260a082015282526000199092019101816104cb5790505b509150835b838110156105f45781818154811061052c5761052c6120d6565b600091825260209091206040805160c081019091526003909202018054829060ff16600681111561055f5761055f611d46565b600681111561057057610570611d46565b815281546001600160401b036101008204811660208401526001600160a01b03600160481b9092048216604084015260018401549182166060840152600160a01b90910416608082015260029091015460a090910152836105d187846120c3565b815181106105e1576105e16120d6565b6020908102919091010152600101610512565b50505b9392505050565b80158061060c575060045481115b1561062d57604051631a2e530d60e11b815260048101829052602401610369565b6000600461063c6001846120c3565b8154811061064c5761064c6120d6565b6000918252602090912060049091020160018101549091506001600160a01b0316331461069557604051633c0cf09760e21b815260048101839052336024820152604401610369565b60028101546001600160401b0316156106c457604051632bdb060d60e21b815260048101839052602401610369565b60028101805467ffffffffffffffff1916426001600160401b0316179055805460009081526001602052604090208054600160401b900463ffffffff1690600861070d83612102565b825463ffffffff9182166101009390930a9283029190920219909116179055508054600182015461074e91906006906001600160a01b03166000808761192e565b600181015481546040516001600160a01b039092169184907fa6bcbf4bf0f4e3b529e7473963f8abeb765b3f67ee1a7ac94013817694c7ed6690600090a45050565b600061079b84611a82565b60008581526002602090815260408083203384529091528120549192506001600160401b03909116908190036107ed57604051630e25346d60e01b815260048101869052336024820152604401610369565b6001600160a01b0384166108145760405163d92e233d60e01b815260040160405180910390fd5b336001600160a01b0385160361083f5760405163514ae31560e01b8152336004820152602401610369565b6001600160401b03831615806108665750806001600160401b0316836001600160401b0316115b15610897576040516308731c9760e01b81526001600160401b03808516600483015282166024820152604401610369565b6000858152600360205260408120906001820154600160e01b900460ff1660028111156108c6576108c6611d46565b1461090557805460018201546040516376cd1b4560e01b8152600481018990526001600160a01b03928316602482015291166044820152606401610369565b8254600160401b900463ffffffff161561094a57825460405163667e1cd960e01b815260048101889052600160401b90910463ffffffff166024820152604401610369565b816001600160401b0316846001600160401b0316108015610994575060008681526002602090815260408083206001600160a01b03891684529091529020546001600160401b0316155b80156109a557506001830154604011155b156109dc576001808401546109b991612122565b60408051632103b34b60e11b815260048101929092526024820152604401610369565b604080516080810182523381526001600160a01b03871660208201526001600160401b038616918101919091526060810160019052600087815260036020908152604091829020835181546001600160a01b039182166001600160a01b031990911617825591840151600182018054948601516001600160401b0316600160a01b026001600160e01b03199095169190931617929092178082556060840151919060ff60e01b1916600160e01b836002811115610a9b57610a9b611d46565b0217905550610ab491508790506001338888600061192e565b6040516001600160401b03851681526001600160a01b03861690339088907f305f5245d0113506d150cf2a33408c15d6a169e4593a982ab1eb76aed487d8919060200160405180910390a4505050505050565b6000610b11611ac6565b90506000610b1e83611b5f565b6040805160808101825282546001600160a01b03908116825260018401549081166020830152600160a01b81046001600160401b03169282019290925291906060830190600160e01b900460ff166002811115610b7d57610b7d611d46565b6002811115610b8e57610b8e611d46565b9052509050600281606001516002811115610bab57610bab611d46565b14610bd3576060810151604051630b7bfff960e01b8152610369918591600290600401612135565b60008381526001602052604090208054600160401b900463ffffffff1615610c2657805460405163667e1cd960e01b815260048101869052600160401b90910463ffffffff166024820152604401610369565b600084815260036020908152604080832080546001600160a01b031916815560010180546001600160e81b0319169055848101516002835281842086516001600160a01b03168552909252822054610c8791906001600160401b031661215e565b600086815260026020908152604080832087516001600160a01b031684529091528120805467ffffffffffffffff19166001600160401b03841690811790915591925003610cdd57610cdd828460000151611baf565b6000858152600260209081526040808320868301516001600160a01b031684529091528120546001600160401b03169003610d4e5760208381015160018481018054918201815560009081529290922090910180546001600160a01b0319166001600160a01b039092169190911790555b604080840151600087815260026020908152838220818801516001600160a01b031683529052918220805491929091610d919084906001600160401b031661217d565b92506101000a8154816001600160401b0302191690836001600160401b03160217905550610dd08560038560000151866020015187604001518961192e565b82602001516001600160a01b031683600001516001600160a01b0316867ffa4096db8c39593ceb061f1f501977546d048bfbfbc32d16a5fdc006cd2cc338866040015188604051610e369291906001600160401b03929092168252602082015260400190565b60405180910390a45050505050565b600080610e50611ac6565b90506000610e5d86611a82565b90506001600160a01b038516610e865760405163d92e233d60e01b815260040160405180910390fd5b6040805160a0810182528781526001600160a01b0380881660208084019182526001600160401b03428116858701908152600060608701818152608088018d815260048054600181810183558286529a519082027f8a35acfbc15ff81a39ae7d344fd709f28e8600b4aa8c65c6b64bfe7fe36bd19b81019190915597517f8a35acfbc15ff81a39ae7d344fd709f28e8600b4aa8c65c6b64bfe7fe36bd19c8901805496518816600160a01b026001600160e01b031990971691909a161794909417909755517f8a35acfbc15ff81a39ae7d344fd709f28e8600b4aa8c65c6b64bfe7fe36bd19d860180549190941667ffffffffffffffff199091161790925593517f8a35acfbc15ff81a39ae7d344fd709f28e8600b4aa8c65c6b64bfe7fe36bd19e9093019290925591548a8252600583529381208054938401815581522001819055815490935063ffffffff600160401b90910416816008610fe88361219c565b91906101000a81548163ffffffff021916908363ffffffff1602179055505061101a866005876000808860001b61192e565b846001600160a01b031686847e63351607a4df90c070d7bc2ecb55dc32df7238989ec0562e6a3ed73aedca10878660405161105f929190918252602082015260400190565b60405180910390a450509392505050565b600061107a611ac6565b90508561109a5760405163e627950760e01b815260040160405180910390fd5b600086815260016020526040902080546001600160401b0316156110d457604051637521ea5960e11b815260048101889052602401610369565b60008590036110f6576040516360d5ca6360e01b815260040160405180910390fd5b60408511156111245760408051632103b34b60e11b8152610369918791600401918252602082015260400190565b84831461114e576040516355c5b3e360e11b81526004810186905260248101849052604401610369565b805467ffffffffffffffff1916426001600160401b031617815560005b85811015611342576000878783818110611187576111876120d6565b905060200201602081019061119c91906121c1565b90506001600160a01b0381166111c55760405163d92e233d60e01b815260040160405180910390fd5b8585838181106111d7576111d76120d6565b90506020020160208101906111ec91906121dc565b6001600160401b031660000361122057604051630a144adf60e01b81526001600160a01b0382166004820152602401610369565b60008981526002602090815260408083206001600160a01b03851684529091529020546001600160401b03161561127557604051632029bc6560e01b81526001600160a01b0382166004820152602401610369565b858583818110611287576112876120d6565b905060200201602081019061129c91906121dc565b60008a81526002602090815260408083206001600160a01b038616808552908352908320805467ffffffffffffffff19166001600160401b03959095169490941790935560018681018054918201815583529082200180546001600160a01b031916909217909155611339908a9083818a8a8881811061131e5761131e6120d6565b905060200201602081019061133391906121dc565b8961192e565b5060010161116b565b5081877fbd85293c41505dd1562b00ac65d62a9889b58d9da161c5cb30f5d2644027be0f8888888860405161137a94939291906121f7565b60405180910390a350505050505050565b600061139682611b5f565b6040805160808101825282546001600160a01b03908116825260018401549081166020830152600160a01b81046001600160401b03169282019290925291906060830190600160e01b900460ff1660028111156113f5576113f5611d46565b600281111561140657611406611d46565b90525080519091506001600160a01b0316331480159061143c575080602001516001600160a01b0316336001600160a01b031614155b80156114b95750600080546040516362a6e19960e11b8152336004820152600160248201526001600160a01b039091169063c54dc33290604401602060405180830381865afa158015611493573d6000803e3d6000fd5b505050506040513d601f19601f820116820180604052508101906114b7919061228b565b145b156114e0576040516357187ebf60e11b815260048101839052336024820152604401610369565b600082815260036020908152604090912080546001600160a01b031916815560010180546001600160e81b031916905581015161154690839060049033906001600160a01b0316811461153757846020015161153a565b84515b6040860151600061192e565b60208082015182516040513381526001600160a01b0392831693919092169185917fbed81bcc1e4df52e9a8ea0ab9185540e6238086e9b65e7e77a74c7545a407a0591015b60405180910390a45050565b60008281526002602090815260408083206001600160a01b03851684529091529020546001600160401b03165b92915050565b60006115d582611b5f565b60018101549091506001600160a01b0316331461160e5760405163337fc3bf60e21b815260048101839052336024820152604401610369565b600180820154600160e01b900460ff16600281111561162f5761162f611d46565b1461166057600181810154604051630b7bfff960e01b8152610369928592600160e01b900460ff1691600401612135565b60018101805460ff60e01b198116600160e11b179182905582546116a99285926002926001600160a01b0391821692911690600160a01b90046001600160401b0316600061192e565b60018101548154604051600160a01b83046001600160401b031681526001600160a01b03928316929091169084907f12dd882100f532e314e8b59b3531aebd6260f415ee1579eea748dc19246dbbd19060200161158b565b6117296040805160808101825260008082526020820181905291810182905290606082015290565b600082815260036020908152604091829020825160808101845281546001600160a01b039081168252600183015490811693820193909352600160a01b83046001600160401b031693810193909352906060830190600160e01b900460ff16600281111561179957611799611d46565b60028111156117aa576117aa611d46565b90525092915050565b6000818152600160208181526040808420928301805482518185028101850190935280835285946060948594919391929083018282801561181d57602002820191906000526020600020905b81546001600160a01b031681526001909101906020018083116117ff575b5050505050925082516001600160401b0381111561183d5761183d6120ec565b604051908082528060200260200182016040528015611866578160200160208202803683370190505b50915060005b835181101561190a5760026000888152602001908152602001600020600085838151811061189c5761189c6120d6565b60200260200101516001600160a01b03166001600160a01b0316815260200190815260200160002060009054906101000a90046001600160401b03168382815181106118ea576118ea6120d6565b6001600160401b039092166020928302919091019091015260010161186c565b50546001600160401b03811696600160401b90910463ffffffff1695509193509150565b600660008781526020019081526020016000206040518060c0016040528087600681111561195e5761195e611d46565b81526001600160401b034281166020808401919091526001600160a01b03808a16604085015288166060840152908616608083015260a090910184905282546001818101855560009485529190932082516003909402018054929390929091839160ff1916908360068111156119d6576119d6611d46565b0217905550602082015181546040840151610100600160e81b03199091166101006001600160401b03938416027fffffff0000000000000000000000000000000000000000ffffffffffffffffff1617600160481b6001600160a01b039283160217835560608401516001840180546080870151929093166001600160e01b031990931692909217600160a01b919093160291909117905560a090910151600290910155505050505050565b6000818152600160205260408120805490916001600160401b039091169003611ac157604051631b95c55560e31b815260048101839052602401610369565b919050565b600080546040516362a6e19960e11b8152336004820152600160248201526001600160a01b039091169063c54dc33290604401602060405180830381865afa158015611b16573d6000803e3d6000fd5b505050506040513d601f19601f82011682018060405250810190611b3a919061228b565b905080611b5c576040516353ac4f0760e01b8152336004820152602401610369565b90565b6000818152600360205260408120906001820154600160e01b900460ff166002811115611b8e57611b8e611d46565b03611ac157604051630535910d60e31b815260048101839052602401610369565b600182015460005b81811015611cb857826001600160a01b0316846001018281548110611bde57611bde6120d6565b6000918252602090912001546001600160a01b031603611cb05783600101600183611c0991906120c3565b81548110611c1957611c196120d6565b6000918252602090912001546001850180546001600160a01b039092169183908110611c4757611c476120d6565b9060005260206000200160006101000a8154816001600160a01b0302191690836001600160a01b0316021790555083600101805480611c8857611c886122a4565b600082815260209020810160001990810180546001600160a01b031916905501905550505050565b600101611bb7565b50505050565b600060208284031215611cd057600080fd5b5035919050565b602080825282518282018190526000918401906040840190835b81811015611d0f578351835260209384019390920191600101611cf1565b509095945050505050565b600080600060608486031215611d2f57600080fd5b505081359360208301359350604090920135919050565b634e487b7160e01b600052602160045260246000fd5b602080825282518282018190526000918401906040840190835b81811015611d0f578351805160078110611d9257611d92611d46565b808552506001600160401b03602082015116602085015260018060a01b03604082015116604085015260018060a01b0360608201511660608501526001600160401b03608082015116608085015260a081015160a08501525060c083019250602084019350600181019050611d76565b80356001600160a01b0381168114611ac157600080fd5b80356001600160401b0381168114611ac157600080fd5b600080600060608486031215611e4557600080fd5b83359250611e5560208501611e02565b9150611e6360408501611e19565b90509250925092565b600080600060608486031215611e8157600080fd5b83359250611e9160208501611e02565b929592945050506040919091013590565b60008083601f840112611eb457600080fd5b5081356001600160401b03811115611ecb57600080fd5b6020830191508360208260051b8501011115611ee657600080fd5b9250929050565b600080600080600060608688031215611f0557600080fd5b8535945060208601356001600160401b03811115611f2257600080fd5b611f2e88828901611ea2565b90955093505060408601356001600160401b03811115611f4d57600080fd5b611f5988828901611ea2565b969995985093965092949392505050565b60008060408385031215611f7d57600080fd5b82359150611f8d60208401611e02565b90509250929050565b60038110611fa657611fa6611d46565b9052565b81516001600160a01b039081168252602080840151909116908201526040808301516001600160401b0316908201526060808301516080830191611ff090840182611f96565b5092915050565b6000608082016001600160401b038716835263ffffffff861660208401526080604084015280855180835260a08501915060208701925060005b818110156120585783516001600160a01b0316835260209384019390920191600101612031565b5050838103606085015284518082526020918201925090850190600090815b8181101561209e5783516001600160401b0316855260209485019490930192600101612077565b50929998505050505050505050565b634e487b7160e01b600052601160045260246000fd5b818103818111156115c4576115c46120ad565b634e487b7160e01b600052603260045260246000fd5b634e487b7160e01b600052604160045260246000fd5b600063ffffffff821680612118576121186120ad565b6000190192915050565b808201808211156115c4576115c46120ad565b838152606081016121496020830185611f96565b6121566040830184611f96565b949350505050565b6001600160401b0382811682821603908111156115c4576115c46120ad565b6001600160401b0381811683821601908111156115c4576115c46120ad565b600063ffffffff821663ffffffff81036121b8576121b86120ad565b60010192915050565b6000602082840312156121d357600080fd5b6105f782611e02565b6000602082840312156121ee57600080fd5b6105f782611e19565b6040808252810184905260008560608301825b87811015612238576001600160a01b0361222384611e02565b1682526020928301929091019060010161220a565b508381036020808601919091528582520190508460005b8581101561227e576001600160401b0361226883611e19565b168352602092830192919091019060010161224f565b5090979650505050505050565b60006020828403121561229d57600080fd5b5051919050565b634e487b7160e01b600052603160045260246000fdfea264697066735822122097379ec000faa6ddd64704bde4c75358c3da1d85582ae0209fb9511626ea652f64736f6c634300081e0033",
}

// PropertyTitles is an auto generated Go binding around an Ethereum contract.
type PropertyTitles struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *PropertyTitles) GetABI() abi.ABI {
	return c.abi
}

// NewPropertyTitles creates a new instance of PropertyTitles.
func NewPropertyTitles() *PropertyTitles {
	parsed, err := PropertyTitlesMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &PropertyTitles{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *PropertyTitles) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(address directory_) returns()
func (propertyTitles *PropertyTitles) PackConstructor(directory_ common.Address) []byte {
	enc, err := propertyTitles.abi.Pack("", directory_)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackMAXOWNERS is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0b8bb146.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function MAX_OWNERS() view returns(uint256)
func (propertyTitles *PropertyTitles) PackMAXOWNERS() []byte {
	enc, err := propertyTitles.abi.Pack("MAX_OWNERS")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMAXOWNERS is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0b8bb146.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function MAX_OWNERS() view returns(uint256)
func (propertyTitles *PropertyTitles) TryPackMAXOWNERS() ([]byte, error) {
	return propertyTitles.abi.Pack("MAX_OWNERS")
}

// UnpackMAXOWNERS is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x0b8bb146.
//
// Solidity: function MAX_OWNERS() view returns(uint256)
func (propertyTitles *PropertyTitles) UnpackMAXOWNERS(data []byte) (*big.Int, error) {
	out, err := propertyTitles.abi.Unpack("MAX_OWNERS", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackAccept is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe4725ba1.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function accept(bytes32 parcel) returns()
func (propertyTitles *PropertyTitles) PackAccept(parcel [32]byte) []byte {
	enc, err := propertyTitles.abi.Pack("accept", parcel)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAccept is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe4725ba1.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function accept(bytes32 parcel) returns()
func (propertyTitles *PropertyTitles) TryPackAccept(parcel [32]byte) ([]byte, error) {
	return propertyTitles.abi.Pack("accept", parcel)
}

// PackAddLien is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xaa1f8eec.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function addLien(bytes32 parcel, address holder, bytes32 ref) returns(uint256 id)
func (propertyTitles *PropertyTitles) PackAddLien(parcel [32]byte, holder common.Address, ref [32]byte) []byte {
	enc, err := propertyTitles.abi.Pack("addLien", parcel, holder, ref)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAddLien is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xaa1f8eec.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function addLien(bytes32 parcel, address holder, bytes32 ref) returns(uint256 id)
func (propertyTitles *PropertyTitles) TryPackAddLien(parcel [32]byte, holder common.Address, ref [32]byte) ([]byte, error) {
	return propertyTitles.abi.Pack("addLien", parcel, holder, ref)
}

// UnpackAddLien is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xaa1f8eec.
//
// Solidity: function addLien(bytes32 parcel, address holder, bytes32 ref) returns(uint256 id)
func (propertyTitles *PropertyTitles) UnpackAddLien(data []byte) (*big.Int, error) {
	out, err := propertyTitles.abi.Unpack("addLien", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackApprove is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa53a1adf.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function approve(bytes32 parcel) returns()
func (propertyTitles *PropertyTitles) PackApprove(parcel [32]byte) []byte {
	enc, err := propertyTitles.abi.Pack("approve", parcel)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackApprove is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa53a1adf.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function approve(bytes32 parcel) returns()
func (propertyTitles *PropertyTitles) TryPackApprove(parcel [32]byte) ([]byte, error) {
	return propertyTitles.abi.Pack("approve", parcel)
}

// PackCancel is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc4d252f5.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function cancel(bytes32 parcel) returns()
func (propertyTitles *PropertyTitles) PackCancel(parcel [32]byte) []byte {
	enc, err := propertyTitles.abi.Pack("cancel", parcel)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCancel is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc4d252f5.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function cancel(bytes32 parcel) returns()
func (propertyTitles *PropertyTitles) TryPackCancel(parcel [32]byte) ([]byte, error) {
	return propertyTitles.abi.Pack("cancel", parcel)
}

// PackDirectory is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc41c2f24.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function directory() view returns(address)
func (propertyTitles *PropertyTitles) PackDirectory() []byte {
	enc, err := propertyTitles.abi.Pack("directory")
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
func (propertyTitles *PropertyTitles) TryPackDirectory() ([]byte, error) {
	return propertyTitles.abi.Pack("directory")
}

// UnpackDirectory is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xc41c2f24.
//
// Solidity: function directory() view returns(address)
func (propertyTitles *PropertyTitles) UnpackDirectory(data []byte) (common.Address, error) {
	out, err := propertyTitles.abi.Unpack("directory", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackHistory is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8152feb2.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function history(bytes32 parcel_, uint256 from, uint256 to) view returns((uint8,uint64,address,address,uint64,bytes32)[] entries)
func (propertyTitles *PropertyTitles) PackHistory(parcel [32]byte, from *big.Int, to *big.Int) []byte {
	enc, err := propertyTitles.abi.Pack("history", parcel, from, to)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackHistory is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8152feb2.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function history(bytes32 parcel_, uint256 from, uint256 to) view returns((uint8,uint64,address,address,uint64,bytes32)[] entries)
func (propertyTitles *PropertyTitles) TryPackHistory(parcel [32]byte, from *big.Int, to *big.Int) ([]byte, error) {
	return propertyTitles.abi.Pack("history", parcel, from, to)
}

// UnpackHistory is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x8152feb2.
//
// Solidity: function history(bytes32 parcel_, uint256 from, uint256 to) view returns((uint8,uint64,address,address,uint64,bytes32)[] entries)
func (propertyTitles *PropertyTitles) UnpackHistory(data []byte) ([]PropertyTitlesEntry, error) {
	out, err := propertyTitles.abi.Unpack("history", data)
	if err != nil {
		return *new([]PropertyTitlesEntry), err
	}
	out0 := *abi.ConvertType(out[0], new([]PropertyTitlesEntry)).(*[]PropertyTitlesEntry)
	return out0, nil
}

// PackHistoryLength is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x43905859.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function historyLength(bytes32 parcel_) view returns(uint256)
func (propertyTitles *PropertyTitles) PackHistoryLength(parcel [32]byte) []byte {
	enc, err := propertyTitles.abi.Pack("historyLength", parcel)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackHistoryLength is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x43905859.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function historyLength(bytes32 parcel_) view returns(uint256)
func (propertyTitles *PropertyTitles) TryPackHistoryLength(parcel [32]byte) ([]byte, error) {
	return propertyTitles.abi.Pack("historyLength", parcel)
}

// UnpackHistoryLength is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x43905859.
//
// Solidity: function historyLength(bytes32 parcel_) view returns(uint256)
func (propertyTitles *PropertyTitles) UnpackHistoryLength(data []byte) (*big.Int, error) {
	out, err := propertyTitles.abi.Unpack("historyLength", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackLien is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0312ddfb.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function lien(uint256 id) view returns((bytes32,address,uint64,uint64,bytes32))
func (propertyTitles *PropertyTitles) PackLien(id *big.Int) []byte {
	enc, err := propertyTitles.abi.Pack("lien", id)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackLien is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0312ddfb.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function lien(uint256 id) view returns((bytes32,address,uint64,uint64,bytes32))
func (propertyTitles *PropertyTitles) TryPackLien(id *big.Int) ([]byte, error) {
	return propertyTitles.abi.Pack("lien", id)
}

// UnpackLien is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x0312ddfb.
//
// Solidity: function lien(uint256 id) view returns((bytes32,address,uint64,uint64,bytes32))
func (propertyTitles *PropertyTitles) UnpackLien(data []byte) (PropertyTitlesLien, error) {
	out, err := propertyTitles.abi.Unpack("lien", data)
	if err != nil {
		return *new(PropertyTitlesLien), err
	}
	out0 := *abi.ConvertType(out[0], new(PropertyTitlesLien)).(*PropertyTitlesLien)
	return out0, nil
}

// PackLiensOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4a75bb0c.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function liensOf(bytes32 parcel_) view returns(uint256[])
func (propertyTitles *PropertyTitles) PackLiensOf(parcel [32]byte) []byte {
	enc, err := propertyTitles.abi.Pack("liensOf", parcel)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackLiensOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4a75bb0c.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function liensOf(bytes32 parcel_) view returns(uint256[])
func (propertyTitles *PropertyTitles) TryPackLiensOf(parcel [32]byte) ([]byte, error) {
	return propertyTitles.abi.Pack("liensOf", parcel)
}

// UnpackLiensOf is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x4a75bb0c.
//
// Solidity: function liensOf(bytes32 parcel_) view returns(uint256[])
func (propertyTitles *PropertyTitles) UnpackLiensOf(data []byte) ([]*big.Int, error) {
	out, err := propertyTitles.abi.Unpack("liensOf", data)
	if err != nil {
		return *new([]*big.Int), err
	}
	out0 := *abi.ConvertType(out[0], new([]*big.Int)).(*[]*big.Int)
	return out0, nil
}

// PackOffer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa4e4fd72.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function offer(bytes32 parcel, address buyer, uint64 share) returns()
func (propertyTitles *PropertyTitles) PackOffer(parcel [32]byte, buyer common.Address, share uint64) []byte {
	enc, err := propertyTitles.abi.Pack("offer", parcel, buyer, share)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackOffer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa4e4fd72.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function offer(bytes32 parcel, address buyer, uint64 share) returns()
func (propertyTitles *PropertyTitles) TryPackOffer(parcel [32]byte, buyer common.Address, share uint64) ([]byte, error) {
	return propertyTitles.abi.Pack("offer", parcel, buyer, share)
}

// PackParcelInfo is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf66a199c.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function parcelInfo(bytes32 parcel_) view returns(uint64 registeredAt, uint32 activeLiens, address[] owners, uint64[] shares)
func (propertyTitles *PropertyTitles) PackParcelInfo(parcel [32]byte) []byte {
	enc, err := propertyTitles.abi.Pack("parcelInfo", parcel)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackParcelInfo is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf66a199c.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function parcelInfo(bytes32 parcel_) view returns(uint64 registeredAt, uint32 activeLiens, address[] owners, uint64[] shares)
func (propertyTitles *PropertyTitles) TryPackParcelInfo(parcel [32]byte) ([]byte, error) {
	return propertyTitles.abi.Pack("parcelInfo", parcel)
}

// ParcelInfoOutput serves as a container for the return parameters of contract
// method ParcelInfo.
type ParcelInfoOutput struct {
	RegisteredAt uint64
	ActiveLiens  uint32
	Owners       []common.Address
	Shares       []uint64
}

// UnpackParcelInfo is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xf66a199c.
//
// Solidity: function parcelInfo(bytes32 parcel_) view returns(uint64 registeredAt, uint32 activeLiens, address[] owners, uint64[] shares)
func (propertyTitles *PropertyTitles) UnpackParcelInfo(data []byte) (ParcelInfoOutput, error) {
	out, err := propertyTitles.abi.Unpack("parcelInfo", data)
	outstruct := new(ParcelInfoOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.RegisteredAt = *abi.ConvertType(out[0], new(uint64)).(*uint64)
	outstruct.ActiveLiens = *abi.ConvertType(out[1], new(uint32)).(*uint32)
	outstruct.Owners = *abi.ConvertType(out[2], new([]common.Address)).(*[]common.Address)
	outstruct.Shares = *abi.ConvertType(out[3], new([]uint64)).(*[]uint64)
	return *outstruct, nil
}

// PackPendingTransfer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xeeb5917f.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function pendingTransfer(bytes32 parcel_) view returns((address,address,uint64,uint8))
func (propertyTitles *PropertyTitles) PackPendingTransfer(parcel [32]byte) []byte {
	enc, err := propertyTitles.abi.Pack("pendingTransfer", parcel)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackPendingTransfer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xeeb5917f.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function pendingTransfer(bytes32 parcel_) view returns((address,address,uint64,uint8))
func (propertyTitles *PropertyTitles) TryPackPendingTransfer(parcel [32]byte) ([]byte, error) {
	return propertyTitles.abi.Pack("pendingTransfer", parcel)
}

// UnpackPendingTransfer is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xeeb5917f.
//
// Solidity: function pendingTransfer(bytes32 parcel_) view returns((address,address,uint64,uint8))
func (propertyTitles *PropertyTitles) UnpackPendingTransfer(data []byte) (PropertyTitlesTransfer, error) {
	out, err := propertyTitles.abi.Unpack("pendingTransfer", data)
	if err != nil {
		return *new(PropertyTitlesTransfer), err
	}
	out0 := *abi.ConvertType(out[0], new(PropertyTitlesTransfer)).(*PropertyTitlesTransfer)
	return out0, nil
}

// PackRegister is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb37a508b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function register(bytes32 parcel, address[] owners, uint64[] shares) returns()
func (propertyTitles *PropertyTitles) PackRegister(parcel [32]byte, owners []common.Address, shares []uint64) []byte {
	enc, err := propertyTitles.abi.Pack("register", parcel, owners, shares)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRegister is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb37a508b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function register(bytes32 parcel, address[] owners, uint64[] shares) returns()
func (propertyTitles *PropertyTitles) TryPackRegister(parcel [32]byte, owners []common.Address, shares []uint64) ([]byte, error) {
	return propertyTitles.abi.Pack("register", parcel, owners, shares)
}

// PackReleaseLien is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9824b032.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function releaseLien(uint256 id) returns()
func (propertyTitles *PropertyTitles) PackReleaseLien(id *big.Int) []byte {
	enc, err := propertyTitles.abi.Pack("releaseLien", id)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackReleaseLien is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9824b032.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function releaseLien(uint256 id) returns()
func (propertyTitles *PropertyTitles) TryPackReleaseLien(id *big.Int) ([]byte, error) {
	return propertyTitles.abi.Pack("releaseLien", id)
}

// PackShareOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xca417e44.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function shareOf(bytes32 parcel_, address owner) view returns(uint64)
func (propertyTitles *PropertyTitles) PackShareOf(parcel [32]byte, owner common.Address) []byte {
	enc, err := propertyTitles.abi.Pack("shareOf", parcel, owner)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackShareOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xca417e44.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function shareOf(bytes32 parcel_, address owner) view returns(uint64)
func (propertyTitles *PropertyTitles) TryPackShareOf(parcel [32]byte, owner common.Address) ([]byte, error) {
	return propertyTitles.abi.Pack("shareOf", parcel, owner)
}

// UnpackShareOf is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xca417e44.
//
// Solidity: function shareOf(bytes32 parcel_, address owner) view returns(uint64)
func (propertyTitles *PropertyTitles) UnpackShareOf(data []byte) (uint64, error) {
	out, err := propertyTitles.abi.Unpack("shareOf", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PropertyTitlesLienAdded represents a LienAdded event raised by the PropertyTitles contract.
type PropertyTitlesLienAdded struct {
	Id        *big.Int
	Parcel    [32]byte
	Holder    common.Address
	Ref       [32]byte
	Registrar [32]byte
	Raw       *types.Log // Blockchain specific contextual infos
}

const PropertyTitlesLienAddedEventName = "LienAdded"

// ContractEventName returns the user-defined event name.
func (PropertyTitlesLienAdded) ContractEventName() string {
	return PropertyTitlesLienAddedEventName
}

// UnpackLienAddedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event LienAdded(uint256 indexed id, bytes32 indexed parcel, address indexed holder, bytes32 ref, bytes32 registrar)
func (propertyTitles *PropertyTitles) UnpackLienAddedEvent(log *types.Log) (*PropertyTitlesLienAdded, error) {
	event := "LienAdded"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != propertyTitles.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(PropertyTitlesLienAdded)
	if len(log.Data) > 0 {
		if err := propertyTitles.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range propertyTitles.abi.Events[event].Inputs {
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

// PropertyTitlesLienReleased represents a LienReleased event raised by the PropertyTitles contract.
type PropertyTitlesLienReleased struct {
	Id     *big.Int
	Parcel [32]byte
	Holder common.Address
	Raw    *types.Log // Blockchain specific contextual infos
}

const PropertyTitlesLienReleasedEventName = "LienReleased"

// ContractEventName returns the user-defined event name.
func (PropertyTitlesLienReleased) ContractEventName() string {
	return PropertyTitlesLienReleasedEventName
}

// UnpackLienReleasedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event LienReleased(uint256 indexed id, bytes32 indexed parcel, address indexed holder)
func (propertyTitles *PropertyTitles) UnpackLienReleasedEvent(log *types.Log) (*PropertyTitlesLienReleased, error) {
	event := "LienReleased"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != propertyTitles.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(PropertyTitlesLienReleased)
	if len(log.Data) > 0 {
		if err := propertyTitles.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range propertyTitles.abi.Events[event].Inputs {
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

// PropertyTitlesParcelRegistered represents a ParcelRegistered event raised by the PropertyTitles contract.
type PropertyTitlesParcelRegistered struct {
	Parcel    [32]byte
	Registrar [32]byte
	Owners    []common.Address
	Shares    []uint64
	Raw       *types.Log // Blockchain specific contextual infos
}

const PropertyTitlesParcelRegisteredEventName = "ParcelRegistered"

// ContractEventName returns the user-defined event name.
func (PropertyTitlesParcelRegistered) ContractEventName() string {
	return PropertyTitlesParcelRegisteredEventName
}

// UnpackParcelRegisteredEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ParcelRegistered(bytes32 indexed parcel, bytes32 indexed registrar, address[] owners, uint64[] shares)
func (propertyTitles *PropertyTitles) UnpackParcelRegisteredEvent(log *types.Log) (*PropertyTitlesParcelRegistered, error) {
	event := "ParcelRegistered"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != propertyTitles.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(PropertyTitlesParcelRegistered)
	if len(log.Data) > 0 {
		if err := propertyTitles.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range propertyTitles.abi.Events[event].Inputs {
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

// PropertyTitlesTransferAccepted represents a TransferAccepted event raised by the PropertyTitles contract.
type PropertyTitlesTransferAccepted struct {
	Parcel [32]byte
	Seller common.Address
	Buyer  common.Address
	Share  uint64
	Raw    *types.Log // Blockchain specific contextual infos
}

const PropertyTitlesTransferAcceptedEventName = "TransferAccepted"

// ContractEventName returns the user-defined event name.
func (PropertyTitlesTransferAccepted) ContractEventName() string {
	return PropertyTitlesTransferAcceptedEventName
}

// UnpackTransferAcceptedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event TransferAccepted(bytes32 indexed parcel, address indexed seller, address indexed buyer, uint64 share)
func (propertyTitles *PropertyTitles) UnpackTransferAcceptedEvent(log *types.Log) (*PropertyTitlesTransferAccepted, error) {
	event := "TransferAccepted"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != propertyTitles.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(PropertyTitlesTransferAccepted)
	if len(log.Data) > 0 {
		if err := propertyTitles.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range propertyTitles.abi.Events[event].Inputs {
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

// PropertyTitlesTransferApproved represents a TransferApproved event raised by the PropertyTitles contract.
type PropertyTitlesTransferApproved struct {
	Parcel    [32]byte
	Seller    common.Address
	Buyer     common.Address
	Share     uint64
	Registrar [32]byte
	Raw       *types.Log // Blockchain specific contextual infos
}

const PropertyTitlesTransferApprovedEventName = "TransferApproved"

// ContractEventName returns the user-defined event name.
func (PropertyTitlesTransferApproved) ContractEventName() string {
	return PropertyTitlesTransferApprovedEventName
}

// UnpackTransferApprovedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event TransferApproved(bytes32 indexed parcel, address indexed seller, address indexed buyer, uint64 share, bytes32 registrar)
func (propertyTitles *PropertyTitles) UnpackTransferApprovedEvent(log *types.Log) (*PropertyTitlesTransferApproved, error) {
	event := "TransferApproved"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != propertyTitles.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(PropertyTitlesTransferApproved)
	if len(log.Data) > 0 {
		if err := propertyTitles.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range propertyTitles.abi.Events[event].Inputs {
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

// PropertyTitlesTransferCancelled represents a TransferCancelled event raised by the PropertyTitles contract.
type PropertyTitlesTransferCancelled struct {
	Parcel [32]byte
	Seller common.Address
	Buyer  common.Address
	By     common.Address
	Raw    *types.Log // Blockchain specific contextual infos
}

const PropertyTitlesTransferCancelledEventName = "TransferCancelled"

// ContractEventName returns the user-defined event name.
func (PropertyTitlesTransferCancelled) ContractEventName() string {
	return PropertyTitlesTransferCancelledEventName
}

// UnpackTransferCancelledEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event TransferCancelled(bytes32 indexed parcel, address indexed seller, address indexed buyer, address by)
func (propertyTitles *PropertyTitles) UnpackTransferCancelledEvent(log *types.Log) (*PropertyTitlesTransferCancelled, error) {
	event := "TransferCancelled"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != propertyTitles.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(PropertyTitlesTransferCancelled)
	if len(log.Data) > 0 {
		if err := propertyTitles.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range propertyTitles.abi.Events[event].Inputs {
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

// PropertyTitlesTransferOffered represents a TransferOffered event raised by the PropertyTitles contract.
type PropertyTitlesTransferOffered struct {
	Parcel [32]byte
	Seller common.Address
	Buyer  common.Address
	Share  uint64
	Raw    *types.Log // Blockchain specific contextual infos
}

const PropertyTitlesTransferOfferedEventName = "TransferOffered"

// ContractEventName returns the user-defined event name.
func (PropertyTitlesTransferOffered) ContractEventName() string {
	return PropertyTitlesTransferOfferedEventName
}

// UnpackTransferOfferedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event TransferOffered(bytes32 indexed parcel, address indexed seller, address indexed buyer, uint64 share)
func (propertyTitles *PropertyTitles) UnpackTransferOfferedEvent(log *types.Log) (*PropertyTitlesTransferOffered, error) {
	event := "TransferOffered"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != propertyTitles.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(PropertyTitlesTransferOffered)
	if len(log.Data) > 0 {
		if err := propertyTitles.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range propertyTitles.abi.Events[event].Inputs {
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
func (propertyTitles *PropertyTitles) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], propertyTitles.abi.Errors["DuplicateOwner"].ID.Bytes()[:4]) {
		return propertyTitles.UnpackDuplicateOwnerError(raw[4:])
	}
	if bytes.Equal(raw[:4], propertyTitles.abi.Errors["InvalidParcel"].ID.Bytes()[:4]) {
		return propertyTitles.UnpackInvalidParcelError(raw[4:])
	}
	if bytes.Equal(raw[:4], propertyTitles.abi.Errors["InvalidShare"].ID.Bytes()[:4]) {
		return propertyTitles.UnpackInvalidShareError(raw[4:])
	}
	if bytes.Equal(raw[:4], propertyTitles.abi.Errors["LengthMismatch"].ID.Bytes()[:4]) {
		return propertyTitles.UnpackLengthMismatchError(raw[4:])
	}
	if bytes.Equal(raw[:4], propertyTitles.abi.Errors["LienAlreadyReleased"].ID.Bytes()[:4]) {
		return propertyTitles.UnpackLienAlreadyReleasedError(raw[4:])
	}
	if bytes.Equal(raw[:4], propertyTitles.abi.Errors["NoOwners"].ID.Bytes()[:4]) {
		return propertyTitles.UnpackNoOwnersError(raw[4:])
	}
	if bytes.Equal(raw[:4], propertyTitles.abi.Errors["NoPendingTransfer"].ID.Bytes()[:4]) {
		return propertyTitles.UnpackNoPendingTransferError(raw[4:])
	}
	if bytes.Equal(raw[:4], propertyTitles.abi.Errors["NotBuyer"].ID.Bytes()[:4]) {
		return propertyTitles.UnpackNotBuyerError(raw[4:])
	}
	if bytes.Equal(raw[:4], propertyTitles.abi.Errors["NotLienHolder"].ID.Bytes()[:4]) {
		return propertyTitles.UnpackNotLienHolderError(raw[4:])
	}
	if bytes.Equal(raw[:4], propertyTitles.abi.Errors["NotOwner"].ID.Bytes()[:4]) {
		return propertyTitles.UnpackNotOwnerError(raw[4:])
	}
	if bytes.Equal(raw[:4], propertyTitles.abi.Errors["NotRegistrar"].ID.Bytes()[:4]) {
		return propertyTitles.UnpackNotRegistrarError(raw[4:])
	}
	if bytes.Equal(raw[:4], propertyTitles.abi.Errors["NotTransferParty"].ID.Bytes()[:4]) {
		return propertyTitles.UnpackNotTransferPartyError(raw[4:])
	}
	if bytes.Equal(raw[:4], propertyTitles.abi.Errors["ParcelEncumbered"].ID.Bytes()[:4]) {
		return propertyTitles.UnpackParcelEncumberedError(raw[4:])
	}
	if bytes.Equal(raw[:4], propertyTitles.abi.Errors["ParcelExists"].ID.Bytes()[:4]) {
		return propertyTitles.UnpackParcelExistsError(raw[4:])
	}
	if bytes.Equal(raw[:4], propertyTitles.abi.Errors["SelfTransfer"].ID.Bytes()[:4]) {
		return propertyTitles.UnpackSelfTransferError(raw[4:])
	}
	if bytes.Equal(raw[:4], propertyTitles.abi.Errors["TooManyOwners"].ID.Bytes()[:4]) {
		return propertyTitles.UnpackTooManyOwnersError(raw[4:])
	}
	if bytes.Equal(raw[:4], propertyTitles.abi.Errors["TransferPending"].ID.Bytes()[:4]) {
		return propertyTitles.UnpackTransferPendingError(raw[4:])
	}
	if bytes.Equal(raw[:4], propertyTitles.abi.Errors["UnknownLien"].ID.Bytes()[:4]) {
		return propertyTitles.UnpackUnknownLienError(raw[4:])
	}
	if bytes.Equal(raw[:4], propertyTitles.abi.Errors["UnknownParcel"].ID.Bytes()[:4]) {
		return propertyTitles.UnpackUnknownParcelError(raw[4:])
	}
	if bytes.Equal(raw[:4], propertyTitles.abi.Errors["WrongStage"].ID.Bytes()[:4]) {
		return propertyTitles.UnpackWrongStageError(raw[4:])
	}
	if bytes.Equal(raw[:4], propertyTitles.abi.Errors["ZeroAddress"].ID.Bytes()[:4]) {
		return propertyTitles.UnpackZeroAddressError(raw[4:])
	}
	if bytes.Equal(raw[:4], propertyTitles.abi.Errors["ZeroShare"].ID.Bytes()[:4]) {
		return propertyTitles.UnpackZeroShareError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// PropertyTitlesDuplicateOwner represents a DuplicateOwner error raised by the PropertyTitles contract.
type PropertyTitlesDuplicateOwner struct {
	Owner common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error DuplicateOwner(address owner)
func PropertyTitlesDuplicateOwnerErrorID() common.Hash {
	return common.HexToHash("0x2029bc65fecc955e77bcf6b2a3b4e40cdad6d3f4880ec083bf58a3af54ba0aba")
}

// UnpackDuplicateOwnerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error DuplicateOwner(address owner)
func (propertyTitles *PropertyTitles) UnpackDuplicateOwnerError(raw []byte) (*PropertyTitlesDuplicateOwner, error) {
	out := new(PropertyTitlesDuplicateOwner)
	if err := propertyTitles.abi.UnpackIntoInterface(out, "DuplicateOwner", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PropertyTitlesInvalidParcel represents a InvalidParcel error raised by the PropertyTitles contract.
type PropertyTitlesInvalidParcel struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidParcel()
func PropertyTitlesInvalidParcelErrorID() common.Hash {
	return common.HexToHash("0xe627950774fe5fd6cd7863c87088e3ebc9cd8dfc0bb9d8d7ef27c907a08d1223")
}

// UnpackInvalidParcelError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidParcel()
func (propertyTitles *PropertyTitles) UnpackInvalidParcelError(raw []byte) (*PropertyTitlesInvalidParcel, error) {
	out := new(PropertyTitlesInvalidParcel)
	if err := propertyTitles.abi.UnpackIntoInterface(out, "InvalidParcel", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PropertyTitlesInvalidShare represents a InvalidShare error raised by the PropertyTitles contract.
type PropertyTitlesInvalidShare struct {
	Offered uint64
	Held    uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidShare(uint64 offered, uint64 held)
func PropertyTitlesInvalidShareErrorID() common.Hash {
	return common.HexToHash("0x08731c97bb7894ac1302dfb142401816a9d8776d3cfd1368617f8d20121fec9c")
}

// UnpackInvalidShareError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidShare(uint64 offered, uint64 held)
func (propertyTitles *PropertyTitles) UnpackInvalidShareError(raw []byte) (*PropertyTitlesInvalidShare, error) {
	out := new(PropertyTitlesInvalidShare)
	if err := propertyTitles.abi.UnpackIntoInterface(out, "InvalidShare", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PropertyTitlesLengthMismatch represents a LengthMismatch error raised by the PropertyTitles contract.
type PropertyTitlesLengthMismatch struct {
	Owners *big.Int
	Shares *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error LengthMismatch(uint256 owners, uint256 shares)
func PropertyTitlesLengthMismatchErrorID() common.Hash {
	return common.HexToHash("0xab8b67c6893c59617ef3ba4b4b942e9791f2572db2fdb32028356532f3b7396a")
}

// UnpackLengthMismatchError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error LengthMismatch(uint256 owners, uint256 shares)
func (propertyTitles *PropertyTitles) UnpackLengthMismatchError(raw []byte) (*PropertyTitlesLengthMismatch, error) {
	out := new(PropertyTitlesLengthMismatch)
	if err := propertyTitles.abi.UnpackIntoInterface(out, "LengthMismatch", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PropertyTitlesLienAlreadyReleased represents a LienAlreadyReleased error raised by the PropertyTitles contract.
type PropertyTitlesLienAlreadyReleased struct {
	Id *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error LienAlreadyReleased(uint256 id)
func PropertyTitlesLienAlreadyReleasedErrorID() common.Hash {
	return common.HexToHash("0xaf6c18341dec2ea13bc66585999eb728afd0956fe0ad47031f7f51e2b8ea68cb")
}

// UnpackLienAlreadyReleasedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error LienAlreadyReleased(uint256 id)
func (propertyTitles *PropertyTitles) UnpackLienAlreadyReleasedError(raw []byte) (*PropertyTitlesLienAlreadyReleased, error) {
	out := new(PropertyTitlesLienAlreadyReleased)
	if err := propertyTitles.abi.UnpackIntoInterface(out, "LienAlreadyReleased", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PropertyTitlesNoOwners represents a NoOwners error raised by the PropertyTitles contract.
type PropertyTitlesNoOwners struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NoOwners()
func PropertyTitlesNoOwnersErrorID() common.Hash {
	return common.HexToHash("0x60d5ca63f123f36e9c4560480b99e836990d1e22b2e64b0d4331e4375ae48487")
}

// UnpackNoOwnersError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NoOwners()
func (propertyTitles *PropertyTitles) UnpackNoOwnersError(raw []byte) (*PropertyTitlesNoOwners, error) {
	out := new(PropertyTitlesNoOwners)
	if err := propertyTitles.abi.UnpackIntoInterface(out, "NoOwners", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PropertyTitlesNoPendingTransfer represents a NoPendingTransfer error raised by the PropertyTitles contract.
type PropertyTitlesNoPendingTransfer struct {
	Parcel [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NoPendingTransfer(bytes32 parcel)
func PropertyTitlesNoPendingTransferErrorID() common.Hash {
	return common.HexToHash("0x29ac8868c290699644c8f6bc7bab6eec67b25fa5daba6c635a70a063a2e52b9f")
}

// UnpackNoPendingTransferError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NoPendingTransfer(bytes32 parcel)
func (propertyTitles *PropertyTitles) UnpackNoPendingTransferError(raw []byte) (*PropertyTitlesNoPendingTransfer, error) {
	out := new(PropertyTitlesNoPendingTransfer)
	if err := propertyTitles.abi.UnpackIntoInterface(out, "NoPendingTransfer", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PropertyTitlesNotBuyer represents a NotBuyer error raised by the PropertyTitles contract.
type PropertyTitlesNotBuyer struct {
	Parcel  [32]byte
	Account common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotBuyer(bytes32 parcel, address account)
func PropertyTitlesNotBuyerErrorID() common.Hash {
	return common.HexToHash("0xcdff0efce948c72bfdef0ff0be61c5ff75362cc35100ffeb0f5cbba77d8657d8")
}

// UnpackNotBuyerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotBuyer(bytes32 parcel, address account)
func (propertyTitles *PropertyTitles) UnpackNotBuyerError(raw []byte) (*PropertyTitlesNotBuyer, error) {
	out := new(PropertyTitlesNotBuyer)
	if err := propertyTitles.abi.UnpackIntoInterface(out, "NotBuyer", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PropertyTitlesNotLienHolder represents a NotLienHolder error raised by the PropertyTitles contract.
type PropertyTitlesNotLienHolder struct {
	Id      *big.Int
	Account common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotLienHolder(uint256 id, address account)
func PropertyTitlesNotLienHolderErrorID() common.Hash {
	return common.HexToHash("0xf033c25ccd430fa11673a75bd1e55fb85c417331ebd6c49c1b67b4b6ba8b0dba")
}

// UnpackNotLienHolderError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotLienHolder(uint256 id, address account)
func (propertyTitles *PropertyTitles) UnpackNotLienHolderError(raw []byte) (*PropertyTitlesNotLienHolder, error) {
	out := new(PropertyTitlesNotLienHolder)
	if err := propertyTitles.abi.UnpackIntoInterface(out, "NotLienHolder", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PropertyTitlesNotOwner represents a NotOwner error raised by the PropertyTitles contract.
type PropertyTitlesNotOwner struct {
	Parcel  [32]byte
	Account common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotOwner(bytes32 parcel, address account)
func PropertyTitlesNotOwnerErrorID() common.Hash {
	return common.HexToHash("0x0e25346d3923fdf61b8b8de5a7da7267aa43093abc1ce6c52cbd87b4dcd30574")
}

// UnpackNotOwnerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotOwner(bytes32 parcel, address account)
func (propertyTitles *PropertyTitles) UnpackNotOwnerError(raw []byte) (*PropertyTitlesNotOwner, error) {
	out := new(PropertyTitlesNotOwner)
	if err := propertyTitles.abi.UnpackIntoInterface(out, "NotOwner", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PropertyTitlesNotRegistrar represents a NotRegistrar error raised by the PropertyTitles contract.
type PropertyTitlesNotRegistrar struct {
	Account common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotRegistrar(address account)
func PropertyTitlesNotRegistrarErrorID() common.Hash {
	return common.HexToHash("0x53ac4f07998c4678ca11fbeac5fe32637f94d155b83727ad15c7388e03008a82")
}

// UnpackNotRegistrarError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotRegistrar(address account)
func (propertyTitles *PropertyTitles) UnpackNotRegistrarError(raw []byte) (*PropertyTitlesNotRegistrar, error) {
	out := new(PropertyTitlesNotRegistrar)
	if err := propertyTitles.abi.UnpackIntoInterface(out, "NotRegistrar", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PropertyTitlesNotTransferParty represents a NotTransferParty error raised by the PropertyTitles contract.
type PropertyTitlesNotTransferParty struct {
	Parcel  [32]byte
	Account common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotTransferParty(bytes32 parcel, address account)
func PropertyTitlesNotTransferPartyErrorID() common.Hash {
	return common.HexToHash("0xae30fd7ee1ad0377676b1b5a0311ffd7a0af647bf0c81ad45342fb0f5836d0b0")
}

// UnpackNotTransferPartyError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotTransferParty(bytes32 parcel, address account)
func (propertyTitles *PropertyTitles) UnpackNotTransferPartyError(raw []byte) (*PropertyTitlesNotTransferParty, error) {
	out := new(PropertyTitlesNotTransferParty)
	if err := propertyTitles.abi.UnpackIntoInterface(out, "NotTransferParty", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PropertyTitlesParcelEncumbered represents a ParcelEncumbered error raised by the PropertyTitles contract.
type PropertyTitlesParcelEncumbered struct {
	Parcel      [32]byte
	ActiveLiens uint32
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ParcelEncumbered(bytes32 parcel, uint32 activeLiens)
func PropertyTitlesParcelEncumberedErrorID() common.Hash {
	return common.HexToHash("0x667e1cd991a377fd19b51330bf9b2ade67e2778998e887658668365516ca73f0")
}

// UnpackParcelEncumberedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ParcelEncumbered(bytes32 parcel, uint32 activeLiens)
func (propertyTitles *PropertyTitles) UnpackParcelEncumberedError(raw []byte) (*PropertyTitlesParcelEncumbered, error) {
	out := new(PropertyTitlesParcelEncumbered)
	if err := propertyTitles.abi.UnpackIntoInterface(out, "ParcelEncumbered", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PropertyTitlesParcelExists represents a ParcelExists error raised by the PropertyTitles contract.
type PropertyTitlesParcelExists struct {
	Parcel [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ParcelExists(bytes32 parcel)
func PropertyTitlesParcelExistsErrorID() common.Hash {
	return common.HexToHash("0xea43d4b294489778264161a5a1882a58de16c03b1c1c981decd486075d9f52f2")
}

// UnpackParcelExistsError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ParcelExists(bytes32 parcel)
func (propertyTitles *PropertyTitles) UnpackParcelExistsError(raw []byte) (*PropertyTitlesParcelExists, error) {
	out := new(PropertyTitlesParcelExists)
	if err := propertyTitles.abi.UnpackIntoInterface(out, "ParcelExists", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PropertyTitlesSelfTransfer represents a SelfTransfer error raised by the PropertyTitles contract.
type PropertyTitlesSelfTransfer struct {
	Account common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error SelfTransfer(address account)
func PropertyTitlesSelfTransferErrorID() common.Hash {
	return common.HexToHash("0x514ae315382a88897d2bbe5f4da203d47e859bd0afbc337d9e3f7f40d1381e3c")
}

// UnpackSelfTransferError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error SelfTransfer(address account)
func (propertyTitles *PropertyTitles) UnpackSelfTransferError(raw []byte) (*PropertyTitlesSelfTransfer, error) {
	out := new(PropertyTitlesSelfTransfer)
	if err := propertyTitles.abi.UnpackIntoInterface(out, "SelfTransfer", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PropertyTitlesTooManyOwners represents a TooManyOwners error raised by the PropertyTitles contract.
type PropertyTitlesTooManyOwners struct {
	Have *big.Int
	Max  *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error TooManyOwners(uint256 have, uint256 max)
func PropertyTitlesTooManyOwnersErrorID() common.Hash {
	return common.HexToHash("0x420766960d44c98d901cc92f80f480f3be10ce14525a02d2ec5112de0bd52bfe")
}

// UnpackTooManyOwnersError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error TooManyOwners(uint256 have, uint256 max)
func (propertyTitles *PropertyTitles) UnpackTooManyOwnersError(raw []byte) (*PropertyTitlesTooManyOwners, error) {
	out := new(PropertyTitlesTooManyOwners)
	if err := propertyTitles.abi.UnpackIntoInterface(out, "TooManyOwners", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PropertyTitlesTransferPending represents a TransferPending error raised by the PropertyTitles contract.
type PropertyTitlesTransferPending struct {
	Parcel [32]byte
	Seller common.Address
	Buyer  common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error TransferPending(bytes32 parcel, address seller, address buyer)
func PropertyTitlesTransferPendingErrorID() common.Hash {
	return common.HexToHash("0x76cd1b45f54a7b36018bb96df1aab9d1223b8e325f51c678ce7834e9e37fc3f2")
}

// UnpackTransferPendingError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error TransferPending(bytes32 parcel, address seller, address buyer)
func (propertyTitles *PropertyTitles) UnpackTransferPendingError(raw []byte) (*PropertyTitlesTransferPending, error) {
	out := new(PropertyTitlesTransferPending)
	if err := propertyTitles.abi.UnpackIntoInterface(out, "TransferPending", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PropertyTitlesUnknownLien represents a UnknownLien error raised by the PropertyTitles contract.
type PropertyTitlesUnknownLien struct {
	Id *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error UnknownLien(uint256 id)
func PropertyTitlesUnknownLienErrorID() common.Hash {
	return common.HexToHash("0x345ca61aabca7b6b46f8d004d2d34bff80af5f8a7cc479d66189ddacab45b68e")
}

// UnpackUnknownLienError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error UnknownLien(uint256 id)
func (propertyTitles *PropertyTitles) UnpackUnknownLienError(raw []byte) (*PropertyTitlesUnknownLien, error) {
	out := new(PropertyTitlesUnknownLien)
	if err := propertyTitles.abi.UnpackIntoInterface(out, "UnknownLien", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PropertyTitlesUnknownParcel represents a UnknownParcel error raised by the PropertyTitles contract.
type PropertyTitlesUnknownParcel struct {
	Parcel [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error UnknownParcel(bytes32 parcel)
func PropertyTitlesUnknownParcelErrorID() common.Hash {
	return common.HexToHash("0xdcae2aa858cc951fff984c2af991a5157c70db57378d5b1d831779d6dcf89713")
}

// UnpackUnknownParcelError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error UnknownParcel(bytes32 parcel)
func (propertyTitles *PropertyTitles) UnpackUnknownParcelError(raw []byte) (*PropertyTitlesUnknownParcel, error) {
	out := new(PropertyTitlesUnknownParcel)
	if err := propertyTitles.abi.UnpackIntoInterface(out, "UnknownParcel", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PropertyTitlesWrongStage represents a WrongStage error raised by the PropertyTitles contract.
type PropertyTitlesWrongStage struct {
	Parcel [32]byte
	Have   uint8
	Want   uint8
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error WrongStage(bytes32 parcel, uint8 have, uint8 want)
func PropertyTitlesWrongStageErrorID() common.Hash {
	return common.HexToHash("0x0b7bfff9105cf5add4d96edd733894525f7d4475911cba01facb438409fb47e6")
}

// UnpackWrongStageError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error WrongStage(bytes32 parcel, uint8 have, uint8 want)
func (propertyTitles *PropertyTitles) UnpackWrongStageError(raw []byte) (*PropertyTitlesWrongStage, error) {
	out := new(PropertyTitlesWrongStage)
	if err := propertyTitles.abi.UnpackIntoInterface(out, "WrongStage", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PropertyTitlesZeroAddress represents a ZeroAddress error raised by the PropertyTitles contract.
type PropertyTitlesZeroAddress struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ZeroAddress()
func PropertyTitlesZeroAddressErrorID() common.Hash {
	return common.HexToHash("0xd92e233df2717d4a40030e20904abd27b68fcbeede117eaaccbbdac9618c8c73")
}

// UnpackZeroAddressError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ZeroAddress()
func (propertyTitles *PropertyTitles) UnpackZeroAddressError(raw []byte) (*PropertyTitlesZeroAddress, error) {
	out := new(PropertyTitlesZeroAddress)
	if err := propertyTitles.abi.UnpackIntoInterface(out, "ZeroAddress", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// PropertyTitlesZeroShare represents a ZeroShare error raised by the PropertyTitles contract.
type PropertyTitlesZeroShare struct {
	Owner common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ZeroShare(address owner)
func PropertyTitlesZeroShareErrorID() common.Hash {
	return common.HexToHash("0x0a144adf6aeb6558119d6d529a1954194e0bd7f1b44b9360c96560de689bd15e")
}

// UnpackZeroShareError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ZeroShare(address owner)
func (propertyTitles *PropertyTitles) UnpackZeroShareError(raw []byte) (*PropertyTitlesZeroShare, error) {
	out := new(PropertyTitlesZeroShare)
	if err := propertyTitles.abi.UnpackIntoInterface(out, "ZeroShare", raw); err != nil {
		return nil, err
	}
	return out, nil
}
