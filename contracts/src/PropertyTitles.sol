// SPDX-License-Identifier: LGPL-3.0-or-later
pragma solidity 0.8.30;

import {IDirectory, Roles} from "./IDirectory.sol";

/// @title PropertyTitles: parcels, owners and shares, transfers, liens, history
/// @notice Parcels are keyed by cadastral number, written as a left-aligned
///         bytes32 string (Solidity's bytes32("77:01:0004012:1234")), at most
///         32 bytes. A registrar (REGISTRAR role in the Directory) registers a
///         parcel with its owners and their shares (positive integers; an
///         owner holds share / total of the parcel).
///
///         A transfer takes three parties: an owner offers some or all of its
///         share to a buyer, the buyer accepts, a registrar approves; only then
///         does the share move. A parcel has at most one transfer pending.
///         Either party may cancel before approval, and a registrar may refuse.
///
///         A registrar records a lien (for instance a mortgage) naming the
///         account that holds it (a bank's); only that account releases it.
///         While a parcel has an unreleased lien, no transfer can be offered or
///         approved.
///
///         Every change emits an event and appends an entry to the parcel's
///         on-chain history, so the full history can be read (and proven with
///         eth_getProof) without relying on a node that kept the logs.
///         Owners are accounts: no names or other personal data on chain.
/// @dev Storage layout (for eth_getProof): slot 0 directory, then the
///      variables below in order from slot 1.
contract PropertyTitles {
    /// @notice What a history entry records.
    enum Action {
        Registered, // party: owner, share: its share, ref: registrar department
        Offered, // party: seller, counterparty: buyer, share
        Accepted, // party: buyer, counterparty: seller, share
        Approved, // party: seller, counterparty: buyer, share, ref: registrar department
        Cancelled, // party: who cancelled, counterparty: the other party or seller, share
        LienAdded, // party: lien holder, ref: lien id
        LienReleased // party: lien holder, ref: lien id
    }

    /// @notice Where a pending transfer stands.
    enum Stage {
        None,
        Offered,
        Accepted
    }

    /// @notice A parcel's registration.
    struct Parcel {
        uint64 registeredAt;
        uint32 activeLiens;
        address[] owners;
    }

    /// @notice The pending transfer of a parcel.
    struct Transfer {
        address seller;
        address buyer;
        uint64 share;
        Stage stage;
    }

    /// @notice A lien on a parcel.
    struct Lien {
        bytes32 parcel;
        address holder;
        uint64 createdAt;
        uint64 releasedAt; // 0: in force
        bytes32 ref; // the holder's reference, e.g. a hash of the mortgage contract
    }

    /// @notice One entry of a parcel's history.
    struct Entry {
        Action action;
        uint64 time;
        address party;
        address counterparty;
        uint64 share;
        bytes32 ref;
    }

    /// @notice Most owners a parcel may have.
    uint256 public constant MAX_OWNERS = 64;

    /// @notice The Directory asked for registrar roles.
    IDirectory public directory; // slot 0
    mapping(bytes32 parcel => Parcel) private _parcels; // slot 1
    mapping(bytes32 parcel => mapping(address owner => uint64)) private _shares; // slot 2
    mapping(bytes32 parcel => Transfer) private _transfers; // slot 3
    Lien[] private _liens; // slot 4: lien id i at index i-1
    mapping(bytes32 parcel => uint256[]) private _parcelLiens; // slot 5
    mapping(bytes32 parcel => Entry[]) private _history; // slot 6

    /// @notice The caller holds no REGISTRAR role in an active department.
    error NotRegistrar(address account);
    /// @notice A parcel number was zero.
    error InvalidParcel();
    /// @notice The parcel is already registered.
    error ParcelExists(bytes32 parcel);
    /// @notice The parcel is not registered.
    error UnknownParcel(bytes32 parcel);
    /// @notice A registration named no owners.
    error NoOwners();
    /// @notice A registration, or an offer that keeps the seller and adds a new owner, would
    ///         give the parcel more than MAX_OWNERS owners.
    error TooManyOwners(uint256 have, uint256 max);
    /// @notice owners and shares have different lengths.
    error LengthMismatch(uint256 owners, uint256 shares);
    /// @notice An address argument was zero.
    error ZeroAddress();
    /// @notice An owner was given a zero share.
    error ZeroShare(address owner);
    /// @notice An owner was named twice.
    error DuplicateOwner(address owner);
    /// @notice The caller owns no share of the parcel.
    error NotOwner(bytes32 parcel, address account);
    /// @notice The offered share is zero or more than the seller holds.
    error InvalidShare(uint64 offered, uint64 held);
    /// @notice A seller cannot offer to itself.
    error SelfTransfer(address account);
    /// @notice The parcel already has a transfer pending; it must be approved or cancelled first.
    error TransferPending(bytes32 parcel, address seller, address buyer);
    /// @notice The parcel has no transfer pending.
    error NoPendingTransfer(bytes32 parcel);
    /// @notice The pending transfer is not at the stage this step needs.
    error WrongStage(bytes32 parcel, Stage have, Stage want);
    /// @notice Only the buyer of the pending transfer may accept it.
    error NotBuyer(bytes32 parcel, address account);
    /// @notice Only the seller, the buyer or a registrar may cancel a pending transfer.
    error NotTransferParty(bytes32 parcel, address account);
    /// @notice The parcel has liens in force; they must be released first.
    error ParcelEncumbered(bytes32 parcel, uint32 activeLiens);
    /// @notice No lien has this id.
    error UnknownLien(uint256 id);
    /// @notice Only the lien's holder may release it.
    error NotLienHolder(uint256 id, address account);
    /// @notice The lien was already released.
    error LienAlreadyReleased(uint256 id);

    /// @notice A parcel was registered.
    event ParcelRegistered(bytes32 indexed parcel, bytes32 indexed registrar, address[] owners, uint64[] shares);
    /// @notice An owner offered a share to a buyer.
    event TransferOffered(bytes32 indexed parcel, address indexed seller, address indexed buyer, uint64 share);
    /// @notice The buyer accepted the offer.
    event TransferAccepted(bytes32 indexed parcel, address indexed seller, address indexed buyer, uint64 share);
    /// @notice A registrar approved the transfer and the share moved.
    event TransferApproved(
        bytes32 indexed parcel, address indexed seller, address indexed buyer, uint64 share, bytes32 registrar
    );
    /// @notice The pending transfer was cancelled by `by`.
    event TransferCancelled(bytes32 indexed parcel, address indexed seller, address indexed buyer, address by);
    /// @notice A lien was recorded.
    event LienAdded(uint256 indexed id, bytes32 indexed parcel, address indexed holder, bytes32 ref, bytes32 registrar);
    /// @notice A lien was released by its holder.
    event LienReleased(uint256 indexed id, bytes32 indexed parcel, address indexed holder);

    /// @param directory_ the Directory that grants the REGISTRAR role
    constructor(IDirectory directory_) {
        directory = directory_;
    }

    // ---------------------------------------------------------------- registration

    /// @notice Registers a parcel with its owners and their shares.
    function register(bytes32 parcel, address[] calldata owners, uint64[] calldata shares) external {
        bytes32 registrar = _registrarDepartment();
        if (parcel == bytes32(0)) revert InvalidParcel();
        Parcel storage p = _parcels[parcel];
        if (p.registeredAt != 0) revert ParcelExists(parcel);
        if (owners.length == 0) revert NoOwners();
        if (owners.length > MAX_OWNERS) revert TooManyOwners(owners.length, MAX_OWNERS);
        if (owners.length != shares.length) revert LengthMismatch(owners.length, shares.length);
        p.registeredAt = uint64(block.timestamp);
        for (uint256 i = 0; i < owners.length; i++) {
            address owner = owners[i];
            if (owner == address(0)) revert ZeroAddress();
            if (shares[i] == 0) revert ZeroShare(owner);
            if (_shares[parcel][owner] != 0) revert DuplicateOwner(owner);
            _shares[parcel][owner] = shares[i];
            p.owners.push(owner);
            _record(parcel, Action.Registered, owner, address(0), shares[i], registrar);
        }
        emit ParcelRegistered(parcel, registrar, owners, shares);
    }

    // ---------------------------------------------------------------- transfers

    /// @notice The caller, an owner, offers `share` of its holding to `buyer`.
    function offer(bytes32 parcel, address buyer, uint64 share) external {
        Parcel storage p = _existing(parcel);
        uint64 held = _shares[parcel][msg.sender];
        if (held == 0) revert NotOwner(parcel, msg.sender);
        if (buyer == address(0)) revert ZeroAddress();
        if (buyer == msg.sender) revert SelfTransfer(msg.sender);
        if (share == 0 || share > held) revert InvalidShare(share, held);
        Transfer storage t = _transfers[parcel];
        if (t.stage != Stage.None) revert TransferPending(parcel, t.seller, t.buyer);
        if (p.activeLiens != 0) revert ParcelEncumbered(parcel, p.activeLiens);
        // Owners are bounded so that reading and updating them stays cheap.
        if (share < held && _shares[parcel][buyer] == 0 && p.owners.length >= MAX_OWNERS) {
            revert TooManyOwners(p.owners.length + 1, MAX_OWNERS);
        }
        _transfers[parcel] = Transfer({seller: msg.sender, buyer: buyer, share: share, stage: Stage.Offered});
        _record(parcel, Action.Offered, msg.sender, buyer, share, bytes32(0));
        emit TransferOffered(parcel, msg.sender, buyer, share);
    }

    /// @notice The buyer accepts the pending offer.
    function accept(bytes32 parcel) external {
        Transfer storage t = _pending(parcel);
        if (msg.sender != t.buyer) revert NotBuyer(parcel, msg.sender);
        if (t.stage != Stage.Offered) revert WrongStage(parcel, t.stage, Stage.Offered);
        t.stage = Stage.Accepted;
        _record(parcel, Action.Accepted, t.buyer, t.seller, t.share, bytes32(0));
        emit TransferAccepted(parcel, t.seller, t.buyer, t.share);
    }

    /// @notice A registrar approves the accepted transfer: the share moves to the buyer.
    function approve(bytes32 parcel) external {
        bytes32 registrar = _registrarDepartment();
        Transfer memory t = _pending(parcel);
        if (t.stage != Stage.Accepted) revert WrongStage(parcel, t.stage, Stage.Accepted);
        Parcel storage p = _parcels[parcel];
        if (p.activeLiens != 0) revert ParcelEncumbered(parcel, p.activeLiens);
        delete _transfers[parcel];

        uint64 left = _shares[parcel][t.seller] - t.share;
        _shares[parcel][t.seller] = left;
        if (left == 0) _removeOwner(p, t.seller);
        if (_shares[parcel][t.buyer] == 0) p.owners.push(t.buyer);
        _shares[parcel][t.buyer] += t.share;
        _record(parcel, Action.Approved, t.seller, t.buyer, t.share, registrar);
        emit TransferApproved(parcel, t.seller, t.buyer, t.share, registrar);
    }

    /// @notice The seller or buyer withdraws, or a registrar refuses, the pending transfer.
    function cancel(bytes32 parcel) external {
        Transfer memory t = _pending(parcel);
        if (
            msg.sender != t.seller && msg.sender != t.buyer
                && directory.departmentWithRole(msg.sender, Roles.REGISTRAR) == bytes32(0)
        ) revert NotTransferParty(parcel, msg.sender);
        delete _transfers[parcel];
        _record(parcel, Action.Cancelled, msg.sender, msg.sender == t.buyer ? t.seller : t.buyer, t.share, bytes32(0));
        emit TransferCancelled(parcel, t.seller, t.buyer, msg.sender);
    }

    // ---------------------------------------------------------------- liens

    /// @notice A registrar records a lien held by `holder`; returns its id (from 1).
    function addLien(bytes32 parcel, address holder, bytes32 ref) external returns (uint256 id) {
        bytes32 registrar = _registrarDepartment();
        Parcel storage p = _existing(parcel);
        if (holder == address(0)) revert ZeroAddress();
        _liens.push(Lien({parcel: parcel, holder: holder, createdAt: uint64(block.timestamp), releasedAt: 0, ref: ref}));
        id = _liens.length;
        _parcelLiens[parcel].push(id);
        p.activeLiens++;
        _record(parcel, Action.LienAdded, holder, address(0), 0, bytes32(id));
        emit LienAdded(id, parcel, holder, ref, registrar);
    }

    /// @notice The holder releases its lien.
    function releaseLien(uint256 id) external {
        if (id == 0 || id > _liens.length) revert UnknownLien(id);
        Lien storage l = _liens[id - 1];
        if (msg.sender != l.holder) revert NotLienHolder(id, msg.sender);
        if (l.releasedAt != 0) revert LienAlreadyReleased(id);
        l.releasedAt = uint64(block.timestamp);
        _parcels[l.parcel].activeLiens--;
        _record(l.parcel, Action.LienReleased, l.holder, address(0), 0, bytes32(id));
        emit LienReleased(id, l.parcel, l.holder);
    }

    // ---------------------------------------------------------------- views

    /// @notice A parcel's registration time (0: not registered), liens in force,
    ///         owners and their shares.
    function parcelInfo(bytes32 parcel_)
        external
        view
        returns (uint64 registeredAt, uint32 activeLiens, address[] memory owners, uint64[] memory shares)
    {
        Parcel storage p = _parcels[parcel_];
        owners = p.owners;
        shares = new uint64[](owners.length);
        for (uint256 i = 0; i < owners.length; i++) {
            shares[i] = _shares[parcel_][owners[i]];
        }
        return (p.registeredAt, p.activeLiens, owners, shares);
    }

    /// @notice The share `owner` holds of `parcel_`.
    function shareOf(bytes32 parcel_, address owner) external view returns (uint64) {
        return _shares[parcel_][owner];
    }

    /// @notice The pending transfer of a parcel (stage None if there is none).
    function pendingTransfer(bytes32 parcel_) external view returns (Transfer memory) {
        return _transfers[parcel_];
    }

    /// @notice A lien by id.
    function lien(uint256 id) external view returns (Lien memory) {
        if (id == 0 || id > _liens.length) revert UnknownLien(id);
        return _liens[id - 1];
    }

    /// @notice The ids of every lien ever recorded on a parcel.
    function liensOf(bytes32 parcel_) external view returns (uint256[] memory) {
        return _parcelLiens[parcel_];
    }

    /// @notice The number of history entries of a parcel.
    function historyLength(bytes32 parcel_) external view returns (uint256) {
        return _history[parcel_].length;
    }

    /// @notice History entries [from, to) of a parcel, oldest first (to is capped at the length).
    function history(bytes32 parcel_, uint256 from, uint256 to) external view returns (Entry[] memory entries) {
        Entry[] storage h = _history[parcel_];
        if (to > h.length) to = h.length;
        if (from >= to) return entries;
        entries = new Entry[](to - from);
        for (uint256 i = from; i < to; i++) {
            entries[i - from] = h[i];
        }
    }

    // ---------------------------------------------------------------- internal

    function _registrarDepartment() private view returns (bytes32 registrar) {
        registrar = directory.departmentWithRole(msg.sender, Roles.REGISTRAR);
        if (registrar == bytes32(0)) revert NotRegistrar(msg.sender);
    }

    function _existing(bytes32 parcel_) private view returns (Parcel storage p) {
        p = _parcels[parcel_];
        if (p.registeredAt == 0) revert UnknownParcel(parcel_);
    }

    function _pending(bytes32 parcel_) private view returns (Transfer storage t) {
        t = _transfers[parcel_];
        if (t.stage == Stage.None) revert NoPendingTransfer(parcel_);
    }

    function _removeOwner(Parcel storage p, address owner) private {
        uint256 n = p.owners.length;
        for (uint256 i = 0; i < n; i++) {
            if (p.owners[i] == owner) {
                p.owners[i] = p.owners[n - 1];
                p.owners.pop();
                return;
            }
        }
    }

    function _record(bytes32 parcel_, Action action, address party, address counterparty, uint64 share, bytes32 ref)
        private
    {
        _history[parcel_].push(
            Entry({
                action: action,
                time: uint64(block.timestamp),
                party: party,
                counterparty: counterparty,
                share: share,
                ref: ref
            })
        );
    }
}
