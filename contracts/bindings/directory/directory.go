// Code generated via abigen V2 - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package directory

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

// DirectoryMetaData contains all meta data concerning the Directory contract.
var DirectoryMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"address\",\"name\":\"admin\",\"type\":\"address\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"internalType\":\"bytes32\",\"name\":\"department\",\"type\":\"bytes32\"}],\"name\":\"AccountInOtherDepartment\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"AdminRenounceRefused\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"code\",\"type\":\"bytes32\"}],\"name\":\"DepartmentExists\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"code\",\"type\":\"bytes32\"}],\"name\":\"DepartmentInactive\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"code\",\"type\":\"bytes32\"},{\"internalType\":\"bool\",\"name\":\"active\",\"type\":\"bool\"}],\"name\":\"DepartmentStateUnchanged\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"code\",\"type\":\"bytes32\"}],\"name\":\"EmptyDepartmentName\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidDepartmentCode\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint8\",\"name\":\"role\",\"type\":\"uint8\"}],\"name\":\"InvalidRole\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidServiceName\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"}],\"name\":\"OwnableInvalidOwner\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"OwnableUnauthorizedAccount\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"department\",\"type\":\"bytes32\"},{\"internalType\":\"uint8\",\"name\":\"role\",\"type\":\"uint8\"},{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"RoleAlreadyGranted\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"department\",\"type\":\"bytes32\"},{\"internalType\":\"uint8\",\"name\":\"role\",\"type\":\"uint8\"},{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"RoleNotGranted\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"name\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"implementation\",\"type\":\"address\"}],\"name\":\"ServiceUnchanged\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"signer\",\"type\":\"address\"},{\"internalType\":\"bytes32\",\"name\":\"department\",\"type\":\"bytes32\"}],\"name\":\"SignerAlreadyAssigned\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"code\",\"type\":\"bytes32\"}],\"name\":\"UnknownDepartment\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"signer\",\"type\":\"address\"}],\"name\":\"UnknownSigner\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroAddress\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"code\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"bool\",\"name\":\"active\",\"type\":\"bool\"}],\"name\":\"DepartmentActiveSet\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"code\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"name\",\"type\":\"string\"}],\"name\":\"DepartmentAdded\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"code\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"name\",\"type\":\"string\"}],\"name\":\"DepartmentRenamed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"previousOwner\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"newOwner\",\"type\":\"address\"}],\"name\":\"OwnershipTransferStarted\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"previousOwner\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"newOwner\",\"type\":\"address\"}],\"name\":\"OwnershipTransferred\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"department\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"uint8\",\"name\":\"role\",\"type\":\"uint8\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"RoleGranted\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"department\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"uint8\",\"name\":\"role\",\"type\":\"uint8\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"RoleRevoked\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"name\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"implementation\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"version\",\"type\":\"uint256\"}],\"name\":\"ServiceRegistered\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"signer\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"department\",\"type\":\"bytes32\"}],\"name\":\"SignerAssigned\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"signer\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"department\",\"type\":\"bytes32\"}],\"name\":\"SignerUnassigned\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"acceptOwnership\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"code\",\"type\":\"bytes32\"}],\"name\":\"accountsOf\",\"outputs\":[{\"internalType\":\"address[]\",\"name\":\"\",\"type\":\"address[]\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"code\",\"type\":\"bytes32\"},{\"internalType\":\"string\",\"name\":\"name\",\"type\":\"string\"}],\"name\":\"addDepartment\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"signer\",\"type\":\"address\"},{\"internalType\":\"bytes32\",\"name\":\"department\",\"type\":\"bytes32\"}],\"name\":\"assignSigner\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"code\",\"type\":\"bytes32\"}],\"name\":\"departmentInfo\",\"outputs\":[{\"internalType\":\"string\",\"name\":\"name\",\"type\":\"string\"},{\"internalType\":\"bool\",\"name\":\"exists\",\"type\":\"bool\"},{\"internalType\":\"bool\",\"name\":\"active\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"internalType\":\"uint8\",\"name\":\"role\",\"type\":\"uint8\"}],\"name\":\"departmentWithRole\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"departments\",\"outputs\":[{\"internalType\":\"bytes32[]\",\"name\":\"\",\"type\":\"bytes32[]\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"department\",\"type\":\"bytes32\"},{\"internalType\":\"uint8\",\"name\":\"role\",\"type\":\"uint8\"},{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"grantRole\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"department\",\"type\":\"bytes32\"},{\"internalType\":\"uint8\",\"name\":\"role\",\"type\":\"uint8\"},{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"hasRole\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"memberOf\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"department\",\"type\":\"bytes32\"},{\"internalType\":\"uint32\",\"name\":\"roles\",\"type\":\"uint32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"owner\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"pendingOwner\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"code\",\"type\":\"bytes32\"},{\"internalType\":\"string\",\"name\":\"name\",\"type\":\"string\"}],\"name\":\"renameDepartment\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"renounceOwnership\",\"outputs\":[],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"department\",\"type\":\"bytes32\"},{\"internalType\":\"uint8\",\"name\":\"role\",\"type\":\"uint8\"},{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"revokeRole\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"name\",\"type\":\"bytes32\"}],\"name\":\"service\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"implementation\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"version\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"name\",\"type\":\"bytes32\"}],\"name\":\"serviceVersions\",\"outputs\":[{\"internalType\":\"address[]\",\"name\":\"\",\"type\":\"address[]\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"services\",\"outputs\":[{\"internalType\":\"bytes32[]\",\"name\":\"\",\"type\":\"bytes32[]\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"code\",\"type\":\"bytes32\"},{\"internalType\":\"bool\",\"name\":\"active\",\"type\":\"bool\"}],\"name\":\"setDepartmentActive\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"name\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"implementation\",\"type\":\"address\"}],\"name\":\"setService\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"signer\",\"type\":\"address\"}],\"name\":\"signerDepartment\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"signers\",\"outputs\":[{\"internalType\":\"address[]\",\"name\":\"\",\"type\":\"address[]\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"newOwner\",\"type\":\"address\"}],\"name\":\"transferOwnership\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"signer\",\"type\":\"address\"}],\"name\":\"unassignSigner\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	ID:  "Directory",
	Bin: "0x608060405234801561001057600080fd5b50604051611b79380380611b7983398101604081905261002f916100da565b806001600160a01b03811661005e57604051631e4fbdf760e01b81526000600482015260240160405180910390fd5b6100678161006e565b505061010a565b600180546001600160a01b03191690556100878161008a565b50565b600080546001600160a01b038381166001600160a01b0319831681178455604051919092169283917f8be0079c531659141344cd1fd0a4f28419497f9722a3daafe3b4186f6b6457e09190a35050565b6000602082840312156100ec57600080fd5b81516001600160a01b038116811461010357600080fd5b9392505050565b611a60806101196000396000f3fe608060405234801561001057600080fd5b50600436106101585760003560e01c80638696b4da116100c3578063c54dc3321161007c578063c54dc33214610343578063d04f2e0114610356578063dbe6536d14610369578063de5e59161461038b578063e30c39781461039e578063f2fde38b146103af57600080fd5b80638696b4da146102bf5780638da5cb5b146102d257806391d7f012146102f7578063a57d46301461030a578063af3ba63c1461031d578063bf1c3f451461033057600080fd5b80633b4c9891116101155780633b4c98911461022b57806346f0975a1461027f578063715018a61461029457806379ba50971461029c5780637b2b30e3146102a45780638554d856146102ac57600080fd5b806302b34f1f1461015d5780630c2ce5b1146101945780630e7620d7146101cb5780631194c039146101e05780631b34e971146101f557806334acecbd14610208575b600080fd5b61017061016b3660046114c9565b6103c2565b604080516001600160a01b0390931683526020830191909152015b60405180910390f35b6101bd6101a23660046114f9565b6001600160a01b031660009081526007602052604090205490565b60405190815260200161018b565b6101d3610413565b60405161018b9190611514565b6101f36101ee366004611557565b61046b565b005b6101f36102033660046115d5565b6105ff565b61021b61021636600461161b565b6106a1565b604051901515815260200161018b565b6102656102393660046114f9565b6001600160a01b031660009081526004602052604090208054600190910154909163ffffffff90911690565b6040805192835263ffffffff90911660208301520161018b565b61028761071e565b60405161018b9190611657565b6101f361077f565b6101f36107a0565b6101d36107e4565b6101f36102ba36600461161b565b61083a565b6101f36102cd366004611698565b610953565b6000546001600160a01b03165b6040516001600160a01b03909116815260200161018b565b6101f361030536600461161b565b610a94565b6101f36103183660046116c2565b610c96565b6101f361032b3660046114f9565b610e15565b61028761033e3660046114c9565b610fb0565b6101bd6103513660046116ee565b61101c565b6102876103643660046114c9565b61109c565b61037c6103773660046114c9565b611106565b60405161018b93929190611718565b6101f3610399366004611557565b6111cc565b6001546001600160a01b03166102df565b6101f36103bd3660046114f9565b611253565b6000818152600a60205260408120805490811561040d57806103e560018461178b565b815481106103f5576103f561179e565b6000918252602090912001546001600160a01b031692505b50915091565b6060600380548060200260200160405190810160405280929190818152602001828054801561046157602002820191906000526020600020905b81548152602001906001019080831161044d575b5050505050905090565b6104736112c4565b8261049157604051632f13090160e21b815260040160405180910390fd5b60008190036104bb576040516308bbd05360e21b8152600481018490526024015b60405180910390fd5b60008381526002602052604090206001015460ff16156104f157604051630e9badff60e01b8152600481018490526024016104b2565b604051806060016040528083838080601f01602080910402602001604051908101604052809392919081815260200183838082843760009201829052509385525050600160208085018290526040948501919091528783526002905250208151819061055d9082611853565b5060208201516001918201805460409485015115156101000261ff00199315159390931661ffff19909116179190911790556003805491820181556000527fc2575a0e9e593c00f959f8c92f12db2869c3395a3b0502d05e2516446f71f85b018490555183907f6da89165a6e4fafcc708f355fb20559f7b438757a74315c54c5d5ac72eff7a27906105f29085908590611912565b60405180910390a2505050565b6106076112c4565b6000610612836112f3565b90508115158160010160019054906101000a900460ff1615150361065457604051636bbd088760e11b81526004810184905282151560248201526044016104b2565b6001810180548315156101000261ff001990911617905560405183907f07d2e293179710851ec890ee61c31976f9514e46a225fbe17141c13cd243d567906105f290851515815260200190565b6000602060ff8416106106b657506000610717565b6001600160a01b03821660009081526004602052604090208054851480156106f1575060018181015460ff86169190911b1663ffffffff1615155b80156107135750600085815260026020526040902060010154610100900460ff165b9150505b9392505050565b6060600880548060200260200160405190810160405280929190818152602001828054801561046157602002820191906000526020600020905b81546001600160a01b03168152600190910190602001808311610758575050505050905090565b6107876112c4565b604051633991eb5960e21b815260040160405180910390fd5b60015433906001600160a01b031681146107d85760405163118cdaa760e01b81526001600160a01b03821660048201526024016104b2565b6107e18161132e565b50565b6060600b805480602002602001604051908101604052809291908181526020018280548015610461576020028201919060005260206000209081548152602001906001019080831161044d575050505050905090565b6108426112c4565b602060ff83161061086b576040516378bc326f60e11b815260ff831660048201526024016104b2565b6001600160a01b03811660009081526004602052604090208054600160ff85161b90851415806108a557506001820154811663ffffffff16155b156108de57604051637f0b481b60e11b81526004810186905260ff851660248201526001600160a01b03841660448201526064016104b2565b60018201805463ffffffff831982161663ffffffff19909116811790915560000361091157600082556109118584611347565b826001600160a01b03168460ff16867f2dcfc49e84f662cbd3db0434fb0470139156612e13ebdb3e3cb4d04a04a29ea060405160405180910390a45050505050565b61095b6112c4565b6001600160a01b0382166109825760405163d92e233d60e01b815260040160405180910390fd5b61098b816112f3565b60010154610100900460ff166109b75760405163f7c7d38b60e01b8152600481018290526024016104b2565b6001600160a01b0382166000908152600760205260409020548015610a0157604051637b7f745360e11b81526001600160a01b0384166004820152602481018290526044016104b2565b6001600160a01b0383166000818152600760209081526040808320869055600880546001810182557ff3f7a9fe364faab93b216da50a3214154f22a0a2b415b23a84c8169e8b636ee30180546001600160a01b0319168617905554600990925280832091909155518492917f4798b142239467f9d4dca4b18f79d56273a2550de92d1fdee060aeea5628d57d91a3505050565b610a9c6112c4565b6001600160a01b038116610ac35760405163d92e233d60e01b815260040160405180910390fd5b602060ff831610610aec576040516378bc326f60e11b815260ff831660048201526024016104b2565b610af5836112f3565b60010154610100900460ff16610b215760405163f7c7d38b60e01b8152600481018490526024016104b2565b6001600160a01b0381166000908152600460205260409020600181015463ffffffff1615801590610b53575080548414155b15610b86578054604051634d52bd8360e11b81526001600160a01b038416600482015260248101919091526044016104b2565b60018181015460ff85169190911b90811663ffffffff1615610bd65760405163d4c21a3960e01b81526004810186905260ff851660248201526001600160a01b03841660448201526064016104b2565b600182015463ffffffff16600003610c3657848255600085815260056020908152604080832080546001810182558185528385200180546001600160a01b0319166001600160a01b03891690811790915590549084526006909252909120555b60018201805463ffffffff8084169082161763ffffffff199091161790556040516001600160a01b0384169060ff86169087907f13916c5bbe298dff89740b09160179df8729143390576772fe26cb87be01ea6090600090a45050505050565b610c9e6112c4565b81610cbc5760405163152d945d60e11b815260040160405180910390fd5b6001600160a01b038116610ce35760405163d92e233d60e01b815260040160405180910390fd5b6000828152600a602052604081208054909103610d3457600b80546001810182556000919091527f0175b7a638427703f0dbe7bb9bbf987a2551717b34e79f33b5b1008d1fa01db901839055610da4565b80546001600160a01b038316908290610d4f9060019061178b565b81548110610d5f57610d5f61179e565b6000918252602090912001546001600160a01b031603610da45760405163198afd6760e21b8152600481018490526001600160a01b03831660248201526044016104b2565b80546001810182556000828152602090200180546001600160a01b0384166001600160a01b03199091168117909155815460405185917f1bd0bc8e83e4b1ca39e055b0ee51fbde9f6004eef864db76dd1fc7386693eb7991610e0891815260200190565b60405180910390a3505050565b610e1d6112c4565b6001600160a01b03811660009081526007602052604090205480610e5f57604051636bf4516160e11b81526001600160a01b03831660048201526024016104b2565b6001600160a01b03821660009081526007602090815260408083208390556009909152812054610e919060019061178b565b60088054919250600091610ea79060019061178b565b81548110610eb757610eb761179e565b600091825260209091200154600880546001600160a01b039092169250829184908110610ee657610ee661179e565b600091825260209091200180546001600160a01b0319166001600160a01b0392909216919091179055610f1a826001611941565b6001600160a01b0382166000908152600960205260409020556008805480610f4457610f44611954565b60008281526020808220830160001990810180546001600160a01b03191690559092019092556001600160a01b038616808352600990915260408083208390555185927fab6a2907eeac757f5ab825a700f3e2b13d6888106e84098c78283f14dff0db5491a350505050565b60008181526005602090815260409182902080548351818402810184019094528084526060939283018282801561101057602002820191906000526020600020905b81546001600160a01b03168152600190910190602001808311610ff2575b50505050509050919050565b6000602060ff83161061103157506000611096565b6001600160a01b038316600090815260046020526040902060018082015460ff85169190911b1663ffffffff16158061108357508054600090815260026020526040902060010154610100900460ff16155b15611092575060009050611096565b5490505b92915050565b6000818152600a6020908152604091829020805483518184028101840190945280845260609392830182828015611010576020028201919060005260206000209081546001600160a01b03168152600190910190602001808311610ff25750505050509050919050565b6000818152600260205260408120600181015481546060939283929091829160ff808216926101009092041690839061113e906117ca565b80601f016020809104026020016040519081016040528092919081815260200182805461116a906117ca565b80156111b75780601f1061118c576101008083540402835291602001916111b7565b820191906000526020600020905b81548152906001019060200180831161119a57829003601f168201915b50505050509250935093509350509193909250565b6111d46112c4565b60006111df846112f3565b90506000829003611206576040516308bbd05360e21b8152600481018590526024016104b2565b8061121283858361196a565b50837fbb687fb30232ebda0427fa596c24a5c9da04154bcc357454b0d08f13dd3857b88484604051611245929190611912565b60405180910390a250505050565b61125b6112c4565b600180546001600160a01b0383166001600160a01b0319909116811790915561128c6000546001600160a01b031690565b6001600160a01b03167f38d16b8cac22d99fc7c124b9cd0de2d3fa1faef420bfe791d8c362d765e2270060405160405180910390a350565b6000546001600160a01b031633146112f15760405163118cdaa760e01b81523360048201526024016104b2565b565b6000818152600260205260409020600181015460ff16611329576040516338d6641360e11b8152600481018390526024016104b2565b919050565b600180546001600160a01b03191690556107e181611479565b60008281526005602090815260408083206001600160a01b0385168452600690925282205490919061137b9060019061178b565b905060008260018480549050611391919061178b565b815481106113a1576113a161179e565b9060005260206000200160009054906101000a90046001600160a01b03169050808383815481106113d4576113d461179e565b600091825260209091200180546001600160a01b0319166001600160a01b0392909216919091179055611408826001611941565b6001600160a01b038216600090815260066020526040902055825483908061143257611432611954565b60008281526020808220830160001990810180546001600160a01b03191690559092019092556001600160a01b039590951681526006909452505060408220919091555050565b600080546001600160a01b038381166001600160a01b0319831681178455604051919092169283917f8be0079c531659141344cd1fd0a4f28419497f9722a3daafe3b4186f6b6457e09190a35050565b6000602082840312156114db57600080fd5b5035919050565b80356001600160a01b038116811461132957600080fd5b60006020828403121561150b57600080fd5b610717826114e2565b602080825282518282018190526000918401906040840190835b8181101561154c57835183526020938401939092019160010161152e565b509095945050505050565b60008060006040848603121561156c57600080fd5b83359250602084013567ffffffffffffffff81111561158a57600080fd5b8401601f8101861361159b57600080fd5b803567ffffffffffffffff8111156115b257600080fd5b8660208284010111156115c457600080fd5b939660209190910195509293505050565b600080604083850312156115e857600080fd5b82359150602083013580151581146115ff57600080fd5b809150509250929050565b803560ff8116811461132957600080fd5b60008060006060848603121561163057600080fd5b833592506116406020850161160a565b915061164e604085016114e2565b90509250925092565b602080825282518282018190526000918401906040840190835b8181101561154c5783516001600160a01b0316835260209384019390920191600101611671565b600080604083850312156116ab57600080fd5b6116b4836114e2565b946020939093013593505050565b600080604083850312156116d557600080fd5b823591506116e5602084016114e2565b90509250929050565b6000806040838503121561170157600080fd5b61170a836114e2565b91506116e56020840161160a565b606081526000845180606084015260005b818110156117465760208188018101516080868401015201611729565b50600060808285018101919091529415156020840152921515604083015250601f909101601f19160101919050565b634e487b7160e01b600052601160045260246000fd5b8181038181111561109657611096611775565b634e487b7160e01b600052603260045260246000fd5b634e487b7160e01b600052604160045260246000fd5b600181811c908216806117de57607f821691505b6020821081036117fe57634e487b7160e01b600052602260045260246000fd5b50919050565b601f82111561184e57806000526020600020601f840160051c8101602085101561182b5750805b601f840160051c820191505b8181101561184b5760008155600101611837565b50505b505050565b815167ffffffffffffffff81111561186d5761186d6117b4565b6118818161187b84546117ca565b84611804565b6020601f8211600181146118b5576000831561189d5750848201515b600019600385901b1c1916600184901b17845561184b565b600084815260208120601f198516915b828110156118e557878501518255602094850194600190920191016118c5565b50848210156119035786840151600019600387901b60f8161c191681555b50505050600190811b01905550565b60208152816020820152818360408301376000818301604090810191909152601f909201601f19160101919050565b8082018082111561109657611096611775565b634e487b7160e01b600052603160045260246000fd5b67ffffffffffffffff831115611982576119826117b4565b6119968361199083546117ca565b83611804565b6000601f8411600181146119ca57600085156119b25750838201355b600019600387901b1c1916600186901b17835561184b565b600083815260209020601f19861690835b828110156119fb57868501358255602094850194600190920191016119db565b5086821015611a185760001960f88860031b161c19848701351681555b505060018560011b018355505050505056fea264697066735822122052f3729f68cf3e2fcbe71f0f098a597df20b1c827b459499d6869af2123c196a64736f6c634300081e0033",
}

