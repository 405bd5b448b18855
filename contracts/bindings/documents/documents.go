// Code generated via abigen V2 - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package documents

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

// DocumentsBatch is an auto generated low-level Go binding around an user-defined struct.
type DocumentsBatch struct {
	Issuer    [32]byte
	IssuedAt  uint64
	RevokedAt uint64
	Count     uint32
}

// DocumentsDocumentData is an auto generated low-level Go binding around an user-defined struct.
type DocumentsDocumentData struct {
	DocHash    [32]byte
	DocType    [32]byte
	HolderRef  [32]byte
	ValidFrom  uint64
	ValidUntil uint64
}

// DocumentsVerification is an auto generated low-level Go binding around an user-defined struct.
type DocumentsVerification struct {
	Status       uint8
	Issuer       [32]byte
	ValidFrom    uint64
	ValidUntil   uint64
	IssuedAt     uint64
	RevokedAt    uint64
	SupersededAt uint64
	SupersededBy [32]byte
	BatchRoot    [32]byte
}

// DocumentsMetaData contains all meta data concerning the Documents contract.
var DocumentsMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"contractIDirectory\",\"name\":\"directory_\",\"type\":\"address\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"docHash\",\"type\":\"bytes32\"}],\"name\":\"AlreadyRevoked\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"docHash\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"supersededBy\",\"type\":\"bytes32\"}],\"name\":\"AlreadySuperseded\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"root\",\"type\":\"bytes32\"}],\"name\":\"BatchAlreadyRevoked\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"root\",\"type\":\"bytes32\"}],\"name\":\"BatchExists\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"docHash\",\"type\":\"bytes32\"}],\"name\":\"DocumentExists\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"EmptyBatch\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"root\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"docHash\",\"type\":\"bytes32\"}],\"name\":\"InvalidProof\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"validFrom\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"validUntil\",\"type\":\"uint64\"}],\"name\":\"InvalidValidity\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"NotIssuer\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"issuer\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"caller\",\"type\":\"bytes32\"}],\"name\":\"NotIssuingDepartment\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"docHash\",\"type\":\"bytes32\"}],\"name\":\"SelfSupersede\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"root\",\"type\":\"bytes32\"}],\"name\":\"UnknownBatch\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"docHash\",\"type\":\"bytes32\"}],\"name\":\"UnknownDocument\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroHash\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"root\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"issuer\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint32\",\"name\":\"count\",\"type\":\"uint32\"}],\"name\":\"BatchIssued\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"root\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"issuer\",\"type\":\"bytes32\"}],\"name\":\"BatchRevoked\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"docHash\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"issuer\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"docType\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"holderRef\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"validFrom\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"validUntil\",\"type\":\"uint64\"}],\"name\":\"DocumentIssued\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"docHash\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"issuer\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"root\",\"type\":\"bytes32\"}],\"name\":\"DocumentRevoked\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"docHash\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"newDocHash\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"issuer\",\"type\":\"bytes32\"}],\"name\":\"DocumentSuperseded\",\"type\":\"event\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"root\",\"type\":\"bytes32\"}],\"name\":\"batch\",\"outputs\":[{\"components\":[{\"internalType\":\"bytes32\",\"name\":\"issuer\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"issuedAt\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"revokedAt\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"count\",\"type\":\"uint32\"}],\"internalType\":\"structDocuments.Batch\",\"name\":\"\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"directory\",\"outputs\":[{\"internalType\":\"contractIDirectory\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"bytes32\",\"name\":\"docHash\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"docType\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"holderRef\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"validFrom\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"validUntil\",\"type\":\"uint64\"}],\"internalType\":\"structDocuments.DocumentData\",\"name\":\"doc\",\"type\":\"tuple\"}],\"name\":\"issue\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"root\",\"type\":\"bytes32\"},{\"internalType\":\"uint32\",\"name\":\"count\",\"type\":\"uint32\"}],\"name\":\"issueBatch\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"bytes32\",\"name\":\"docHash\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"docType\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"holderRef\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"validFrom\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"validUntil\",\"type\":\"uint64\"}],\"internalType\":\"structDocuments.DocumentData\",\"name\":\"doc\",\"type\":\"tuple\"}],\"name\":\"leaf\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"pure\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"docHash\",\"type\":\"bytes32\"}],\"name\":\"revoke\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"root\",\"type\":\"bytes32\"}],\"name\":\"revokeBatch\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"root\",\"type\":\"bytes32\"},{\"components\":[{\"internalType\":\"bytes32\",\"name\":\"docHash\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"docType\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"holderRef\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"validFrom\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"validUntil\",\"type\":\"uint64\"}],\"internalType\":\"structDocuments.DocumentData\",\"name\":\"doc\",\"type\":\"tuple\"},{\"internalType\":\"bytes32[]\",\"name\":\"proof\",\"type\":\"bytes32[]\"}],\"name\":\"revokeInBatch\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"docHash\",\"type\":\"bytes32\"},{\"components\":[{\"internalType\":\"bytes32\",\"name\":\"docHash\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"docType\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"holderRef\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"validFrom\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"validUntil\",\"type\":\"uint64\"}],\"internalType\":\"structDocuments.DocumentData\",\"name\":\"next\",\"type\":\"tuple\"}],\"name\":\"supersede\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"root\",\"type\":\"bytes32\"},{\"components\":[{\"internalType\":\"bytes32\",\"name\":\"docHash\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"docType\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"holderRef\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"validFrom\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"validUntil\",\"type\":\"uint64\"}],\"internalType\":\"structDocuments.DocumentData\",\"name\":\"doc\",\"type\":\"tuple\"},{\"internalType\":\"bytes32[]\",\"name\":\"proof\",\"type\":\"bytes32[]\"},{\"components\":[{\"internalType\":\"bytes32\",\"name\":\"docHash\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"docType\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"holderRef\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"validFrom\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"validUntil\",\"type\":\"uint64\"}],\"internalType\":\"structDocuments.DocumentData\",\"name\":\"next\",\"type\":\"tuple\"}],\"name\":\"supersedeInBatch\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"docHash\",\"type\":\"bytes32\"}],\"name\":\"verify\",\"outputs\":[{\"components\":[{\"internalType\":\"enumDocuments.Status\",\"name\":\"status\",\"type\":\"uint8\"},{\"internalType\":\"bytes32\",\"name\":\"issuer\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"validFrom\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"validUntil\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"issuedAt\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"revokedAt\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"supersededAt\",\"type\":\"uint64\"},{\"internalType\":\"bytes32\",\"name\":\"supersededBy\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"batchRoot\",\"type\":\"bytes32\"}],\"internalType\":\"structDocuments.Verification\",\"name\":\"v\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"root\",\"type\":\"bytes32\"},{\"components\":[{\"internalType\":\"bytes32\",\"name\":\"docHash\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"docType\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"holderRef\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"validFrom\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"validUntil\",\"type\":\"uint64\"}],\"internalType\":\"structDocuments.DocumentData\",\"name\":\"doc\",\"type\":\"tuple\"},{\"internalType\":\"bytes32[]\",\"name\":\"proof\",\"type\":\"bytes32[]\"}],\"name\":\"verifyInBatch\",\"outputs\":[{\"components\":[{\"internalType\":\"enumDocuments.Status\",\"name\":\"status\",\"type\":\"uint8\"},{\"internalType\":\"bytes32\",\"name\":\"issuer\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"validFrom\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"validUntil\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"issuedAt\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"revokedAt\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"supersededAt\",\"type\":\"uint64\"},{\"internalType\":\"bytes32\",\"name\":\"supersededBy\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"batchRoot\",\"type\":\"bytes32\"}],\"internalType\":\"structDocuments.Verification\",\"name\":\"v\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"}]",
	ID:  "Documents",
	Bin: "0x6080604052348015600f57600080fd5b5060405161139d38038061139d833981016040819052602c916050565b600080546001600160a01b0319166001600160a01b0392909216919091179055607e565b600060208284031215606157600080fd5b81516001600160a01b0381168114607757600080fd5b9392505050565b6113108061008d6000396000f3fe608060405234801561001057600080fd5b50600436106100b45760003560e01c806375e366161161007157806375e366161461014d5780639a69973414610160578063b75c7dc614610173578063c41c2f2414610186578063d63b1706146101b1578063fddaa065146101c457600080fd5b80630c2ad6be146100b95780632f5e9b05146100ce5780633a0fb99d146100e1578063514bf926146100f45780635d0c96f2146101075780636fec36861461012d575b600080fd5b6100cc6100c7366004610fd2565b6102a3565b005b6100cc6100dc366004611048565b610383565b6100cc6100ef3660046110a2565b6103f2565b6100cc610102366004611113565b610463565b61011a610115366004611113565b610477565b6040519081526020015b60405180910390f35b61014061013b366004611048565b610512565b6040516101249190611145565b61014061015b366004610fd2565b6105f8565b6100cc61016e36600461121c565b610698565b6100cc610181366004610fd2565b6106e3565b600054610199906001600160a01b031681565b6040516001600160a01b039091168152602001610124565b6100cc6101bf366004611249565b61072c565b6102536101d2366004610fd2565b604080516080810182526000808252602082018190529181018290526060810191909152506000908152600260209081526040918290208251608081018452815481526001909101546001600160401b0380821693830193909352600160401b810490921692810192909252600160801b900463ffffffff16606082015290565b60405161012491906000608082019050825182526001600160401b0360208401511660208301526001600160401b03604084015116604083015263ffffffff606084015116606083015292915050565b6000818152600260205260408120600181015490916001600160401b0390911690036102ea57604051630877402b60e41b8152600481018390526024015b60405180910390fd5b80546102f59061088f565b6001810154600160401b90046001600160401b03161561032b57604051636eb5340b60e01b8152600481018390526024016102e1565b60018101805467ffffffffffffffff60401b1916600160401b426001600160401b031602179055805460405183907f50e687dd55aec5de8fbfc4e38c00b7e0327d95e1333c10f517ff425428397ade90600090a35050565b6000610391858585856108c5565b905061039c8161088f565b600085815260026020526040902060010154600160401b90046001600160401b0316156103df576040516390315de160e01b8152843560048201526024016102e1565b6103eb8585358361092b565b5050505050565b6000610400868686866108c5565b905061040b8161088f565b600086815260026020526040902060010154600160401b90046001600160401b03161561044e576040516390315de160e01b8152853560048201526024016102e1565b61045b86863583856109b5565b505050505050565b61047461046e610ac0565b82610b59565b50565b60008135602083013560408401356104956080860160608701611282565b6104a560a0870160808801611282565b60408051602081019690965285019390935260608401919091526001600160401b0390811660808401521660a082015260c00160408051601f1981840301815282825280516020918201209083015201604051602081830303815290604052805190602001209050919050565b61051a610f84565b600085815260026020526040902060018101546001600160401b03161580610553575061055184848861054c89610477565b610db9565b155b1561055e57506105f0565b604080516101208101825260008152825460208201529081016105876080880160608901611282565b6001600160401b031681526020016105a560a0880160808901611282565b6001600160401b03908116825260018401548082166020840152600160401b9004166040820152600060608201819052608082015260a00187905291506105ee82878735610dd1565b505b949350505050565b610600610f84565b6000828152600160205260409020805461061a5750919050565b60408051610120810190915280600081528254602082015260038301546001600160401b038082166040840152600160401b820481166060840152600160801b909104166080820152600060a0820181905260c0820181905260e0820181905261010090910181905290925061069290839085610dd1565b50919050565b600082815260016020526040902054806106c857604051630aece7ed60e11b8152600481018490526024016102e1565b6106d18161088f565b6106de60008483856109b5565b505050565b6000818152600160205260409020548061071357604051630aece7ed60e11b8152600481018390526024016102e1565b61071c8161088f565b6107286000838361092b565b5050565b6000610736610ac0565b9050826107565760405163f1ae58d560e01b815260040160405180910390fd5b8163ffffffff1660000361077d5760405163c2e5347d60e01b815260040160405180910390fd5b6000838152600260205260409020600101546001600160401b0316156107b957604051638367361d60e01b8152600481018490526024016102e1565b604080516080810182528281526001600160401b034281166020808401918252600084860181815263ffffffff808a16606088019081528b84526002909452918790209551865592516001909501805493519251909116600160801b0263ffffffff60801b19928516600160401b026001600160801b03199094169590941694909417919091171617905551819084907f9df6295b35b2416a111badd3b4c5f148e2a3e42994cc57fde3b636cc06352a709061088290869063ffffffff91909116815260200190565b60405180910390a3505050565b6000610899610ac0565b905081811461072857604051637602725d60e01b815260048101839052602481018290526044016102e1565b600084815260026020526040902054806108f557604051630877402b60e41b8152600481018690526024016102e1565b61090483838761054c88610477565b6105f057604051633c6db5f960e01b815260048101869052843560248201526044016102e1565b60006109378484610ecb565b80549091506001600160401b031615610966576040516390315de160e01b8152600481018490526024016102e1565b805467ffffffffffffffff1916426001600160401b03161781556040518490839085907f823d67abb55ce93ff04c971682ed17f8e5e962664ff86ef3595ca62796997e8c90600090a450505050565b80358390036109da5760405163d222447960e01b8152600481018490526024016102e1565b60006109e68585610ecb565b80549091506001600160401b031615610a15576040516390315de160e01b8152600481018590526024016102e1565b8054600160401b90046001600160401b031615610a5557600181015460405163075e74e160e31b81526102e1918691600401918252602082015260400190565b805467ffffffffffffffff60401b1916600160401b426001600160401b03160217815581356001820155610a898383610b59565b604051839083359086907fd23346bd9f0590a4f96c779150166d04246775ae054d2ea5aad6ebea8d450a0490600090a45050505050565b600080546040516362a6e19960e11b8152336004820152602481018390526001600160a01b039091169063c54dc33290604401602060405180830381865afa158015610b10573d6000803e3d6000fd5b505050506040513d601f19601f82011682018060405250810190610b3491906112ab565b905080610b5657604051631fe937cf60e11b81523360048201526024016102e1565b90565b8035610b785760405163f1ae58d560e01b815260040160405180910390fd5b610b8860a0820160808301611282565b6001600160401b031615801590610bcf5750610baa6080820160608301611282565b6001600160401b0316610bc360a0830160808401611282565b6001600160401b031611155b15610c2057610be46080820160608301611282565b610bf460a0830160808401611282565b60405163470cda9d60e01b81526001600160401b039283166004820152911660248201526044016102e1565b803560009081526001602052604090205415610c525760405163e709d98560e01b8152813560048201526024016102e1565b6040518060c001604052808381526020018260200135815260200182604001358152602001826060016020810190610c8a9190611282565b6001600160401b03168152602001610ca860a0840160808501611282565b6001600160401b039081168252428116602092830152833560008181526001808552604091829020865181558686015191810191909155858201516002820155606080870151600390920180546080808a015160a0909a01518816600160801b0267ffffffffffffffff60801b199a8916600160401b026001600160801b031990931695909816949094171797909716949094179095559285013593869391927faea86b65cdef9705939a7e20abfc6222e168cee5baf4f66f8cbfd11bc30ee6959287013591610d7d91908801908801611282565b610d8d60a0880160808901611282565b604080519384526001600160401b03928316602085015291169082015260600160405180910390a45050565b600082610dc7868685610f19565b1495945050505050565b6000610ddd8383610ecb565b90508360a001516001600160401b0316600003610e055780546001600160401b031660a08501525b80546001600160401b03600160401b909104811660c0860152600182015460e086015260a08501511615610e52578360045b90816005811115610e4a57610e4a61112f565b905250610ec5565b60c08401516001600160401b031615610e6d57836005610e37565b60608401516001600160401b031615801590610e96575083606001516001600160401b03164210155b15610ea357836003610e37565b83604001516001600160401b0316421015610ec057836002610e37565b600184525b50505050565b6000600360008484604051602001610eed929190918252602082015260400190565b604051602081830303815290604052805190602001208152602001908152602001600020905092915050565b600081815b848110156105ee57610f4882878784818110610f3c57610f3c6112c4565b90506020020135610f52565b9150600101610f1e565b6000818310610f6e576000828152602084905260409020610f7d565b60008381526020839052604090205b9392505050565b604080516101208101909152806000815260006020820181905260408201819052606082018190526080820181905260a0820181905260c0820181905260e082018190526101009091015290565b600060208284031215610fe457600080fd5b5035919050565b600060a0828403121561069257600080fd5b60008083601f84011261100f57600080fd5b5081356001600160401b0381111561102657600080fd5b6020830191508360208260051b850101111561104157600080fd5b9250929050565b60008060008060e0858703121561105e57600080fd5b8435935061106f8660208701610feb565b925060c08501356001600160401b0381111561108a57600080fd5b61109687828801610ffd565b95989497509550505050565b600080600080600061018086880312156110bb57600080fd5b853594506110cc8760208801610feb565b935060c08601356001600160401b038111156110e757600080fd5b6110f388828901610ffd565b909450925061110790508760e08801610feb565b90509295509295909350565b600060a0828403121561112557600080fd5b610f7d8383610feb565b634e487b7160e01b600052602160045260246000fd5b81516101208201906006811061116b57634e487b7160e01b600052602160045260246000fd5b8083525060208301516020830152604083015161119360408401826001600160401b03169052565b5060608301516111ae60608401826001600160401b03169052565b5060808301516111c960808401826001600160401b03169052565b5060a08301516111e460a08401826001600160401b03169052565b5060c08301516111ff60c08401826001600160401b03169052565b5060e083015160e083015261010083015161010083015292915050565b60008060c0838503121561122f57600080fd5b823591506112408460208501610feb565b90509250929050565b6000806040838503121561125c57600080fd5b82359150602083013563ffffffff8116811461127757600080fd5b809150509250929050565b60006020828403121561129457600080fd5b81356001600160401b0381168114610f7d57600080fd5b6000602082840312156112bd57600080fd5b5051919050565b634e487b7160e01b600052603260045260246000fdfea2646970667358221220063e2e8d8671debbbe8104a3562236d5dc4de6e1f4748d1bfaab20e8baa48e7f64736f6c634300081e0033",
}

