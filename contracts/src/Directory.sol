// SPDX-License-Identifier: LGPL-3.0-or-later
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";

import {IDirectory, Roles} from "./IDirectory.sol";

/// @title Directory: the city's departments, their roles, accounts and signers, and its services
/// @notice The root of the municipal registry. It records
///         - the city departments (a short code such as "LAND" and a name),
///         - which account acts for which department in which role (Roles in
///           IDirectory.sol); an account belongs to at most one department,
///         - which Clique signer belongs to which department,
///         - the address of each municipal service by name, with every
///           earlier version kept.
///         Only the city admin (the owner) changes it; the admin hands over in
///         two steps (transferOwnership by the admin, acceptOwnership by the
///         new admin) and can never renounce. Every change emits an event.
/// @dev No personal data: departments and accounts only. Storage layout
///      (for eth_getProof): slot 0 owner, slot 1 pending owner (OpenZeppelin
///      Ownable2Step), then the variables below in order from slot 2.
contract Directory is IDirectory, Ownable2Step {
    /// @notice A city department.
    struct Department {
        string name;
        bool exists;
        bool active;
    }

    /// @notice The department an account acts for and its roles (bit r set: role r).
    struct Member {
        bytes32 department;
        uint32 roles;
    }

    mapping(bytes32 code => Department) private _departments; // slot 2
    bytes32[] private _departmentCodes; // slot 3
    mapping(address account => Member) private _members; // slot 4
    mapping(bytes32 code => address[]) private _accounts; // slot 5
    mapping(address account => uint256) private _accountIndex; // slot 6: 1 + index in _accounts
    mapping(address signer => bytes32) private _signerDepartment; // slot 7
    address[] private _signers; // slot 8
    mapping(address signer => uint256) private _signerIndex; // slot 9: 1 + index in _signers
    mapping(bytes32 name => address[]) private _serviceVersions; // slot 10
    bytes32[] private _serviceNames; // slot 11

    /// @notice An address argument was zero.
    error ZeroAddress();
    /// @notice A department code was zero; codes are short non-empty strings such as "LAND".
    error InvalidDepartmentCode();
    /// @notice A department name was empty.
    error EmptyDepartmentName(bytes32 code);
    /// @notice A department with this code already exists.
    error DepartmentExists(bytes32 code);
    /// @notice No department has this code.
    error UnknownDepartment(bytes32 code);
    /// @notice The department is deactivated: it cannot receive roles or signers.
    error DepartmentInactive(bytes32 code);
    /// @notice The department is already in the requested state.
    error DepartmentStateUnchanged(bytes32 code, bool active);
    /// @notice A role number was not below Roles.MAX_ROLES.
    error InvalidRole(uint8 role);
    /// @notice The account already acts for another department; revoke its roles there first.
    error AccountInOtherDepartment(address account, bytes32 department);
    /// @notice The account already holds this role for this department.
    error RoleAlreadyGranted(bytes32 department, uint8 role, address account);
    /// @notice The account does not hold this role for this department.
    error RoleNotGranted(bytes32 department, uint8 role, address account);
    /// @notice The signer already belongs to a department; unassign it first.
    error SignerAlreadyAssigned(address signer, bytes32 department);
    /// @notice The signer belongs to no department.
    error UnknownSigner(address signer);
    /// @notice A service name was zero.
    error InvalidServiceName();
    /// @notice The service already points at this address.
    error ServiceUnchanged(bytes32 name, address implementation);
    /// @notice The city admin cannot be renounced: hand it over with transferOwnership.
    error AdminRenounceRefused();

    /// @notice A department was created.
    event DepartmentAdded(bytes32 indexed code, string name);
    /// @notice A department was renamed.
    event DepartmentRenamed(bytes32 indexed code, string name);
    /// @notice A department was deactivated (its accounts lose their roles' effect) or reactivated.
    event DepartmentActiveSet(bytes32 indexed code, bool active);
    /// @notice An account received a role for a department.
    event RoleGranted(bytes32 indexed department, uint8 indexed role, address indexed account);
    /// @notice An account lost a role for a department.
    event RoleRevoked(bytes32 indexed department, uint8 indexed role, address indexed account);
    /// @notice A Clique signer was recorded as belonging to a department.
    event SignerAssigned(address indexed signer, bytes32 indexed department);
    /// @notice A Clique signer no longer belongs to a department.
    event SignerUnassigned(address indexed signer, bytes32 indexed department);
    /// @notice A service name points at a new address (version counts from 1).
    event ServiceRegistered(bytes32 indexed name, address indexed implementation, uint256 version);

    /// @param admin the city admin account
    constructor(address admin) Ownable(admin) {}

    // ---------------------------------------------------------------- admin

    /// @notice Creates an active department.
    function addDepartment(bytes32 code, string calldata name) external onlyOwner {
        if (code == bytes32(0)) revert InvalidDepartmentCode();
        if (bytes(name).length == 0) revert EmptyDepartmentName(code);
        if (_departments[code].exists) revert DepartmentExists(code);
        _departments[code] = Department({name: name, exists: true, active: true});
        _departmentCodes.push(code);
        emit DepartmentAdded(code, name);
    }

    /// @notice Renames a department.
    function renameDepartment(bytes32 code, string calldata name) external onlyOwner {
        Department storage d = _existing(code);
        if (bytes(name).length == 0) revert EmptyDepartmentName(code);
        d.name = name;
        emit DepartmentRenamed(code, name);
    }

    /// @notice Deactivates a department (its accounts act for nobody until it
    ///         is reactivated) or reactivates it.
    function setDepartmentActive(bytes32 code, bool active) external onlyOwner {
        Department storage d = _existing(code);
        if (d.active == active) revert DepartmentStateUnchanged(code, active);
        d.active = active;
        emit DepartmentActiveSet(code, active);
    }

    /// @notice Grants `role` for `department` to `account`. An account acts
    ///         for one department only.
    function grantRole(bytes32 department, uint8 role, address account) external onlyOwner {
        if (account == address(0)) revert ZeroAddress();
        if (role >= Roles.MAX_ROLES) revert InvalidRole(role);
        if (!_existing(department).active) revert DepartmentInactive(department);
        Member storage m = _members[account];
        if (m.roles != 0 && m.department != department) revert AccountInOtherDepartment(account, m.department);
        uint32 bit = uint32(1) << role;
        if (m.roles & bit != 0) revert RoleAlreadyGranted(department, role, account);
        if (m.roles == 0) {
            m.department = department;
            _accounts[department].push(account);
            _accountIndex[account] = _accounts[department].length;
        }
        m.roles |= bit;
        emit RoleGranted(department, role, account);
    }

    /// @notice Revokes `role` for `department` from `account`; an account
    ///         left without roles leaves the department.
    function revokeRole(bytes32 department, uint8 role, address account) external onlyOwner {
        if (role >= Roles.MAX_ROLES) revert InvalidRole(role);
        Member storage m = _members[account];
        uint32 bit = uint32(1) << role;
        if (m.department != department || m.roles & bit == 0) revert RoleNotGranted(department, role, account);
        m.roles &= ~bit;
        if (m.roles == 0) {
            delete m.department;
            _removeAccount(department, account);
        }
        emit RoleRevoked(department, role, account);
    }

    /// @notice Records that Clique signer `signer` belongs to `department`.
    function assignSigner(address signer, bytes32 department) external onlyOwner {
        if (signer == address(0)) revert ZeroAddress();
        if (!_existing(department).active) revert DepartmentInactive(department);
        bytes32 current = _signerDepartment[signer];
        if (current != bytes32(0)) revert SignerAlreadyAssigned(signer, current);
        _signerDepartment[signer] = department;
        _signers.push(signer);
        _signerIndex[signer] = _signers.length;
        emit SignerAssigned(signer, department);
    }

    /// @notice Removes the department record of Clique signer `signer`.
    function unassignSigner(address signer) external onlyOwner {
        bytes32 department = _signerDepartment[signer];
        if (department == bytes32(0)) revert UnknownSigner(signer);
        delete _signerDepartment[signer];
        uint256 i = _signerIndex[signer] - 1;
        address last = _signers[_signers.length - 1];
        _signers[i] = last;
        _signerIndex[last] = i + 1;
        _signers.pop();
        delete _signerIndex[signer];
        emit SignerUnassigned(signer, department);
    }

    /// @notice Points service `name` at `implementation`, as its next version.
    function setService(bytes32 name, address implementation) external onlyOwner {
        if (name == bytes32(0)) revert InvalidServiceName();
        if (implementation == address(0)) revert ZeroAddress();
        address[] storage versions = _serviceVersions[name];
        if (versions.length == 0) {
            _serviceNames.push(name);
        } else if (versions[versions.length - 1] == implementation) {
            revert ServiceUnchanged(name, implementation);
        }
        versions.push(implementation);
        emit ServiceRegistered(name, implementation, versions.length);
    }

    /// @notice Refused: a registry must always have a city admin.
    function renounceOwnership() public view override onlyOwner {
        revert AdminRenounceRefused();
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IDirectory
    function departmentWithRole(address account, uint8 role) external view returns (bytes32) {
        if (role >= Roles.MAX_ROLES) return bytes32(0);
        Member storage m = _members[account];
        if (m.roles & (uint32(1) << role) == 0 || !_departments[m.department].active) return bytes32(0);
        return m.department;
    }

    /// @notice Whether `account` acts for `department` in `role` (the department being active).
    function hasRole(bytes32 department, uint8 role, address account) external view returns (bool) {
        if (role >= Roles.MAX_ROLES) return false;
        Member storage m = _members[account];
        return m.department == department && m.roles & (uint32(1) << role) != 0 && _departments[department].active;
    }

    /// @notice The department of `account` and its role mask (bit r: role r), zero if none.
    function memberOf(address account) external view returns (bytes32 department, uint32 roles) {
        Member storage m = _members[account];
        return (m.department, m.roles);
    }

    /// @notice A department's name and state; exists is false for an unknown code.
    function departmentInfo(bytes32 code) external view returns (string memory name, bool exists, bool active) {
        Department storage d = _departments[code];
        return (d.name, d.exists, d.active);
    }

    /// @notice The codes of every department ever added, in order of creation.
    function departments() external view returns (bytes32[] memory) {
        return _departmentCodes;
    }

    /// @notice The accounts holding at least one role for `code`.
    function accountsOf(bytes32 code) external view returns (address[] memory) {
        return _accounts[code];
    }

    /// @notice The department of Clique signer `signer`, zero if none.
    function signerDepartment(address signer) external view returns (bytes32) {
        return _signerDepartment[signer];
    }

    /// @notice The Clique signers that belong to a department.
    function signers() external view returns (address[] memory) {
        return _signers;
    }

    /// @notice The current address and version (from 1) of service `name`; zero and 0 if none.
    function service(bytes32 name) external view returns (address implementation, uint256 version) {
        address[] storage versions = _serviceVersions[name];
        version = versions.length;
        if (version > 0) implementation = versions[version - 1];
    }

    /// @notice Every address service `name` has had, oldest first (version i+1 at index i).
    function serviceVersions(bytes32 name) external view returns (address[] memory) {
        return _serviceVersions[name];
    }

    /// @notice The names of every service ever registered.
    function services() external view returns (bytes32[] memory) {
        return _serviceNames;
    }

    // ---------------------------------------------------------------- internal

    function _existing(bytes32 code) private view returns (Department storage d) {
        d = _departments[code];
        if (!d.exists) revert UnknownDepartment(code);
    }

    function _removeAccount(bytes32 code, address account) private {
        address[] storage list = _accounts[code];
        uint256 i = _accountIndex[account] - 1;
        address last = list[list.length - 1];
        list[i] = last;
        _accountIndex[last] = i + 1;
        list.pop();
        delete _accountIndex[account];
    }
}