// Directory is an auto generated Go binding around an Ethereum contract.
type Directory struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *Directory) GetABI() abi.ABI {
	return c.abi
}

// NewDirectory creates a new instance of Directory.
func NewDirectory() *Directory {
	parsed, err := DirectoryMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &Directory{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *Directory) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(address admin) returns()
func (directory *Directory) PackConstructor(admin common.Address) []byte {
	enc, err := directory.abi.Pack("", admin)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackAcceptOwnership is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x79ba5097.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function acceptOwnership() returns()
func (directory *Directory) PackAcceptOwnership() []byte {
	enc, err := directory.abi.Pack("acceptOwnership")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAcceptOwnership is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x79ba5097.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function acceptOwnership() returns()
func (directory *Directory) TryPackAcceptOwnership() ([]byte, error) {
	return directory.abi.Pack("acceptOwnership")
}

// PackAccountsOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xbf1c3f45.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function accountsOf(bytes32 code) view returns(address[])
func (directory *Directory) PackAccountsOf(code [32]byte) []byte {
	enc, err := directory.abi.Pack("accountsOf", code)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAccountsOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xbf1c3f45.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function accountsOf(bytes32 code) view returns(address[])
func (directory *Directory) TryPackAccountsOf(code [32]byte) ([]byte, error) {
	return directory.abi.Pack("accountsOf", code)
}

// UnpackAccountsOf is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xbf1c3f45.
//
// Solidity: function accountsOf(bytes32 code) view returns(address[])
func (directory *Directory) UnpackAccountsOf(data []byte) ([]common.Address, error) {
	out, err := directory.abi.Unpack("accountsOf", data)
	if err != nil {
		return *new([]common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new([]common.Address)).(*[]common.Address)
	return out0, nil
}

// PackAddDepartment is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1194c039.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function addDepartment(bytes32 code, string name) returns()
func (directory *Directory) PackAddDepartment(code [32]byte, name string) []byte {
	enc, err := directory.abi.Pack("addDepartment", code, name)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAddDepartment is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1194c039.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function addDepartment(bytes32 code, string name) returns()
func (directory *Directory) TryPackAddDepartment(code [32]byte, name string) ([]byte, error) {
	return directory.abi.Pack("addDepartment", code, name)
}

// PackAssignSigner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8696b4da.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function assignSigner(address signer, bytes32 department) returns()
func (directory *Directory) PackAssignSigner(signer common.Address, department [32]byte) []byte {
	enc, err := directory.abi.Pack("assignSigner", signer, department)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAssignSigner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8696b4da.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function assignSigner(address signer, bytes32 department) returns()
func (directory *Directory) TryPackAssignSigner(signer common.Address, department [32]byte) ([]byte, error) {
	return directory.abi.Pack("assignSigner", signer, department)
}

// PackDepartmentInfo is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdbe6536d.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function departmentInfo(bytes32 code) view returns(string name, bool exists, bool active)
func (directory *Directory) PackDepartmentInfo(code [32]byte) []byte {
	enc, err := directory.abi.Pack("departmentInfo", code)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDepartmentInfo is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdbe6536d.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function departmentInfo(bytes32 code) view returns(string name, bool exists, bool active)
func (directory *Directory) TryPackDepartmentInfo(code [32]byte) ([]byte, error) {
	return directory.abi.Pack("departmentInfo", code)
}

// DepartmentInfoOutput serves as a container for the return parameters of contract
// method DepartmentInfo.
type DepartmentInfoOutput struct {
	Name   string
	Exists bool
	Active bool
}

// UnpackDepartmentInfo is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xdbe6536d.
//
// Solidity: function departmentInfo(bytes32 code) view returns(string name, bool exists, bool active)
func (directory *Directory) UnpackDepartmentInfo(data []byte) (DepartmentInfoOutput, error) {
	out, err := directory.abi.Unpack("departmentInfo", data)
	outstruct := new(DepartmentInfoOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.Name = *abi.ConvertType(out[0], new(string)).(*string)
	outstruct.Exists = *abi.ConvertType(out[1], new(bool)).(*bool)
	outstruct.Active = *abi.ConvertType(out[2], new(bool)).(*bool)
	return *outstruct, nil
}

// PackDepartmentWithRole is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc54dc332.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function departmentWithRole(address account, uint8 role) view returns(bytes32)
func (directory *Directory) PackDepartmentWithRole(account common.Address, role uint8) []byte {
	enc, err := directory.abi.Pack("departmentWithRole", account, role)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDepartmentWithRole is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc54dc332.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function departmentWithRole(address account, uint8 role) view returns(bytes32)
func (directory *Directory) TryPackDepartmentWithRole(account common.Address, role uint8) ([]byte, error) {
	return directory.abi.Pack("departmentWithRole", account, role)
}

// UnpackDepartmentWithRole is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xc54dc332.
//
// Solidity: function departmentWithRole(address account, uint8 role) view returns(bytes32)
func (directory *Directory) UnpackDepartmentWithRole(data []byte) ([32]byte, error) {
	out, err := directory.abi.Unpack("departmentWithRole", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackDepartments is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0e7620d7.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function departments() view returns(bytes32[])
func (directory *Directory) PackDepartments() []byte {
	enc, err := directory.abi.Pack("departments")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDepartments is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0e7620d7.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function departments() view returns(bytes32[])
func (directory *Directory) TryPackDepartments() ([]byte, error) {
	return directory.abi.Pack("departments")
}

// UnpackDepartments is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x0e7620d7.
//
// Solidity: function departments() view returns(bytes32[])
func (directory *Directory) UnpackDepartments(data []byte) ([][32]byte, error) {
	out, err := directory.abi.Unpack("departments", data)
	if err != nil {
		return *new([][32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([][32]byte)).(*[][32]byte)
	return out0, nil
}

// PackGrantRole is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x91d7f012.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function grantRole(bytes32 department, uint8 role, address account) returns()
func (directory *Directory) PackGrantRole(department [32]byte, role uint8, account common.Address) []byte {
	enc, err := directory.abi.Pack("grantRole", department, role, account)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGrantRole is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x91d7f012.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function grantRole(bytes32 department, uint8 role, address account) returns()
func (directory *Directory) TryPackGrantRole(department [32]byte, role uint8, account common.Address) ([]byte, error) {
	return directory.abi.Pack("grantRole", department, role, account)
}

// PackHasRole is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x34acecbd.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function hasRole(bytes32 department, uint8 role, address account) view returns(bool)
func (directory *Directory) PackHasRole(department [32]byte, role uint8, account common.Address) []byte {
	enc, err := directory.abi.Pack("hasRole", department, role, account)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackHasRole is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x34acecbd.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function hasRole(bytes32 department, uint8 role, address account) view returns(bool)
func (directory *Directory) TryPackHasRole(department [32]byte, role uint8, account common.Address) ([]byte, error) {
	return directory.abi.Pack("hasRole", department, role, account)
}

// UnpackHasRole is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x34acecbd.
//
// Solidity: function hasRole(bytes32 department, uint8 role, address account) view returns(bool)
func (directory *Directory) UnpackHasRole(data []byte) (bool, error) {
	out, err := directory.abi.Unpack("hasRole", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackMemberOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3b4c9891.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function memberOf(address account) view returns(bytes32 department, uint32 roles)
func (directory *Directory) PackMemberOf(account common.Address) []byte {
	enc, err := directory.abi.Pack("memberOf", account)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMemberOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3b4c9891.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function memberOf(address account) view returns(bytes32 department, uint32 roles)
func (directory *Directory) TryPackMemberOf(account common.Address) ([]byte, error) {
	return directory.abi.Pack("memberOf", account)
}

// MemberOfOutput serves as a container for the return parameters of contract
// method MemberOf.
type MemberOfOutput struct {
	Department [32]byte
	Roles      uint32
}

// UnpackMemberOf is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x3b4c9891.
//
// Solidity: function memberOf(address account) view returns(bytes32 department, uint32 roles)
func (directory *Directory) UnpackMemberOf(data []byte) (MemberOfOutput, error) {
	out, err := directory.abi.Unpack("memberOf", data)
	outstruct := new(MemberOfOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.Department = *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	outstruct.Roles = *abi.ConvertType(out[1], new(uint32)).(*uint32)
	return *outstruct, nil
}

// PackOwner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8da5cb5b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function owner() view returns(address)
func (directory *Directory) PackOwner() []byte {
	enc, err := directory.abi.Pack("owner")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackOwner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8da5cb5b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function owner() view returns(address)
func (directory *Directory) TryPackOwner() ([]byte, error) {
	return directory.abi.Pack("owner")
}

// UnpackOwner is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x8da5cb5b.
//
// Solidity: function owner() view returns(address)
func (directory *Directory) UnpackOwner(data []byte) (common.Address, error) {
	out, err := directory.abi.Unpack("owner", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackPendingOwner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe30c3978.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function pendingOwner() view returns(address)
func (directory *Directory) PackPendingOwner() []byte {
	enc, err := directory.abi.Pack("pendingOwner")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackPendingOwner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe30c3978.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function pendingOwner() view returns(address)
func (directory *Directory) TryPackPendingOwner() ([]byte, error) {
	return directory.abi.Pack("pendingOwner")
}

// UnpackPendingOwner is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xe30c3978.
//
// Solidity: function pendingOwner() view returns(address)
func (directory *Directory) UnpackPendingOwner(data []byte) (common.Address, error) {
	out, err := directory.abi.Unpack("pendingOwner", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackRenameDepartment is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xde5e5916.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function renameDepartment(bytes32 code, string name) returns()
func (directory *Directory) PackRenameDepartment(code [32]byte, name string) []byte {
	enc, err := directory.abi.Pack("renameDepartment", code, name)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRenameDepartment is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xde5e5916.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function renameDepartment(bytes32 code, string name) returns()
func (directory *Directory) TryPackRenameDepartment(code [32]byte, name string) ([]byte, error) {
	return directory.abi.Pack("renameDepartment", code, name)
}

// PackRenounceOwnership is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x715018a6.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function renounceOwnership() view returns()
func (directory *Directory) PackRenounceOwnership() []byte {
	enc, err := directory.abi.Pack("renounceOwnership")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRenounceOwnership is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x715018a6.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function renounceOwnership() view returns()
func (directory *Directory) TryPackRenounceOwnership() ([]byte, error) {
	return directory.abi.Pack("renounceOwnership")
}

// PackRevokeRole is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8554d856.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function revokeRole(bytes32 department, uint8 role, address account) returns()
func (directory *Directory) PackRevokeRole(department [32]byte, role uint8, account common.Address) []byte {
	enc, err := directory.abi.Pack("revokeRole", department, role, account)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRevokeRole is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8554d856.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function revokeRole(bytes32 department, uint8 role, address account) returns()
func (directory *Directory) TryPackRevokeRole(department [32]byte, role uint8, account common.Address) ([]byte, error) {
	return directory.abi.Pack("revokeRole", department, role, account)
}

// PackService is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x02b34f1f.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function service(bytes32 name) view returns(address implementation, uint256 version)
func (directory *Directory) PackService(name [32]byte) []byte {
	enc, err := directory.abi.Pack("service", name)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackService is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x02b34f1f.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function service(bytes32 name) view returns(address implementation, uint256 version)
func (directory *Directory) TryPackService(name [32]byte) ([]byte, error) {
	return directory.abi.Pack("service", name)
}

// ServiceOutput serves as a container for the return parameters of contract
// method Service.
type ServiceOutput struct {
	Implementation common.Address
	Version        *big.Int
}

// UnpackService is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x02b34f1f.
//
// Solidity: function service(bytes32 name) view returns(address implementation, uint256 version)
func (directory *Directory) UnpackService(data []byte) (ServiceOutput, error) {
	out, err := directory.abi.Unpack("service", data)
	outstruct := new(ServiceOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.Implementation = *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	outstruct.Version = abi.ConvertType(out[1], new(big.Int)).(*big.Int)
	return *outstruct, nil
}

// PackServiceVersions is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd04f2e01.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function serviceVersions(bytes32 name) view returns(address[])
func (directory *Directory) PackServiceVersions(name [32]byte) []byte {
	enc, err := directory.abi.Pack("serviceVersions", name)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackServiceVersions is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd04f2e01.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function serviceVersions(bytes32 name) view returns(address[])
func (directory *Directory) TryPackServiceVersions(name [32]byte) ([]byte, error) {
	return directory.abi.Pack("serviceVersions", name)
}

// UnpackServiceVersions is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xd04f2e01.
//
// Solidity: function serviceVersions(bytes32 name) view returns(address[])
func (directory *Directory) UnpackServiceVersions(data []byte) ([]common.Address, error) {
	out, err := directory.abi.Unpack("serviceVersions", data)
	if err != nil {
		return *new([]common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new([]common.Address)).(*[]common.Address)
	return out0, nil
}

// PackServices is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7b2b30e3.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function services() view returns(bytes32[])
func (directory *Directory) PackServices() []byte {
	enc, err := directory.abi.Pack("services")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackServices is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7b2b30e3.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function services() view returns(bytes32[])
func (directory *Directory) TryPackServices() ([]byte, error) {
	return directory.abi.Pack("services")
}

// UnpackServices is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x7b2b30e3.
//
// Solidity: function services() view returns(bytes32[])
func (directory *Directory) UnpackServices(data []byte) ([][32]byte, error) {
	out, err := directory.abi.Unpack("services", data)
	if err != nil {
		return *new([][32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([][32]byte)).(*[][32]byte)
	return out0, nil
}

// PackSetDepartmentActive is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1b34e971.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setDepartmentActive(bytes32 code, bool active) returns()
func (directory *Directory) PackSetDepartmentActive(code [32]byte, active bool) []byte {
	enc, err := directory.abi.Pack("setDepartmentActive", code, active)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetDepartmentActive is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1b34e971.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setDepartmentActive(bytes32 code, bool active) returns()
func (directory *Directory) TryPackSetDepartmentActive(code [32]byte, active bool) ([]byte, error) {
	return directory.abi.Pack("setDepartmentActive", code, active)
}

// PackSetService is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa57d4630.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setService(bytes32 name, address implementation) returns()
func (directory *Directory) PackSetService(name [32]byte, implementation common.Address) []byte {
	enc, err := directory.abi.Pack("setService", name, implementation)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetService is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa57d4630.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setService(bytes32 name, address implementation) returns()
func (directory *Directory) TryPackSetService(name [32]byte, implementation common.Address) ([]byte, error) {
	return directory.abi.Pack("setService", name, implementation)
}

// PackSignerDepartment is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0c2ce5b1.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function signerDepartment(address signer) view returns(bytes32)
func (directory *Directory) PackSignerDepartment(signer common.Address) []byte {
	enc, err := directory.abi.Pack("signerDepartment", signer)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSignerDepartment is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0c2ce5b1.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function signerDepartment(address signer) view returns(bytes32)
func (directory *Directory) TryPackSignerDepartment(signer common.Address) ([]byte, error) {
	return directory.abi.Pack("signerDepartment", signer)
}

// UnpackSignerDepartment is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x0c2ce5b1.
//
// Solidity: function signerDepartment(address signer) view returns(bytes32)
func (directory *Directory) UnpackSignerDepartment(data []byte) ([32]byte, error) {
	out, err := directory.abi.Unpack("signerDepartment", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackSigners is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x46f0975a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function signers() view returns(address[])
func (directory *Directory) PackSigners() []byte {
	enc, err := directory.abi.Pack("signers")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSigners is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x46f0975a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function signers() view returns(address[])
func (directory *Directory) TryPackSigners() ([]byte, error) {
	return directory.abi.Pack("signers")
}

// UnpackSigners is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x46f0975a.
//
// Solidity: function signers() view returns(address[])
func (directory *Directory) UnpackSigners(data []byte) ([]common.Address, error) {
	out, err := directory.abi.Unpack("signers", data)
	if err != nil {
		return *new([]common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new([]common.Address)).(*[]common.Address)
	return out0, nil
}

// PackTransferOwnership is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf2fde38b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function transferOwnership(address newOwner) returns()
func (directory *Directory) PackTransferOwnership(newOwner common.Address) []byte {
	enc, err := directory.abi.Pack("transferOwnership", newOwner)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTransferOwnership is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf2fde38b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function transferOwnership(address newOwner) returns()
func (directory *Directory) TryPackTransferOwnership(newOwner common.Address) ([]byte, error) {
	return directory.abi.Pack("transferOwnership", newOwner)
}

// PackUnassignSigner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xaf3ba63c.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function unassignSigner(address signer) returns()
func (directory *Directory) PackUnassignSigner(signer common.Address) []byte {
	enc, err := directory.abi.Pack("unassignSigner", signer)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackUnassignSigner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xaf3ba63c.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function unassignSigner(address signer) returns()
func (directory *Directory) TryPackUnassignSigner(signer common.Address) ([]byte, error) {
	return directory.abi.Pack("unassignSigner", signer)
}

// DirectoryDepartmentActiveSet represents a DepartmentActiveSet event raised by the Directory contract.
type DirectoryDepartmentActiveSet struct {
	Code   [32]byte
	Active bool
	Raw    *types.Log // Blockchain specific contextual infos
}

const DirectoryDepartmentActiveSetEventName = "DepartmentActiveSet"

// ContractEventName returns the user-defined event name.
func (DirectoryDepartmentActiveSet) ContractEventName() string {
	return DirectoryDepartmentActiveSetEventName
}

// UnpackDepartmentActiveSetEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event DepartmentActiveSet(bytes32 indexed code, bool active)
func (directory *Directory) UnpackDepartmentActiveSetEvent(log *types.Log) (*DirectoryDepartmentActiveSet, error) {
	event := "DepartmentActiveSet"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != directory.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(DirectoryDepartmentActiveSet)
	if len(log.Data) > 0 {
		if err := directory.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range directory.abi.Events[event].Inputs {
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

// DirectoryDepartmentAdded represents a DepartmentAdded event raised by the Directory contract.
type DirectoryDepartmentAdded struct {
	Code [32]byte
	Name string
	Raw  *types.Log // Blockchain specific contextual infos
}

const DirectoryDepartmentAddedEventName = "DepartmentAdded"

// ContractEventName returns the user-defined event name.
func (DirectoryDepartmentAdded) ContractEventName() string {
	return DirectoryDepartmentAddedEventName
}

// UnpackDepartmentAddedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event DepartmentAdded(bytes32 indexed code, string name)
func (directory *Directory) UnpackDepartmentAddedEvent(log *types.Log) (*DirectoryDepartmentAdded, error) {
	event := "DepartmentAdded"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != directory.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(DirectoryDepartmentAdded)
	if len(log.Data) > 0 {
		if err := directory.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range directory.abi.Events[event].Inputs {
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

// DirectoryDepartmentRenamed represents a DepartmentRenamed event raised by the Directory contract.
type DirectoryDepartmentRenamed struct {
	Code [32]byte
	Name string
	Raw  *types.Log // Blockchain specific contextual infos
}

const DirectoryDepartmentRenamedEventName = "DepartmentRenamed"

// ContractEventName returns the user-defined event name.
func (DirectoryDepartmentRenamed) ContractEventName() string {
	return DirectoryDepartmentRenamedEventName
}

// UnpackDepartmentRenamedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event DepartmentRenamed(bytes32 indexed code, string name)
func (directory *Directory) UnpackDepartmentRenamedEvent(log *types.Log) (*DirectoryDepartmentRenamed, error) {
	event := "DepartmentRenamed"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != directory.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(DirectoryDepartmentRenamed)
	if len(log.Data) > 0 {
		if err := directory.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range directory.abi.Events[event].Inputs {
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

// DirectoryOwnershipTransferStarted represents a OwnershipTransferStarted event raised by the Directory contract.
type DirectoryOwnershipTransferStarted struct {
	PreviousOwner common.Address
	NewOwner      common.Address
	Raw           *types.Log // Blockchain specific contextual infos
}

const DirectoryOwnershipTransferStartedEventName = "OwnershipTransferStarted"

// ContractEventName returns the user-defined event name.
func (DirectoryOwnershipTransferStarted) ContractEventName() string {
	return DirectoryOwnershipTransferStartedEventName
}

// UnpackOwnershipTransferStartedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event OwnershipTransferStarted(address indexed previousOwner, address indexed newOwner)
func (directory *Directory) UnpackOwnershipTransferStartedEvent(log *types.Log) (*DirectoryOwnershipTransferStarted, error) {
	event := "OwnershipTransferStarted"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != directory.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(DirectoryOwnershipTransferStarted)
	if len(log.Data) > 0 {
		if err := directory.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range directory.abi.Events[event].Inputs {
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

// DirectoryOwnershipTransferred represents a OwnershipTransferred event raised by the Directory contract.
type DirectoryOwnershipTransferred struct {
	PreviousOwner common.Address
	NewOwner      common.Address
	Raw           *types.Log // Blockchain specific contextual infos
}

const DirectoryOwnershipTransferredEventName = "OwnershipTransferred"

// ContractEventName returns the user-defined event name.
func (DirectoryOwnershipTransferred) ContractEventName() string {
	return DirectoryOwnershipTransferredEventName
}

// UnpackOwnershipTransferredEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event OwnershipTransferred(address indexed previousOwner, address indexed newOwner)
func (directory *Directory) UnpackOwnershipTransferredEvent(log *types.Log) (*DirectoryOwnershipTransferred, error) {
	event := "OwnershipTransferred"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != directory.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(DirectoryOwnershipTransferred)
	if len(log.Data) > 0 {
		if err := directory.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range directory.abi.Events[event].Inputs {
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

// DirectoryRoleGranted represents a RoleGranted event raised by the Directory contract.
type DirectoryRoleGranted struct {
	Department [32]byte
	Role       uint8
	Account    common.Address
	Raw        *types.Log // Blockchain specific contextual infos
}

const DirectoryRoleGrantedEventName = "RoleGranted"

// ContractEventName returns the user-defined event name.
func (DirectoryRoleGranted) ContractEventName() string {
	return DirectoryRoleGrantedEventName
}

// UnpackRoleGrantedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event RoleGranted(bytes32 indexed department, uint8 indexed role, address indexed account)
func (directory *Directory) UnpackRoleGrantedEvent(log *types.Log) (*DirectoryRoleGranted, error) {
	event := "RoleGranted"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != directory.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(DirectoryRoleGranted)
	if len(log.Data) > 0 {
		if err := directory.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range directory.abi.Events[event].Inputs {
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

// DirectoryRoleRevoked represents a RoleRevoked event raised by the Directory contract.
type DirectoryRoleRevoked struct {
	Department [32]byte
	Role       uint8
	Account    common.Address
	Raw        *types.Log // Blockchain specific contextual infos
}

const DirectoryRoleRevokedEventName = "RoleRevoked"

// ContractEventName returns the user-defined event name.
func (DirectoryRoleRevoked) ContractEventName() string {
	return DirectoryRoleRevokedEventName
}

// UnpackRoleRevokedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event RoleRevoked(bytes32 indexed department, uint8 indexed role, address indexed account)
func (directory *Directory) UnpackRoleRevokedEvent(log *types.Log) (*DirectoryRoleRevoked, error) {
	event := "RoleRevoked"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != directory.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(DirectoryRoleRevoked)
	if len(log.Data) > 0 {
		if err := directory.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range directory.abi.Events[event].Inputs {
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

// DirectoryServiceRegistered represents a ServiceRegistered event raised by the Directory contract.
type DirectoryServiceRegistered struct {
	Name           [32]byte
	Implementation common.Address
	Version        *big.Int
	Raw            *types.Log // Blockchain specific contextual infos
}

const DirectoryServiceRegisteredEventName = "ServiceRegistered"

// ContractEventName returns the user-defined event name.
func (DirectoryServiceRegistered) ContractEventName() string {
	return DirectoryServiceRegisteredEventName
}

// UnpackServiceRegisteredEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ServiceRegistered(bytes32 indexed name, address indexed implementation, uint256 version)
func (directory *Directory) UnpackServiceRegisteredEvent(log *types.Log) (*DirectoryServiceRegistered, error) {
	event := "ServiceRegistered"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != directory.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(DirectoryServiceRegistered)
	if len(log.Data) > 0 {
		if err := directory.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range directory.abi.Events[event].Inputs {
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

// DirectorySignerAssigned represents a SignerAssigned event raised by the Directory contract.
type DirectorySignerAssigned struct {
	Signer     common.Address
	Department [32]byte
	Raw        *types.Log // Blockchain specific contextual infos
}

const DirectorySignerAssignedEventName = "SignerAssigned"

// ContractEventName returns the user-defined event name.
func (DirectorySignerAssigned) ContractEventName() string {
	return DirectorySignerAssignedEventName
}

// UnpackSignerAssignedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event SignerAssigned(address indexed signer, bytes32 indexed department)
func (directory *Directory) UnpackSignerAssignedEvent(log *types.Log) (*DirectorySignerAssigned, error) {
	event := "SignerAssigned"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != directory.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(DirectorySignerAssigned)
	if len(log.Data) > 0 {
		if err := directory.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range directory.abi.Events[event].Inputs {
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

// DirectorySignerUnassigned represents a SignerUnassigned event raised by the Directory contract.
type DirectorySignerUnassigned struct {
	Signer     common.Address
	Department [32]byte
	Raw        *types.Log // Blockchain specific contextual infos
}

const DirectorySignerUnassignedEventName = "SignerUnassigned"

// ContractEventName returns the user-defined event name.
func (DirectorySignerUnassigned) ContractEventName() string {
	return DirectorySignerUnassignedEventName
}

// UnpackSignerUnassignedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event SignerUnassigned(address indexed signer, bytes32 indexed department)
func (directory *Directory) UnpackSignerUnassignedEvent(log *types.Log) (*DirectorySignerUnassigned, error) {
	event := "SignerUnassigned"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != directory.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(DirectorySignerUnassigned)
	if len(log.Data) > 0 {
		if err := directory.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range directory.abi.Events[event].Inputs {
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
func (directory *Directory) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], directory.abi.Errors["AccountInOtherDepartment"].ID.Bytes()[:4]) {
		return directory.UnpackAccountInOtherDepartmentError(raw[4:])
	}
	if bytes.Equal(raw[:4], directory.abi.Errors["AdminRenounceRefused"].ID.Bytes()[:4]) {
		return directory.UnpackAdminRenounceRefusedError(raw[4:])
	}
	if bytes.Equal(raw[:4], directory.abi.Errors["DepartmentExists"].ID.Bytes()[:4]) {
		return directory.UnpackDepartmentExistsError(raw[4:])
	}
	if bytes.Equal(raw[:4], directory.abi.Errors["DepartmentInactive"].ID.Bytes()[:4]) {
		return directory.UnpackDepartmentInactiveError(raw[4:])
	}
	if bytes.Equal(raw[:4], directory.abi.Errors["DepartmentStateUnchanged"].ID.Bytes()[:4]) {
		return directory.UnpackDepartmentStateUnchangedError(raw[4:])
	}
	if bytes.Equal(raw[:4], directory.abi.Errors["EmptyDepartmentName"].ID.Bytes()[:4]) {
		return directory.UnpackEmptyDepartmentNameError(raw[4:])
	}
	if bytes.Equal(raw[:4], directory.abi.Errors["InvalidDepartmentCode"].ID.Bytes()[:4]) {
		return directory.UnpackInvalidDepartmentCodeError(raw[4:])
	}
	if bytes.Equal(raw[:4], directory.abi.Errors["InvalidRole"].ID.Bytes()[:4]) {
		return directory.UnpackInvalidRoleError(raw[4:])
	}
	if bytes.Equal(raw[:4], directory.abi.Errors["InvalidServiceName"].ID.Bytes()[:4]) {
		return directory.UnpackInvalidServiceNameError(raw[4:])
	}
	if bytes.Equal(raw[:4], directory.abi.Errors["OwnableInvalidOwner"].ID.Bytes()[:4]) {
		return directory.UnpackOwnableInvalidOwnerError(raw[4:])
	}
	if bytes.Equal(raw[:4], directory.abi.Errors["OwnableUnauthorizedAccount"].ID.Bytes()[:4]) {
		return directory.UnpackOwnableUnauthorizedAccountError(raw[4:])
	}
	if bytes.Equal(raw[:4], directory.abi.Errors["RoleAlreadyGranted"].ID.Bytes()[:4]) {
		return directory.UnpackRoleAlreadyGrantedError(raw[4:])
	}
	if bytes.Equal(raw[:4], directory.abi.Errors["RoleNotGranted"].ID.Bytes()[:4]) {
		return directory.UnpackRoleNotGrantedError(raw[4:])
	}
	if bytes.Equal(raw[:4], directory.abi.Errors["ServiceUnchanged"].ID.Bytes()[:4]) {
		return directory.UnpackServiceUnchangedError(raw[4:])
	}
	if bytes.Equal(raw[:4], directory.abi.Errors["SignerAlreadyAssigned"].ID.Bytes()[:4]) {
		return directory.UnpackSignerAlreadyAssignedError(raw[4:])
	}
	if bytes.Equal(raw[:4], directory.abi.Errors["UnknownDepartment"].ID.Bytes()[:4]) {
		return directory.UnpackUnknownDepartmentError(raw[4:])
	}
	if bytes.Equal(raw[:4], directory.abi.Errors["UnknownSigner"].ID.Bytes()[:4]) {
		return directory.UnpackUnknownSignerError(raw[4:])
	}
	if bytes.Equal(raw[:4], directory.abi.Errors["ZeroAddress"].ID.Bytes()[:4]) {
		return directory.UnpackZeroAddressError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// DirectoryAccountInOtherDepartment represents a AccountInOtherDepartment error raised by the Directory contract.
type DirectoryAccountInOtherDepartment struct {
	Account    common.Address
	Department [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AccountInOtherDepartment(address account, bytes32 department)
func DirectoryAccountInOtherDepartmentErrorID() common.Hash {
	return common.HexToHash("0x9aa57b06452271db05e4bdd51b44e7e48a20cb189c39d2d5fe8fd22834db1e7d")
}

// UnpackAccountInOtherDepartmentError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AccountInOtherDepartment(address account, bytes32 department)
func (directory *Directory) UnpackAccountInOtherDepartmentError(raw []byte) (*DirectoryAccountInOtherDepartment, error) {
	out := new(DirectoryAccountInOtherDepartment)
	if err := directory.abi.UnpackIntoInterface(out, "AccountInOtherDepartment", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DirectoryAdminRenounceRefused represents a AdminRenounceRefused error raised by the Directory contract.
type DirectoryAdminRenounceRefused struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AdminRenounceRefused()
func DirectoryAdminRenounceRefusedErrorID() common.Hash {
	return common.HexToHash("0xe647ad64f21e7bf210359a098fe83f45320af7c0b829d573cadb063e16f4543b")
}

// UnpackAdminRenounceRefusedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AdminRenounceRefused()
func (directory *Directory) UnpackAdminRenounceRefusedError(raw []byte) (*DirectoryAdminRenounceRefused, error) {
	out := new(DirectoryAdminRenounceRefused)
	if err := directory.abi.UnpackIntoInterface(out, "AdminRenounceRefused", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DirectoryDepartmentExists represents a DepartmentExists error raised by the Directory contract.
type DirectoryDepartmentExists struct {
	Code [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error DepartmentExists(bytes32 code)
func DirectoryDepartmentExistsErrorID() common.Hash {
	return common.HexToHash("0x0e9badff8868a70d89db56c60036c36dccc9f92aa4b6e3e0c5229409b688994a")
}

// UnpackDepartmentExistsError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error DepartmentExists(bytes32 code)
func (directory *Directory) UnpackDepartmentExistsError(raw []byte) (*DirectoryDepartmentExists, error) {
	out := new(DirectoryDepartmentExists)
	if err := directory.abi.UnpackIntoInterface(out, "DepartmentExists", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DirectoryDepartmentInactive represents a DepartmentInactive error raised by the Directory contract.
type DirectoryDepartmentInactive struct {
	Code [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error DepartmentInactive(bytes32 code)
func DirectoryDepartmentInactiveErrorID() common.Hash {
	return common.HexToHash("0xf7c7d38b6dd57ab41e312b18efc3968a54234b9c4009a19d1aaac528cd52f034")
}

// UnpackDepartmentInactiveError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error DepartmentInactive(bytes32 code)
func (directory *Directory) UnpackDepartmentInactiveError(raw []byte) (*DirectoryDepartmentInactive, error) {
	out := new(DirectoryDepartmentInactive)
	if err := directory.abi.UnpackIntoInterface(out, "DepartmentInactive", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DirectoryDepartmentStateUnchanged represents a DepartmentStateUnchanged error raised by the Directory contract.
type DirectoryDepartmentStateUnchanged struct {
	Code   [32]byte
	Active bool
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error DepartmentStateUnchanged(bytes32 code, bool active)
func DirectoryDepartmentStateUnchangedErrorID() common.Hash {
	return common.HexToHash("0xd77a110ee694f689bc0d953dbcd7405ed67fdb613a9cfaed2bea2df0fbaaeaa2")
}

// UnpackDepartmentStateUnchangedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error DepartmentStateUnchanged(bytes32 code, bool active)
func (directory *Directory) UnpackDepartmentStateUnchangedError(raw []byte) (*DirectoryDepartmentStateUnchanged, error) {
	out := new(DirectoryDepartmentStateUnchanged)
	if err := directory.abi.UnpackIntoInterface(out, "DepartmentStateUnchanged", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DirectoryEmptyDepartmentName represents a EmptyDepartmentName error raised by the Directory contract.
type DirectoryEmptyDepartmentName struct {
	Code [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error EmptyDepartmentName(bytes32 code)
func DirectoryEmptyDepartmentNameErrorID() common.Hash {
	return common.HexToHash("0x22ef414c0f147e71d73cd7186a5c694df982c4c9764af09285d4353985676654")
}

// UnpackEmptyDepartmentNameError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error EmptyDepartmentName(bytes32 code)
func (directory *Directory) UnpackEmptyDepartmentNameError(raw []byte) (*DirectoryEmptyDepartmentName, error) {
	out := new(DirectoryEmptyDepartmentName)
	if err := directory.abi.UnpackIntoInterface(out, "EmptyDepartmentName", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DirectoryInvalidDepartmentCode represents a InvalidDepartmentCode error raised by the Directory contract.
type DirectoryInvalidDepartmentCode struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidDepartmentCode()
func DirectoryInvalidDepartmentCodeErrorID() common.Hash {
	return common.HexToHash("0xbc4c24042e73680d0ede108371dc518d0af0b6fc577fc417a3209fdff0cb6db8")
}

// UnpackInvalidDepartmentCodeError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidDepartmentCode()
func (directory *Directory) UnpackInvalidDepartmentCodeError(raw []byte) (*DirectoryInvalidDepartmentCode, error) {
	out := new(DirectoryInvalidDepartmentCode)
	if err := directory.abi.UnpackIntoInterface(out, "InvalidDepartmentCode", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DirectoryInvalidRole represents a InvalidRole error raised by the Directory contract.
type DirectoryInvalidRole struct {
	Role uint8
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidRole(uint8 role)
func DirectoryInvalidRoleErrorID() common.Hash {
	return common.HexToHash("0xf17864de239d89047e4665b7271d244db7454a63ddcba0725b6ea03427f08765")
}

// UnpackInvalidRoleError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidRole(uint8 role)
func (directory *Directory) UnpackInvalidRoleError(raw []byte) (*DirectoryInvalidRole, error) {
	out := new(DirectoryInvalidRole)
	if err := directory.abi.UnpackIntoInterface(out, "InvalidRole", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DirectoryInvalidServiceName represents a InvalidServiceName error raised by the Directory contract.
type DirectoryInvalidServiceName struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidServiceName()
func DirectoryInvalidServiceNameErrorID() common.Hash {
	return common.HexToHash("0x2a5b28ba9d51c2d80c3b3e2a934f557125d02ec4c0c73767c1002a4f33fe2572")
}

// UnpackInvalidServiceNameError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidServiceName()
func (directory *Directory) UnpackInvalidServiceNameError(raw []byte) (*DirectoryInvalidServiceName, error) {
	out := new(DirectoryInvalidServiceName)
	if err := directory.abi.UnpackIntoInterface(out, "InvalidServiceName", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DirectoryOwnableInvalidOwner represents a OwnableInvalidOwner error raised by the Directory contract.
type DirectoryOwnableInvalidOwner struct {
	Owner common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error OwnableInvalidOwner(address owner)
func DirectoryOwnableInvalidOwnerErrorID() common.Hash {
	return common.HexToHash("0x1e4fbdf7f3ef8bcaa855599e3abf48b232380f183f08f6f813d9ffa5bd585188")
}

// UnpackOwnableInvalidOwnerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error OwnableInvalidOwner(address owner)
func (directory *Directory) UnpackOwnableInvalidOwnerError(raw []byte) (*DirectoryOwnableInvalidOwner, error) {
	out := new(DirectoryOwnableInvalidOwner)
	if err := directory.abi.UnpackIntoInterface(out, "OwnableInvalidOwner", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DirectoryOwnableUnauthorizedAccount represents a OwnableUnauthorizedAccount error raised by the Directory contract.
type DirectoryOwnableUnauthorizedAccount struct {
	Account common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error OwnableUnauthorizedAccount(address account)
func DirectoryOwnableUnauthorizedAccountErrorID() common.Hash {
	return common.HexToHash("0x118cdaa7a341953d1887a2245fd6665d741c67c8c50581daa59e1d03373fa188")
}

// UnpackOwnableUnauthorizedAccountError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error OwnableUnauthorizedAccount(address account)
func (directory *Directory) UnpackOwnableUnauthorizedAccountError(raw []byte) (*DirectoryOwnableUnauthorizedAccount, error) {
	out := new(DirectoryOwnableUnauthorizedAccount)
	if err := directory.abi.UnpackIntoInterface(out, "OwnableUnauthorizedAccount", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DirectoryRoleAlreadyGranted represents a RoleAlreadyGranted error raised by the Directory contract.
type DirectoryRoleAlreadyGranted struct {
	Department [32]byte
	Role       uint8
	Account    common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error RoleAlreadyGranted(bytes32 department, uint8 role, address account)
func DirectoryRoleAlreadyGrantedErrorID() common.Hash {
	return common.HexToHash("0xd4c21a39096d87eb6177a5be481bfa52f1f3e6f8db4ccf748d4e9212a7021fb4")
}

// UnpackRoleAlreadyGrantedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error RoleAlreadyGranted(bytes32 department, uint8 role, address account)
func (directory *Directory) UnpackRoleAlreadyGrantedError(raw []byte) (*DirectoryRoleAlreadyGranted, error) {
	out := new(DirectoryRoleAlreadyGranted)
	if err := directory.abi.UnpackIntoInterface(out, "RoleAlreadyGranted", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DirectoryRoleNotGranted represents a RoleNotGranted error raised by the Directory contract.
type DirectoryRoleNotGranted struct {
	Department [32]byte
	Role       uint8
	Account    common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error RoleNotGranted(bytes32 department, uint8 role, address account)
func DirectoryRoleNotGrantedErrorID() common.Hash {
	return common.HexToHash("0xfe169036b99a081dc188d9d76bc299486e28128096e34451e962c4dec4009c47")
}

// UnpackRoleNotGrantedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error RoleNotGranted(bytes32 department, uint8 role, address account)
func (directory *Directory) UnpackRoleNotGrantedError(raw []byte) (*DirectoryRoleNotGranted, error) {
	out := new(DirectoryRoleNotGranted)
	if err := directory.abi.UnpackIntoInterface(out, "RoleNotGranted", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DirectoryServiceUnchanged represents a ServiceUnchanged error raised by the Directory contract.
type DirectoryServiceUnchanged struct {
	Name           [32]byte
	Implementation common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ServiceUnchanged(bytes32 name, address implementation)
func DirectoryServiceUnchangedErrorID() common.Hash {
	return common.HexToHash("0x662bf59c2739ce9efeac32509ea8e18a68f217f3dd5a7a14232d19c49b0cbfbd")
}

// UnpackServiceUnchangedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ServiceUnchanged(bytes32 name, address implementation)
func (directory *Directory) UnpackServiceUnchangedError(raw []byte) (*DirectoryServiceUnchanged, error) {
	out := new(DirectoryServiceUnchanged)
	if err := directory.abi.UnpackIntoInterface(out, "ServiceUnchanged", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DirectorySignerAlreadyAssigned represents a SignerAlreadyAssigned error raised by the Directory contract.
type DirectorySignerAlreadyAssigned struct {
	Signer     common.Address
	Department [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error SignerAlreadyAssigned(address signer, bytes32 department)
func DirectorySignerAlreadyAssignedErrorID() common.Hash {
	return common.HexToHash("0xf6fee8a6180a6de56f44070a6fd999da26f6bb5a690a430d9d16179c67457ec9")
}

// UnpackSignerAlreadyAssignedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error SignerAlreadyAssigned(address signer, bytes32 department)
func (directory *Directory) UnpackSignerAlreadyAssignedError(raw []byte) (*DirectorySignerAlreadyAssigned, error) {
	out := new(DirectorySignerAlreadyAssigned)
	if err := directory.abi.UnpackIntoInterface(out, "SignerAlreadyAssigned", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DirectoryUnknownDepartment represents a UnknownDepartment error raised by the Directory contract.
type DirectoryUnknownDepartment struct {
	Code [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error UnknownDepartment(bytes32 code)
func DirectoryUnknownDepartmentErrorID() common.Hash {
	return common.HexToHash("0x71acc826287446d19d7c9e4d418ee1bbeb4f7512eec5f4e828b7346f076cbdbd")
}

// UnpackUnknownDepartmentError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error UnknownDepartment(bytes32 code)
func (directory *Directory) UnpackUnknownDepartmentError(raw []byte) (*DirectoryUnknownDepartment, error) {
	out := new(DirectoryUnknownDepartment)
	if err := directory.abi.UnpackIntoInterface(out, "UnknownDepartment", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DirectoryUnknownSigner represents a UnknownSigner error raised by the Directory contract.
type DirectoryUnknownSigner struct {
	Signer common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error UnknownSigner(address signer)
func DirectoryUnknownSignerErrorID() common.Hash {
	return common.HexToHash("0xd7e8a2c26fd6e574581d4dadb54adcae8e49f64b22b2d5386731d559357f82c3")
}

// UnpackUnknownSignerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error UnknownSigner(address signer)
func (directory *Directory) UnpackUnknownSignerError(raw []byte) (*DirectoryUnknownSigner, error) {
	out := new(DirectoryUnknownSigner)
	if err := directory.abi.UnpackIntoInterface(out, "UnknownSigner", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DirectoryZeroAddress represents a ZeroAddress error raised by the Directory contract.
type DirectoryZeroAddress struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ZeroAddress()
func DirectoryZeroAddressErrorID() common.Hash {
	return common.HexToHash("0xd92e233df2717d4a40030e20904abd27b68fcbeede117eaaccbbdac9618c8c73")
}

// UnpackZeroAddressError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ZeroAddress()
func (directory *Directory) UnpackZeroAddressError(raw []byte) (*DirectoryZeroAddress, error) {
	out := new(DirectoryZeroAddress)
	if err := directory.abi.UnpackIntoInterface(out, "ZeroAddress", raw); err != nil {
		return nil, err
	}
	return out, nil
}