// Documents is an auto generated Go binding around an Ethereum contract.
type Documents struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *Documents) GetABI() abi.ABI {
	return c.abi
}

// NewDocuments creates a new instance of Documents.
func NewDocuments() *Documents {
	parsed, err := DocumentsMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &Documents{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *Documents) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(address directory_) returns()
func (documents *Documents) PackConstructor(directory_ common.Address) []byte {
	enc, err := documents.abi.Pack("", directory_)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackBatch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfddaa065.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function batch(bytes32 root) view returns((bytes32,uint64,uint64,uint32))
func (documents *Documents) PackBatch(root [32]byte) []byte {
	enc, err := documents.abi.Pack("batch", root)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackBatch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfddaa065.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function batch(bytes32 root) view returns((bytes32,uint64,uint64,uint32))
func (documents *Documents) TryPackBatch(root [32]byte) ([]byte, error) {
	return documents.abi.Pack("batch", root)
}

// UnpackBatch is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xfddaa065.
//
// Solidity: function batch(bytes32 root) view returns((bytes32,uint64,uint64,uint32))
func (documents *Documents) UnpackBatch(data []byte) (DocumentsBatch, error) {
	out, err := documents.abi.Unpack("batch", data)
	if err != nil {
		return *new(DocumentsBatch), err
	}
	out0 := *abi.ConvertType(out[0], new(DocumentsBatch)).(*DocumentsBatch)
	return out0, nil
}

// PackDirectory is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc41c2f24.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function directory() view returns(address)
func (documents *Documents) PackDirectory() []byte {
	enc, err := documents.abi.Pack("directory")
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
func (documents *Documents) TryPackDirectory() ([]byte, error) {
	return documents.abi.Pack("directory")
}

// UnpackDirectory is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xc41c2f24.
//
// Solidity: function directory() view returns(address)
func (documents *Documents) UnpackDirectory(data []byte) (common.Address, error) {
	out, err := documents.abi.Unpack("directory", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackIssue is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x514bf926.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function issue((bytes32,bytes32,bytes32,uint64,uint64) doc) returns()
func (documents *Documents) PackIssue(doc DocumentsDocumentData) []byte {
	enc, err := documents.abi.Pack("issue", doc)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackIssue is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x514bf926.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function issue((bytes32,bytes32,bytes32,uint64,uint64) doc) returns()
func (documents *Documents) TryPackIssue(doc DocumentsDocumentData) ([]byte, error) {
	return documents.abi.Pack("issue", doc)
}

// PackIssueBatch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd63b1706.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function issueBatch(bytes32 root, uint32 count) returns()
func (documents *Documents) PackIssueBatch(root [32]byte, count uint32) []byte {
	enc, err := documents.abi.Pack("issueBatch", root, count)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackIssueBatch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd63b1706.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function issueBatch(bytes32 root, uint32 count) returns()
func (documents *Documents) TryPackIssueBatch(root [32]byte, count uint32) ([]byte, error) {
	return documents.abi.Pack("issueBatch", root, count)
}

// PackLeaf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5d0c96f2.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function leaf((bytes32,bytes32,bytes32,uint64,uint64) doc) pure returns(bytes32)
func (documents *Documents) PackLeaf(doc DocumentsDocumentData) []byte {
	enc, err := documents.abi.Pack("leaf", doc)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackLeaf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5d0c96f2.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function leaf((bytes32,bytes32,bytes32,uint64,uint64) doc) pure returns(bytes32)
func (documents *Documents) TryPackLeaf(doc DocumentsDocumentData) ([]byte, error) {
	return documents.abi.Pack("leaf", doc)
}

// UnpackLeaf is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x5d0c96f2.
//
// Solidity: function leaf((bytes32,bytes32,bytes32,uint64,uint64) doc) pure returns(bytes32)
func (documents *Documents) UnpackLeaf(data []byte) ([32]byte, error) {
	out, err := documents.abi.Unpack("leaf", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackRevoke is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb75c7dc6.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function revoke(bytes32 docHash) returns()
func (documents *Documents) PackRevoke(docHash [32]byte) []byte {
	enc, err := documents.abi.Pack("revoke", docHash)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRevoke is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb75c7dc6.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function revoke(bytes32 docHash) returns()
func (documents *Documents) TryPackRevoke(docHash [32]byte) ([]byte, error) {
	return documents.abi.Pack("revoke", docHash)
}

// PackRevokeBatch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0c2ad6be.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function revokeBatch(bytes32 root) returns()
func (documents *Documents) PackRevokeBatch(root [32]byte) []byte {
	enc, err := documents.abi.Pack("revokeBatch", root)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRevokeBatch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0c2ad6be.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function revokeBatch(bytes32 root) returns()
func (documents *Documents) TryPackRevokeBatch(root [32]byte) ([]byte, error) {
	return documents.abi.Pack("revokeBatch", root)
}

// PackRevokeInBatch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2f5e9b05.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function revokeInBatch(bytes32 root, (bytes32,bytes32,bytes32,uint64,uint64) doc, bytes32[] proof) returns()
func (documents *Documents) PackRevokeInBatch(root [32]byte, doc DocumentsDocumentData, proof [][32]byte) []byte {
	enc, err := documents.abi.Pack("revokeInBatch", root, doc, proof)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRevokeInBatch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2f5e9b05.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function revokeInBatch(bytes32 root, (bytes32,bytes32,bytes32,uint64,uint64) doc, bytes32[] proof) returns()
func (documents *Documents) TryPackRevokeInBatch(root [32]byte, doc DocumentsDocumentData, proof [][32]byte) ([]byte, error) {
	return documents.abi.Pack("revokeInBatch", root, doc, proof)
}

// PackSupersede is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9a699734.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function supersede(bytes32 docHash, (bytes32,bytes32,bytes32,uint64,uint64) next) returns()
func (documents *Documents) PackSupersede(docHash [32]byte, next DocumentsDocumentData) []byte {
	enc, err := documents.abi.Pack("supersede", docHash, next)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSupersede is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9a699734.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function supersede(bytes32 docHash, (bytes32,bytes32,bytes32,uint64,uint64) next) returns()
func (documents *Documents) TryPackSupersede(docHash [32]byte, next DocumentsDocumentData) ([]byte, error) {
	return documents.abi.Pack("supersede", docHash, next)
}

// PackSupersedeInBatch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3a0fb99d.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function supersedeInBatch(bytes32 root, (bytes32,bytes32,bytes32,uint64,uint64) doc, bytes32[] proof, (bytes32,bytes32,bytes32,uint64,uint64) next) returns()
func (documents *Documents) PackSupersedeInBatch(root [32]byte, doc DocumentsDocumentData, proof [][32]byte, next DocumentsDocumentData) []byte {
	enc, err := documents.abi.Pack("supersedeInBatch", root, doc, proof, next)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSupersedeInBatch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3a0fb99d.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function supersedeInBatch(bytes32 root, (bytes32,bytes32,bytes32,uint64,uint64) doc, bytes32[] proof, (bytes32,bytes32,bytes32,uint64,uint64) next) returns()
func (documents *Documents) TryPackSupersedeInBatch(root [32]byte, doc DocumentsDocumentData, proof [][32]byte, next DocumentsDocumentData) ([]byte, error) {
	return documents.abi.Pack("supersedeInBatch", root, doc, proof, next)
}

// PackVerify is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x75e36616.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function verify(bytes32 docHash) view returns((uint8,bytes32,uint64,uint64,uint64,uint64,uint64,bytes32,bytes32) v)
func (documents *Documents) PackVerify(docHash [32]byte) []byte {
	enc, err := documents.abi.Pack("verify", docHash)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackVerify is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x75e36616.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function verify(bytes32 docHash) view returns((uint8,bytes32,uint64,uint64,uint64,uint64,uint64,bytes32,bytes32) v)
func (documents *Documents) TryPackVerify(docHash [32]byte) ([]byte, error) {
	return documents.abi.Pack("verify", docHash)
}

// UnpackVerify is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x75e36616.
//
// Solidity: function verify(bytes32 docHash) view returns((uint8,bytes32,uint64,uint64,uint64,uint64,uint64,bytes32,bytes32) v)
func (documents *Documents) UnpackVerify(data []byte) (DocumentsVerification, error) {
	out, err := documents.abi.Unpack("verify", data)
	if err != nil {
		return *new(DocumentsVerification), err
	}
	out0 := *abi.ConvertType(out[0], new(DocumentsVerification)).(*DocumentsVerification)
	return out0, nil
}

// PackVerifyInBatch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6fec3686.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function verifyInBatch(bytes32 root, (bytes32,bytes32,bytes32,uint64,uint64) doc, bytes32[] proof) view returns((uint8,bytes32,uint64,uint64,uint64,uint64,uint64,bytes32,bytes32) v)
func (documents *Documents) PackVerifyInBatch(root [32]byte, doc DocumentsDocumentData, proof [][32]byte) []byte {
	enc, err := documents.abi.Pack("verifyInBatch", root, doc, proof)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackVerifyInBatch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6fec3686.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function verifyInBatch(bytes32 root, (bytes32,bytes32,bytes32,uint64,uint64) doc, bytes32[] proof) view returns((uint8,bytes32,uint64,uint64,uint64,uint64,uint64,bytes32,bytes32) v)
func (documents *Documents) TryPackVerifyInBatch(root [32]byte, doc DocumentsDocumentData, proof [][32]byte) ([]byte, error) {
	return documents.abi.Pack("verifyInBatch", root, doc, proof)
}

// UnpackVerifyInBatch is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x6fec3686.
//
// Solidity: function verifyInBatch(bytes32 root, (bytes32,bytes32,bytes32,uint64,uint64) doc, bytes32[] proof) view returns((uint8,bytes32,uint64,uint64,uint64,uint64,uint64,bytes32,bytes32) v)
func (documents *Documents) UnpackVerifyInBatch(data []byte) (DocumentsVerification, error) {
	out, err := documents.abi.Unpack("verifyInBatch", data)
	if err != nil {
		return *new(DocumentsVerification), err
	}
	out0 := *abi.ConvertType(out[0], new(DocumentsVerification)).(*DocumentsVerification)
	return out0, nil
}

// DocumentsBatchIssued represents a BatchIssued event raised by the Documents contract.
type DocumentsBatchIssued struct {
	Root   [32]byte
	Issuer [32]byte
	Count  uint32
	Raw    *types.Log // Blockchain specific contextual infos
}

const DocumentsBatchIssuedEventName = "BatchIssued"

// ContractEventName returns the user-defined event name.
func (DocumentsBatchIssued) ContractEventName() string {
	return DocumentsBatchIssuedEventName
}

// UnpackBatchIssuedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event BatchIssued(bytes32 indexed root, bytes32 indexed issuer, uint32 count)
func (documents *Documents) UnpackBatchIssuedEvent(log *types.Log) (*DocumentsBatchIssued, error) {
	event := "BatchIssued"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != documents.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(DocumentsBatchIssued)
	if len(log.Data) > 0 {
		if err := documents.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range documents.abi.Events[event].Inputs {
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

// DocumentsBatchRevoked represents a BatchRevoked event raised by the Documents contract.
type DocumentsBatchRevoked struct {
	Root   [32]byte
	Issuer [32]byte
	Raw    *types.Log // Blockchain specific contextual infos
}

const DocumentsBatchRevokedEventName = "BatchRevoked"

// ContractEventName returns the user-defined event name.
func (DocumentsBatchRevoked) ContractEventName() string {
	return DocumentsBatchRevokedEventName
}

// UnpackBatchRevokedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event BatchRevoked(bytes32 indexed root, bytes32 indexed issuer)
func (documents *Documents) UnpackBatchRevokedEvent(log *types.Log) (*DocumentsBatchRevoked, error) {
	event := "BatchRevoked"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != documents.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(DocumentsBatchRevoked)
	if len(log.Data) > 0 {
		if err := documents.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range documents.abi.Events[event].Inputs {
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

// DocumentsDocumentIssued represents a DocumentIssued event raised by the Documents contract.
type DocumentsDocumentIssued struct {
	DocHash    [32]byte
	Issuer     [32]byte
	DocType    [32]byte
	HolderRef  [32]byte
	ValidFrom  uint64
	ValidUntil uint64
	Raw        *types.Log // Blockchain specific contextual infos
}

const DocumentsDocumentIssuedEventName = "DocumentIssued"

// ContractEventName returns the user-defined event name.
func (DocumentsDocumentIssued) ContractEventName() string {
	return DocumentsDocumentIssuedEventName
}

// UnpackDocumentIssuedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event DocumentIssued(bytes32 indexed docHash, bytes32 indexed issuer, bytes32 indexed docType, bytes32 holderRef, uint64 validFrom, uint64 validUntil)
func (documents *Documents) UnpackDocumentIssuedEvent(log *types.Log) (*DocumentsDocumentIssued, error) {
	event := "DocumentIssued"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != documents.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(DocumentsDocumentIssued)
	if len(log.Data) > 0 {
		if err := documents.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range documents.abi.Events[event].Inputs {
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

// DocumentsDocumentRevoked represents a DocumentRevoked event raised by the Documents contract.
type DocumentsDocumentRevoked struct {
	DocHash [32]byte
	Issuer  [32]byte
	Root    [32]byte
	Raw     *types.Log // Blockchain specific contextual infos
}

const DocumentsDocumentRevokedEventName = "DocumentRevoked"

// ContractEventName returns the user-defined event name.
func (DocumentsDocumentRevoked) ContractEventName() string {
	return DocumentsDocumentRevokedEventName
}

// UnpackDocumentRevokedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event DocumentRevoked(bytes32 indexed docHash, bytes32 indexed issuer, bytes32 indexed root)
func (documents *Documents) UnpackDocumentRevokedEvent(log *types.Log) (*DocumentsDocumentRevoked, error) {
	event := "DocumentRevoked"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != documents.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(DocumentsDocumentRevoked)
	if len(log.Data) > 0 {
		if err := documents.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range documents.abi.Events[event].Inputs {
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

// DocumentsDocumentSuperseded represents a DocumentSuperseded event raised by the Documents contract.
type DocumentsDocumentSuperseded struct {
	DocHash    [32]byte
	NewDocHash [32]byte
	Issuer     [32]byte
	Raw        *types.Log // Blockchain specific contextual infos
}

const DocumentsDocumentSupersededEventName = "DocumentSuperseded"

// ContractEventName returns the user-defined event name.
func (DocumentsDocumentSuperseded) ContractEventName() string {
	return DocumentsDocumentSupersededEventName
}

// UnpackDocumentSupersededEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event DocumentSuperseded(bytes32 indexed docHash, bytes32 indexed newDocHash, bytes32 indexed issuer)
func (documents *Documents) UnpackDocumentSupersededEvent(log *types.Log) (*DocumentsDocumentSuperseded, error) {
	event := "DocumentSuperseded"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != documents.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(DocumentsDocumentSuperseded)
	if len(log.Data) > 0 {
		if err := documents.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range documents.abi.Events[event].Inputs {
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
func (documents *Documents) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], documents.abi.Errors["AlreadyRevoked"].ID.Bytes()[:4]) {
		return documents.UnpackAlreadyRevokedError(raw[4:])
	}
	if bytes.Equal(raw[:4], documents.abi.Errors["AlreadySuperseded"].ID.Bytes()[:4]) {
		return documents.UnpackAlreadySupersededError(raw[4:])
	}
	if bytes.Equal(raw[:4], documents.abi.Errors["BatchAlreadyRevoked"].ID.Bytes()[:4]) {
		return documents.UnpackBatchAlreadyRevokedError(raw[4:])
	}
	if bytes.Equal(raw[:4], documents.abi.Errors["BatchExists"].ID.Bytes()[:4]) {
		return documents.UnpackBatchExistsError(raw[4:])
	}
	if bytes.Equal(raw[:4], documents.abi.Errors["DocumentExists"].ID.Bytes()[:4]) {
		return documents.UnpackDocumentExistsError(raw[4:])
	}
	if bytes.Equal(raw[:4], documents.abi.Errors["EmptyBatch"].ID.Bytes()[:4]) {
		return documents.UnpackEmptyBatchError(raw[4:])
	}
	if bytes.Equal(raw[:4], documents.abi.Errors["InvalidProof"].ID.Bytes()[:4]) {
		return documents.UnpackInvalidProofError(raw[4:])
	}
	if bytes.Equal(raw[:4], documents.abi.Errors["InvalidValidity"].ID.Bytes()[:4]) {
		return documents.UnpackInvalidValidityError(raw[4:])
	}
	if bytes.Equal(raw[:4], documents.abi.Errors["NotIssuer"].ID.Bytes()[:4]) {
		return documents.UnpackNotIssuerError(raw[4:])
	}
	if bytes.Equal(raw[:4], documents.abi.Errors["NotIssuingDepartment"].ID.Bytes()[:4]) {
		return documents.UnpackNotIssuingDepartmentError(raw[4:])
	}
	if bytes.Equal(raw[:4], documents.abi.Errors["SelfSupersede"].ID.Bytes()[:4]) {
		return documents.UnpackSelfSupersedeError(raw[4:])
	}
	if bytes.Equal(raw[:4], documents.abi.Errors["UnknownBatch"].ID.Bytes()[:4]) {
		return documents.UnpackUnknownBatchError(raw[4:])
	}
	if bytes.Equal(raw[:4], documents.abi.Errors["UnknownDocument"].ID.Bytes()[:4]) {
		return documents.UnpackUnknownDocumentError(raw[4:])
	}
	if bytes.Equal(raw[:4], documents.abi.Errors["ZeroHash"].ID.Bytes()[:4]) {
		return documents.UnpackZeroHashError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// DocumentsAlreadyRevoked represents a AlreadyRevoked error raised by the Documents contract.
type DocumentsAlreadyRevoked struct {
	DocHash [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AlreadyRevoked(bytes32 docHash)
func DocumentsAlreadyRevokedErrorID() common.Hash {
	return common.HexToHash("0x90315de188eb047fc54ca36d1436afb1afc987c1864c711074a89029958f122f")
}

// UnpackAlreadyRevokedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AlreadyRevoked(bytes32 docHash)
func (documents *Documents) UnpackAlreadyRevokedError(raw []byte) (*DocumentsAlreadyRevoked, error) {
	out := new(DocumentsAlreadyRevoked)
	if err := documents.abi.UnpackIntoInterface(out, "AlreadyRevoked", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DocumentsAlreadySuperseded represents a AlreadySuperseded error raised by the Documents contract.
type DocumentsAlreadySuperseded struct {
	DocHash      [32]byte
	SupersededBy [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AlreadySuperseded(bytes32 docHash, bytes32 supersededBy)
func DocumentsAlreadySupersededErrorID() common.Hash {
	return common.HexToHash("0x3af3a7087a76149a5f3d534f4fa0e30b3a9976a432264db3eb94e2cdfe5256f7")
}

// UnpackAlreadySupersededError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AlreadySuperseded(bytes32 docHash, bytes32 supersededBy)
func (documents *Documents) UnpackAlreadySupersededError(raw []byte) (*DocumentsAlreadySuperseded, error) {
	out := new(DocumentsAlreadySuperseded)
	if err := documents.abi.UnpackIntoInterface(out, "AlreadySuperseded", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DocumentsBatchAlreadyRevoked represents a BatchAlreadyRevoked error raised by the Documents contract.
type DocumentsBatchAlreadyRevoked struct {
	Root [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BatchAlreadyRevoked(bytes32 root)
func DocumentsBatchAlreadyRevokedErrorID() common.Hash {
	return common.HexToHash("0x6eb5340bddf4702d447e7f46684a9559ce1a97a740229cb5dd749756609bf3c3")
}

// UnpackBatchAlreadyRevokedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BatchAlreadyRevoked(bytes32 root)
func (documents *Documents) UnpackBatchAlreadyRevokedError(raw []byte) (*DocumentsBatchAlreadyRevoked, error) {
	out := new(DocumentsBatchAlreadyRevoked)
	if err := documents.abi.UnpackIntoInterface(out, "BatchAlreadyRevoked", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DocumentsBatchExists represents a BatchExists error raised by the Documents contract.
type DocumentsBatchExists struct {
	Root [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BatchExists(bytes32 root)
func DocumentsBatchExistsErrorID() common.Hash {
	return common.HexToHash("0x8367361d8e9a2335080938899324ecaa8c549dba66648f0502c1cbe69c534b65")
}

// UnpackBatchExistsError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BatchExists(bytes32 root)
func (documents *Documents) UnpackBatchExistsError(raw []byte) (*DocumentsBatchExists, error) {
	out := new(DocumentsBatchExists)
	if err := documents.abi.UnpackIntoInterface(out, "BatchExists", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DocumentsDocumentExists represents a DocumentExists error raised by the Documents contract.
type DocumentsDocumentExists struct {
	DocHash [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error DocumentExists(bytes32 docHash)
func DocumentsDocumentExistsErrorID() common.Hash {
	return common.HexToHash("0xe709d985f45eba16e7830bf83460589c47d8a666c32f5fe52d7e22b5ae71a13c")
}

// UnpackDocumentExistsError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error DocumentExists(bytes32 docHash)
func (documents *Documents) UnpackDocumentExistsError(raw []byte) (*DocumentsDocumentExists, error) {
	out := new(DocumentsDocumentExists)
	if err := documents.abi.UnpackIntoInterface(out, "DocumentExists", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DocumentsEmptyBatch represents a EmptyBatch error raised by the Documents contract.
type DocumentsEmptyBatch struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error EmptyBatch()
func DocumentsEmptyBatchErrorID() common.Hash {
	return common.HexToHash("0xc2e5347df6cf8d1bf68f8a9651642312bd381b900d857d97cd665976180d6ae0")
}

// UnpackEmptyBatchError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error EmptyBatch()
func (documents *Documents) UnpackEmptyBatchError(raw []byte) (*DocumentsEmptyBatch, error) {
	out := new(DocumentsEmptyBatch)
	if err := documents.abi.UnpackIntoInterface(out, "EmptyBatch", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DocumentsInvalidProof represents a InvalidProof error raised by the Documents contract.
type DocumentsInvalidProof struct {
	Root    [32]byte
	DocHash [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidProof(bytes32 root, bytes32 docHash)
func DocumentsInvalidProofErrorID() common.Hash {
	return common.HexToHash("0x3c6db5f91c2eb690f547537ebd8cf139a8a7f10440991199a34c8e8bf4fb5abf")
}

// UnpackInvalidProofError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidProof(bytes32 root, bytes32 docHash)
func (documents *Documents) UnpackInvalidProofError(raw []byte) (*DocumentsInvalidProof, error) {
	out := new(DocumentsInvalidProof)
	if err := documents.abi.UnpackIntoInterface(out, "InvalidProof", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DocumentsInvalidValidity represents a InvalidValidity error raised by the Documents contract.
type DocumentsInvalidValidity struct {
	ValidFrom  uint64
	ValidUntil uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidValidity(uint64 validFrom, uint64 validUntil)
func DocumentsInvalidValidityErrorID() common.Hash {
	return common.HexToHash("0x470cda9db04021beb24f278bf23571540e57ea1e316c3d7822de7545161dfc8b")
}

// UnpackInvalidValidityError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidValidity(uint64 validFrom, uint64 validUntil)
func (documents *Documents) UnpackInvalidValidityError(raw []byte) (*DocumentsInvalidValidity, error) {
	out := new(DocumentsInvalidValidity)
	if err := documents.abi.UnpackIntoInterface(out, "InvalidValidity", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DocumentsNotIssuer represents a NotIssuer error raised by the Documents contract.
type DocumentsNotIssuer struct {
	Account common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotIssuer(address account)
func DocumentsNotIssuerErrorID() common.Hash {
	return common.HexToHash("0x3fd26f9e33c9918e06ecb7ad4289a3ea9a31c60d80fdf1b560567d3b8d749885")
}

// UnpackNotIssuerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotIssuer(address account)
func (documents *Documents) UnpackNotIssuerError(raw []byte) (*DocumentsNotIssuer, error) {
	out := new(DocumentsNotIssuer)
	if err := documents.abi.UnpackIntoInterface(out, "NotIssuer", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DocumentsNotIssuingDepartment represents a NotIssuingDepartment error raised by the Documents contract.
type DocumentsNotIssuingDepartment struct {
	Issuer [32]byte
	Caller [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotIssuingDepartment(bytes32 issuer, bytes32 caller)
func DocumentsNotIssuingDepartmentErrorID() common.Hash {
	return common.HexToHash("0x7602725d78ff3bc723b7e0c3f3d9b58dda93e55ea9b8995057a36abae932a9cf")
}

// UnpackNotIssuingDepartmentError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotIssuingDepartment(bytes32 issuer, bytes32 caller)
func (documents *Documents) UnpackNotIssuingDepartmentError(raw []byte) (*DocumentsNotIssuingDepartment, error) {
	out := new(DocumentsNotIssuingDepartment)
	if err := documents.abi.UnpackIntoInterface(out, "NotIssuingDepartment", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DocumentsSelfSupersede represents a SelfSupersede error raised by the Documents contract.
type DocumentsSelfSupersede struct {
	DocHash [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error SelfSupersede(bytes32 docHash)
func DocumentsSelfSupersedeErrorID() common.Hash {
	return common.HexToHash("0xd2224479805aa537a99a1b1fce707bf2e3afd0c507f3866443c9885cdbc574bf")
}

// UnpackSelfSupersedeError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error SelfSupersede(bytes32 docHash)
func (documents *Documents) UnpackSelfSupersedeError(raw []byte) (*DocumentsSelfSupersede, error) {
	out := new(DocumentsSelfSupersede)
	if err := documents.abi.UnpackIntoInterface(out, "SelfSupersede", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DocumentsUnknownBatch represents a UnknownBatch error raised by the Documents contract.
type DocumentsUnknownBatch struct {
	Root [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error UnknownBatch(bytes32 root)
func DocumentsUnknownBatchErrorID() common.Hash {
	return common.HexToHash("0x877402b0f02e72a5570fa6dee6c9f72e5c506af7dabe7cf05e71286795af739f")
}

// UnpackUnknownBatchError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error UnknownBatch(bytes32 root)
func (documents *Documents) UnpackUnknownBatchError(raw []byte) (*DocumentsUnknownBatch, error) {
	out := new(DocumentsUnknownBatch)
	if err := documents.abi.UnpackIntoInterface(out, "UnknownBatch", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DocumentsUnknownDocument represents a UnknownDocument error raised by the Documents contract.
type DocumentsUnknownDocument struct {
	DocHash [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error UnknownDocument(bytes32 docHash)
func DocumentsUnknownDocumentErrorID() common.Hash {
	return common.HexToHash("0x15d9cfdaa55aec7bb35cdbca3d62bd14e88778c389430786f8f957e1b114ff70")
}

// UnpackUnknownDocumentError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error UnknownDocument(bytes32 docHash)
func (documents *Documents) UnpackUnknownDocumentError(raw []byte) (*DocumentsUnknownDocument, error) {
	out := new(DocumentsUnknownDocument)
	if err := documents.abi.UnpackIntoInterface(out, "UnknownDocument", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DocumentsZeroHash represents a ZeroHash error raised by the Documents contract.
type DocumentsZeroHash struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ZeroHash()
func DocumentsZeroHashErrorID() common.Hash {
	return common.HexToHash("0xf1ae58d53750b958ce0ecfcfb8703282d23f4108c501df126d4c9e83b187c78e")
}

// UnpackZeroHashError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ZeroHash()
func (documents *Documents) UnpackZeroHashError(raw []byte) (*DocumentsZeroHash, error) {
	out := new(DocumentsZeroHash)
	if err := documents.abi.UnpackIntoInterface(out, "ZeroHash", raw); err != nil {
		return nil, err
	}
	return out, nil
}
