// SPDX-License-Identifier: LGPL-3.0-or-later
pragma solidity 0.8.30;

import {IDirectory} from "./IDirectory.sol";

/// @notice The one thing Anchors asks the Directory besides roles: its admin.
interface IOwned {
    function owner() external view returns (address);
}

/// @title Anchors: checkpoints of the city's existing proof-of-authority chains
/// @notice The Directory's admin registers an external chain: its chain id,
///         genesis hash, consensus kind (Clique or Aura), Clique epoch
///         length (for Aura: the step duration, in seconds), and a trusted
///         checkpoint (number, hash, state root, receipts root) with the
///         validator set at that checkpoint (for Aura: the chain spec's
///         `list`, in its order, which is the proposer order).
///
///         An account holding the ANCHOR_RELAYER role then posts checkpoints
///         (post): the RLP headers from an anchored checkpoint (exclusive) to
///         the new one (inclusive). The contract checks that each header's
///         parent hash is the keccak256 of the header before it, that numbers
///         increase by one, and that the new checkpoint header, every Clique
///         epoch header and every header carrying a vote is sealed by a
///         validator of the tracked set (ecrecover over the Clique seal hash:
///         keccak256 of the header's RLP with the 65-byte seal cut from
///         extra-data). It replays Clique's votes (EIP-225: beneficiary and
///         nonce of non-epoch headers, one vote per signer and account, a
///         majority of the tracked set adds or drops the account, pending
///         votes reset at each epoch header), and checks that an epoch
///         header lists exactly the tracked set, in ascending order.
///
///         A span from the latest checkpoint extends the chain's line. A span
///         from an older checkpoint that ends at an anchored height with a
///         different hash is kept as a conflict (CheckpointConflict, and the
///         conflicts view), never overwriting the first checkpoint.
///
///         For an Aura chain (ADR 070) a posting checks the same hash chain
///         and numbers through headers of 15 RLP fields (the 13 of a legacy
///         header, then step and signature, then the base fee when present),
///         and the seal of the last header: the 65-byte signature (v 0 or 1,
///         s in the lower half) over keccak256 of the header's RLP without
///         its two seal fields recovers to validators[step % len], who is
///         also the header's author. The set changes by postSetChange
///         (ADR 080): the relayer posts the span up to the block after which
///         the chain's new set seals, with that set; Anchors checks the span
///         as post does and, for a change signalled in the span, that more
///         than half of the tracked set sealed, each in its own step, the
///         headers from the signalling block to the last one (the rolling
///         finality the change waits for). The new set itself (from the
///         InitiateChange event or the chain spec) is the relayer's word,
///         recorded with the span (setChanges) for auditors to re-check
///         with consensus/aura (cityctl anchor audit).
/// @dev Not pre-deployed: the admin deploys it and registers it in the
///      Directory as the "anchors" service (ADR 061).
contract Anchors {
    /// @notice Consensus kinds of an external chain.
    enum Consensus {
        None,
        Clique,
        Aura
    }

    /// @notice A checkpoint of an external chain.
    struct Checkpoint {
        bytes32 hash;
        bytes32 stateRoot;
        bytes32 receiptsRoot;
        address sealer; // the validator that sealed it (zero for the trusted one)
        uint64 anchoredAt; // the citychain block that anchored it
    }

    /// @notice A registered external chain.
    struct Chain {
        bytes32 genesisHash;
        Consensus consensus;
        uint64 epoch; // Clique epoch length
        uint64 trustedNumber; // the checkpoint the admin registered
        uint64 latest; // the highest anchored checkpoint
        address[] validators; // the tracked validator set, ascending
        Vote[] votes; // Clique votes pending since the last epoch header
    }

    /// @notice A pending Clique vote: signer votes to add (authorize) or drop candidate.
    struct Vote {
        address signer;
        address candidate;
        bool authorize;
    }

    /// @notice The Clique voting state while a span is replayed.
    struct Tally {
        address[] set;
        Vote[] votes;
        bool changed;
    }

    /// @notice Offsets of the fields a posting reads from one RLP header.
    struct Fields {
        bytes32 parentHash;
        bytes32 stateRoot;
        bytes32 receiptsRoot;
        address coinbase;
        uint64 number;
        uint8 nonce; // NONCE_DROP, NONCE_AUTH or NONCE_OTHER
        uint256 extraItem; // start of extra-data's RLP item
        uint256 extraData; // start of extra-data's bytes
        uint256 extraLen;
        uint256 payload; // start of the list payload
        uint256 end; // end of the header
    }

    /// @notice An Aura validator-set change: `set` seals from block
    ///         `number` + 1; `signal` is the block that signalled it (zero if
    ///         none was checked: a configured list, immediate transitions;
    ///         the registration's entry has both its number and zero).
    struct SetChange {
        uint64 number;
        uint64 signal;
        address[] set;
    }

    /// @notice The sealers counted towards an Aura set change's finality
    ///         while a span is walked, and the last header's sealer.
    struct Finality {
        uint64 signal;
        uint256 count;
        address[] sealers;
        address last;
        bytes32 parent; // the hash the next header must name
        uint64 number; // the number it must have
    }

    /// @notice Where the seal of an Aura header is: the offset of the step's
    ///         item, the step, the signature's bytes and the seal's end.
    struct AuraSeal {
        uint256 start;
        uint64 step;
        uint256 signature;
        uint256 end;
    }

    /// @notice What the admin registers as the trusted checkpoint.
    struct Trusted {
        uint64 number;
        bytes32 hash;
        bytes32 stateRoot;
        bytes32 receiptsRoot;
    }

    /// @notice The Directory role that may post checkpoints. Defined here,
    ///         not in IDirectory.sol's Roles: editing that file would change
    ///         the metadata hash, so the code, of every pre-deployed contract.
    uint8 public constant ANCHOR_RELAYER = 6;

    uint256 private constant VANITY = 32;
    uint256 private constant SEAL = 65;
    // secp256k1n / 2: a signature with a higher s is the twin of a low one.
    uint256 private constant HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0;
    uint8 private constant NONCE_DROP = 0; // 0x0000000000000000: drop, or no vote
    uint8 private constant NONCE_AUTH = 1; // 0xffffffffffffffff: add
    uint8 private constant NONCE_OTHER = 2;
    uint8 private constant BY_SIGNER_ON = 0;
    uint8 private constant BY_SIGNER = 1;
    uint8 private constant ON_CANDIDATE = 2;

    IDirectory public immutable directory; // in the code, no slot

    mapping(uint256 chainId => Chain) private _chains;
    mapping(uint256 chainId => mapping(uint64 number => Checkpoint)) private _checkpoints;
    mapping(uint256 chainId => mapping(uint64 number => Checkpoint[])) private _conflicts;
    mapping(uint256 chainId => SetChange[]) private _setChanges; // Aura chains, oldest first

    /// @notice The directory address was zero.
    error ZeroDirectory();
    /// @notice Only the Directory's admin may register chains.
    error NotAdmin(address account);
    /// @notice Only an account with the ANCHOR_RELAYER role may post.
    error NotAnchorRelayer(address account);
    /// @notice The chain id is already registered.
    error ChainExists(uint256 chainId);
    /// @notice The chain id is not registered.
    error UnknownChain(uint256 chainId);
    /// @notice Only Clique chains are verified in this version.
    error UnsupportedConsensus(uint8 kind);
    /// @notice A registration needs a genesis hash, an epoch and a checkpoint hash.
    error InvalidRegistration();
    /// @notice The validator set was empty, held the zero address or was not
    ///         in strictly ascending order (as Clique's epoch headers list it).
    error InvalidValidatorSet();
    /// @notice The trusted checkpoint must be an epoch header (no votes pending).
    error CheckpointNotEpoch(uint64 number, uint64 epoch);
    /// @notice The posting held no header.
    error EmptySpan();
    /// @notice Header `index` of the span is not a well-formed RLP header.
    error MalformedHeader(uint256 index);
    /// @notice Header `index` does not name the previous header as its parent.
    error BadParentLink(uint256 index, bytes32 have, bytes32 want);
    /// @notice Header `index` has number `have` where `want` follows its parent.
    error BadNumber(uint256 index, uint64 have, uint64 want);
    /// @notice Header `index` carries no valid Clique seal.
    error BadSeal(uint256 index);
    /// @notice Header `index` is sealed by `signer`, not in the tracked set.
    error SignerNotValidator(uint256 index, address signer);
    /// @notice Epoch header `index` does not list exactly the tracked set.
    error BadSignerList(uint256 index);
    /// @notice Aura header `index` at `step` is sealed or authored by `signer`, not by the set's proposer `want`.
    error WrongProposer(uint256 index, uint64 step, address signer, address want);
    /// @notice Header `index` has a nonce other than a Clique vote's, or is
    ///         an epoch header with a beneficiary or a nonce other than zero.
    error BadVote(uint256 index);
    /// @notice The span starts at `from`, not an anchored checkpoint.
    error UnknownCheckpoint(uint256 chainId, uint64 from);
    /// @notice A span past the latest checkpoint must start from it; one
    ///         ending at or below it must end at an anchored height.
    error OutOfOrder(uint64 from, uint64 to, uint64 latest);
    /// @notice The checkpoint at `number` is already anchored with this hash.
    error DuplicateCheckpoint(uint64 number, bytes32 hash);
    /// @notice A set change is posted for Aura chains only.
    error NotAura(uint256 chainId);
    /// @notice The signalling block `signal` is not in the span (from, to].
    error BadSignal(uint64 signal, uint64 from, uint64 to);
    /// @notice Only `sealers` of the tracked set's `size` sealed from the
    ///         signalling block to the span's end: the change is not final.
    error NotFinal(uint64 signal, uint64 to, uint256 sealers, uint256 size);

    /// @notice An external chain was registered with its trusted checkpoint.
    event ChainRegistered(uint256 indexed chainId, bytes32 genesisHash, Consensus consensus, uint64 number, bytes32 hash);
    /// @notice A checkpoint was anchored on the chain's line.
    event CheckpointAnchored(uint256 indexed chainId, uint64 indexed number, bytes32 hash, bytes32 stateRoot, bytes32 receiptsRoot, address sealer);
    /// @notice A second, different checkpoint for an anchored height was kept.
    event CheckpointConflict(uint256 indexed chainId, uint64 indexed number, bytes32 anchored, bytes32 conflicting, address sealer);
    /// @notice A Clique vote passed at block `number`, or an Aura set change
    ///         was posted up to block `number`: the tracked set is now `validators`.
    event ValidatorsChanged(uint256 indexed chainId, uint64 indexed number, address[] validators);

    /// @param directory_ the Directory contract holding the roles and the admin
    constructor(IDirectory directory_) {
        if (address(directory_) == address(0)) revert ZeroDirectory();
        directory = directory_;
    }

    /// @notice Registers an external chain at a trusted checkpoint (admin only).
    function register(
        uint256 chainId,
        bytes32 genesisHash,
        Consensus consensus,
        uint64 epoch,
        Trusted calldata trusted,
        address[] calldata set
    ) external {
        if (msg.sender != IOwned(address(directory)).owner()) revert NotAdmin(msg.sender);
        Chain storage c = _chains[chainId];
        if (c.consensus != Consensus.None) revert ChainExists(chainId);
        if (consensus != Consensus.Clique && consensus != Consensus.Aura) revert UnsupportedConsensus(uint8(consensus));
        if (genesisHash == bytes32(0) || epoch == 0 || trusted.hash == bytes32(0)) revert InvalidRegistration();
        if (consensus == Consensus.Clique) {
            if (trusted.number % epoch != 0) revert CheckpointNotEpoch(trusted.number, epoch);
            _checkSet(set);
        } else {
            _checkAuraSet(set);
            _setChanges[chainId].push(SetChange(trusted.number, 0, set));
        }
        c.genesisHash = genesisHash;
        c.consensus = consensus;
        c.epoch = epoch;
        uint64 number = trusted.number;
        c.trustedNumber = number;
        c.latest = number;
        c.validators = set;
        _checkpoints[chainId][number] = Checkpoint(trusted.hash, trusted.stateRoot, trusted.receiptsRoot, address(0), uint64(block.number));
        emit ChainRegistered(chainId, genesisHash, consensus, number, trusted.hash);
        emit ValidatorsChanged(chainId, number, set);
    }

    /// @notice Posts the headers from the anchored checkpoint `from`
    ///         (exclusive) to a new checkpoint (the last header).
    function post(uint256 chainId, uint64 from, bytes[] calldata headers) external {
        (Chain storage c, bytes32 parent, bool extends) = _span(chainId, from, headers.length);
        Fields memory last;
        bytes32 hash;
        address sealer;
        if (c.consensus == Consensus.Aura) {
            (last, hash, sealer) = _walkAura(_auraSetAt(chainId, from + uint64(headers.length)), parent, from, headers, 0);
        } else {
            (last, hash, sealer) = _walk(chainId, c, parent, from, headers, extends);
        }
        _record(chainId, c, from + uint64(headers.length), extends, Checkpoint(hash, last.stateRoot, last.receiptsRoot, sealer, uint64(block.number)));
    }

    /// @notice Posts an Aura span from the latest checkpoint `from` to the
    ///         block after which `newSet` seals (ADR 080): the span is
    ///         checked as post checks it and, if `signal` is not zero, the
    ///         headers from block `signal` (in the span) to the last must be
    ///         sealed by their steps' proposers in the tracked set, more than
    ///         half of its members among them.
    function postSetChange(uint256 chainId, uint64 from, bytes[] calldata headers, uint64 signal, address[] calldata newSet)
        external
    {
        (Chain storage c, bytes32 parent, bool extends) = _span(chainId, from, headers.length);
        if (c.consensus != Consensus.Aura) revert NotAura(chainId);
        uint64 to = from + uint64(headers.length);
        if (!extends) revert OutOfOrder(from, to, c.latest);
        if (signal != 0 && (signal <= from || signal > to)) revert BadSignal(signal, from, to);
        _checkAuraSet(newSet);
        (Fields memory last, bytes32 hash, address sealer) = _walkAura(c.validators, parent, from, headers, signal);
        _record(chainId, c, to, true, Checkpoint(hash, last.stateRoot, last.receiptsRoot, sealer, uint64(block.number)));
        c.validators = newSet;
        _setChanges[chainId].push(SetChange(to, signal, newSet));
        emit ValidatorsChanged(chainId, to, newSet);
    }

    // _span checks the caller and the span's place: it returns the chain,
    // the hash of the checkpoint it starts from and whether it extends the
    // chain's line.
    function _span(uint256 chainId, uint64 from, uint256 n) private view returns (Chain storage c, bytes32 parent, bool extends) {
        if (directory.departmentWithRole(msg.sender, ANCHOR_RELAYER) == bytes32(0)) revert NotAnchorRelayer(msg.sender);
        c = _chains[chainId];
        if (c.consensus == Consensus.None) revert UnknownChain(chainId);
        if (n == 0) revert EmptySpan();
        parent = _checkpoints[chainId][from].hash;
        if (parent == bytes32(0)) revert UnknownCheckpoint(chainId, from);
        uint64 to = from + uint64(n);
        extends = from == c.latest;
        if (!extends && (to > c.latest || _checkpoints[chainId][to].hash == bytes32(0))) revert OutOfOrder(from, to, c.latest);
    }

    // _record anchors cp at `to` on the line, or keeps it as a conflict.
    function _record(uint256 chainId, Chain storage c, uint64 to, bool extends, Checkpoint memory cp) private {
        if (extends) {
            c.latest = to;
            _checkpoints[chainId][to] = cp;
            emit CheckpointAnchored(chainId, to, cp.hash, cp.stateRoot, cp.receiptsRoot, cp.sealer);
        } else {
            _keepConflict(chainId, to, cp);
        }
    }

    /// @notice The registration of `chainId`.
    function chain(uint256 chainId)
        external
        view
        returns (bytes32 genesisHash, Consensus consensus, uint64 epoch, uint64 trustedNumber, uint64 latest)
    {
        Chain storage c = _chains[chainId];
        return (c.genesisHash, c.consensus, c.epoch, c.trustedNumber, c.latest);
    }

    /// @notice The tracked validator set of `chainId`.
    function validators(uint256 chainId) external view returns (address[] memory) {
        return _chains[chainId].validators;
    }

    /// @notice The Aura validator sets of `chainId`, oldest first: the
    ///         registered one, then each change posted (postSetChange).
    function setChanges(uint256 chainId) external view returns (SetChange[] memory) {
        return _setChanges[chainId];
    }

    /// @notice The Clique votes pending at the latest checkpoint of `chainId`.
    function votes(uint256 chainId) external view returns (Vote[] memory) {
        return _chains[chainId].votes;
    }

    /// @notice The anchored checkpoint at `number` (zero hash if none).
    function checkpoint(uint256 chainId, uint64 number) external view returns (Checkpoint memory) {
        return _checkpoints[chainId][number];
    }

    /// @notice The conflicting checkpoints kept for `number`, oldest first.
    function conflicts(uint256 chainId, uint64 number) external view returns (Checkpoint[] memory) {
        return _conflicts[chainId][number];
    }

    /// @notice Whether a conflicting checkpoint was seen at `number`.
    function isConflicted(uint256 chainId, uint64 number) external view returns (bool) {
        return _conflicts[chainId][number].length > 0;
    }

    // _walk checks the hash chain of headers from (from, parent), replays
    // the Clique votes on the tracked set and checks the seals of the headers
    // that vote, of epoch headers and of the last header; it stores the new
    // set and votes when track is set. It returns the last header's fields,
    // hash and sealer.
    function _walk(uint256 chainId, Chain storage c, bytes32 parent, uint64 from, bytes[] calldata headers, bool track)
        private
        returns (Fields memory f, bytes32 hash, address sealer)
    {
        Tally memory t = Tally(c.validators, c.votes, false);
        uint64 epoch = c.epoch;
        for (uint256 i = 0; i < headers.length; i++) {
            f = _parse(headers[i], i);
            _link(f, parent, from + uint64(i) + 1, i);
            parent = keccak256(headers[i]);
            if (f.number % epoch == 0) {
                sealer = _epochHeader(headers[i], f, i, t);
            } else if (_votes(f, i, t)) {
                sealer = _signer(headers[i], f, i, t.set);
                if (_cast(t, sealer, f.coinbase, f.nonce == NONCE_AUTH) && track) {
                    emit ValidatorsChanged(chainId, f.number, t.set);
                }
            } else if (i + 1 == headers.length) {
                sealer = _signer(headers[i], f, i, t.set);
            }
        }
        hash = parent;
        if (track && t.changed) _store(c, t);
    }

    function _link(Fields memory f, bytes32 parent, uint64 want, uint256 i) private pure {
        if (f.parentHash != parent) revert BadParentLink(i, f.parentHash, parent);
        if (f.number != want) revert BadNumber(i, f.number, want);
    }

    // _signer returns the sealer of header i, a member of set.
    function _signer(bytes calldata h, Fields memory f, uint256 i, address[] memory set) private pure returns (address sealer) {
        sealer = _sealer(h, f, i);
        if (!_contains(set, sealer)) revert SignerNotValidator(i, sealer);
    }

    // _epochHeader checks epoch header i: no vote, sealed by a member of the
    // set, listing exactly the set; it discards the pending votes.
    function _epochHeader(bytes calldata h, Fields memory f, uint256 i, Tally memory t) private pure returns (address sealer) {
        if (f.coinbase != address(0) || f.nonce != NONCE_DROP) revert BadVote(i);
        sealer = _signer(h, f, i, t.set);
        _checkSignerList(h, f, i, t.set);
        if (t.votes.length > 0) {
            t.votes = new Vote[](0);
            t.changed = true;
        }
    }

    // _votes tells whether non-epoch header i can change the tally: it names
    // an account, or votes to add the zero account, or may replace a pending
    // vote on the zero account. Headers with neither beneficiary nor vote are
    // skipped without recovering their sealer.
    function _votes(Fields memory f, uint256 i, Tally memory t) private pure returns (bool) {
        if (f.nonce == NONCE_OTHER) revert BadVote(i);
        return f.coinbase != address(0) || f.nonce == NONCE_AUTH || _count(t.votes, address(0)) > 0;
    }

    // _cast applies signer's vote on candidate as Clique does, and returns
    // whether it changed the set.
    function _cast(Tally memory t, address signer, address candidate, bool authorize) private pure returns (bool) {
        t.changed = true;
        t.votes = _dropVotes(t.votes, signer, candidate, BY_SIGNER_ON);
        bool member = _contains(t.set, candidate);
        if (member != authorize) t.votes = _push(t.votes, Vote(signer, candidate, authorize));
        if (_count(t.votes, candidate) <= t.set.length / 2) return false;
        if (member) {
            t.set = _remove(t.set, candidate);
            t.votes = _dropVotes(t.votes, candidate, address(0), BY_SIGNER);
        } else {
            t.set = _insert(t.set, candidate);
        }
        t.votes = _dropVotes(t.votes, address(0), candidate, ON_CANDIDATE);
        return true;
    }

    function _store(Chain storage c, Tally memory t) private {
        c.validators = t.set;
        delete c.votes;
        for (uint256 i = 0; i < t.votes.length; i++) {
            c.votes.push(t.votes[i]);
        }
    }

    // _walkAura checks the hash chain of Aura headers from (from, parent)
    // and the seal of the last one against set; with a signal, also the
    // seals from block signal on, which more than half of set must share.
    // It returns the last header's fields, hash and sealer.
    function _walkAura(address[] storage set, bytes32 parent, uint64 from, bytes[] calldata headers, uint64 signal)
        private
        view
        returns (Fields memory f, bytes32 hash, address sealer)
    {
        Finality memory fin = Finality(signal, 0, new address[](set.length), address(0), parent, from + 1);
        for (uint256 i = 0; i < headers.length; i++) {
            f = _auraHeader(set, headers[i], i, i + 1 == headers.length, fin);
        }
        if (signal != 0 && 2 * fin.count <= set.length) revert NotFinal(signal, f.number, fin.count, set.length);
        return (f, fin.parent, fin.last);
    }

    // _auraHeader reads Aura header i, checks its link and number against
    // fin, and, if it is the last one or at or after the signal, its seal by
    // its step's proposer in set, counting the distinct sealers in fin.
    function _auraHeader(address[] storage set, bytes calldata h, uint256 i, bool last, Finality memory fin)
        private
        view
        returns (Fields memory f)
    {
        AuraSeal memory seal;
        (f, seal) = _parseAura(h, i);
        _link(f, fin.parent, fin.number, i);
        (fin.parent, fin.number) = (keccak256(h), fin.number + 1);
        if (!last && (fin.signal == 0 || f.number < fin.signal)) return f;
        address sealer = _auraProposer(h, f, seal, i, set);
        fin.last = sealer;
        if (fin.signal != 0 && !_contains(fin.sealers, sealer)) fin.sealers[fin.count++] = sealer;
    }

    // _auraProposer returns the sealer of Aura header i, which must be its
    // step's proposer in set and its author.
    function _auraProposer(bytes calldata h, Fields memory f, AuraSeal memory seal, uint256 i, address[] storage set)
        private
        view
        returns (address sealer)
    {
        sealer = _auraSealer(h, f, seal, i);
        address want = set[seal.step % set.length];
        if (sealer != want || f.coinbase != want) revert WrongProposer(i, seal.step, sealer, want);
    }

    // _auraSetAt returns the tracked set that seals block n of an Aura
    // chain: the last one recorded before n.
    function _auraSetAt(uint256 chainId, uint64 n) private view returns (address[] storage) {
        SetChange[] storage changes = _setChanges[chainId];
        for (uint256 i = changes.length; i > 0; i--) {
            if (changes[i - 1].number < n) return changes[i - 1].set;
        }
        return changes[0].set;
    }

    // _parseAura reads an Aura header: a list of 15 items (items 0, 2, 3, 5
    // and 8 as in _parse, 13 the step, 14 the 65-byte signature), then the
    // base fee or nothing. A third seal field (empty steps, a list) is
    // refused as malformed.
    function _parseAura(bytes calldata h, uint256 index) private pure returns (Fields memory f, AuraSeal memory seal) {
        (uint256 p, uint256 len, bool isList) = _item(h, 0, index);
        if (!isList || p + len != h.length) revert MalformedHeader(index);
        f.payload = p;
        f.end = h.length;
        uint256 off = p;
        for (uint256 k = 0; k < 15; k++) {
            off = _auraItem(h, off, k, f, seal, index);
        }
        if (off < f.end) {
            (uint256 d, uint256 l, bool list) = _item(h, off, index);
            if (list || d + l != f.end) revert MalformedHeader(index);
        }
    }

    // _auraItem reads item k of an Aura header at off into f or seal and
    // returns the offset of the next item.
    function _auraItem(bytes calldata h, uint256 off, uint256 k, Fields memory f, AuraSeal memory seal, uint256 index)
        private
        pure
        returns (uint256)
    {
        if (off >= f.end) revert MalformedHeader(index);
        (uint256 d, uint256 l, bool list) = _item(h, off, index);
        if (list || d + l > f.end) revert MalformedHeader(index);
        if (k == 0) f.parentHash = _word(h, d, l, index);
        else if (k == 2) f.coinbase = _address(h, d, l, index);
        else if (k == 3) f.stateRoot = _word(h, d, l, index);
        else if (k == 5) f.receiptsRoot = _word(h, d, l, index);
        else if (k == 8) f.number = _uint64(h, d, l, index);
        else if (k == 13) (seal.start, seal.step) = (off, _uint64(h, d, l, index));
        else if (k == 14) {
            if (l != SEAL) revert BadSeal(index);
            (seal.signature, seal.end) = (d, d + l);
        }
        return d + l;
    }

    // _auraSealer recovers the signer of Aura header h: keccak256 of the RLP
    // list of its items without step and signature (base fee kept).
    function _auraSealer(bytes calldata h, Fields memory f, AuraSeal memory seal, uint256 index)
        private
        pure
        returns (address signer)
    {
        uint256 payloadLen = (seal.start - f.payload) + (f.end - seal.end);
        bytes32 bareHash = keccak256(abi.encodePacked(_prefix(0xc0, payloadLen), h[f.payload:seal.start], h[seal.end:f.end]));
        uint256 s = seal.signature;
        bytes32 r = bytes32(h[s:s + 32]);
        bytes32 ss = bytes32(h[s + 32:s + 64]);
        uint8 v = uint8(h[s + 64]);
        if (v > 1 || uint256(ss) > HALF_N) revert BadSeal(index);
        signer = ecrecover(bareHash, v + 27, r, ss);
        if (signer == address(0)) revert BadSeal(index);
    }

    // _checkAuraSet checks an Aura validator list: not empty, no zero
    // address, no duplicate. Its order is the chain spec's, not sorted.
    function _checkAuraSet(address[] calldata set) private pure {
        if (set.length == 0) revert InvalidValidatorSet();
        for (uint256 i = 0; i < set.length; i++) {
            if (set[i] == address(0)) revert InvalidValidatorSet();
            for (uint256 j = 0; j < i; j++) {
                if (set[j] == set[i]) revert InvalidValidatorSet();
            }
        }
    }

    function _keepConflict(uint256 chainId, uint64 number, Checkpoint memory cp) private {
        bytes32 anchored = _checkpoints[chainId][number].hash;
        if (anchored == cp.hash) revert DuplicateCheckpoint(number, cp.hash);
        Checkpoint[] storage list = _conflicts[chainId][number];
        for (uint256 i = 0; i < list.length; i++) {
            if (list[i].hash == cp.hash) revert DuplicateCheckpoint(number, cp.hash);
        }
        list.push(cp);
        emit CheckpointConflict(chainId, number, anchored, cp.hash, cp.sealer);
    }

    // _parse reads the fields a posting needs from an RLP header: a list whose
    // items 0, 3, 5, 8 and 12 are parent hash, state root, receipts root,
    // number and extra-data; at least the 15 fields of a pre-London header.
    function _parse(bytes calldata h, uint256 index) private pure returns (Fields memory f) {
        (uint256 p, uint256 len, bool isList) = _item(h, 0, index);
        if (!isList || p + len != h.length) revert MalformedHeader(index);
        f.payload = p;
        f.end = h.length;
        uint256 off = p;
        for (uint256 k = 0; k < 15; k++) {
            if (off >= f.end) revert MalformedHeader(index);
            (uint256 d, uint256 l, bool list) = _item(h, off, index);
            if (list || d + l > f.end) revert MalformedHeader(index);
            if (k == 0) f.parentHash = _word(h, d, l, index);
            else if (k == 2) f.coinbase = _address(h, d, l, index);
            else if (k == 3) f.stateRoot = _word(h, d, l, index);
            else if (k == 5) f.receiptsRoot = _word(h, d, l, index);
            else if (k == 8) f.number = _uint64(h, d, l, index);
            else if (k == 12) (f.extraItem, f.extraData, f.extraLen) = (off, d, l);
            else if (k == 14) f.nonce = _nonce(h, d, l, index);
            off = d + l;
        }
        if (f.extraLen < VANITY + SEAL) revert BadSeal(index);
    }

    // _item decodes the RLP prefix at off: the start and length of its data,
    // and whether it is a list.
    function _item(bytes calldata h, uint256 off, uint256 index) private pure returns (uint256 data, uint256 len, bool list) {
        if (off >= h.length) revert MalformedHeader(index);
        uint8 b = uint8(h[off]);
        if (b < 0x80) return (off, 1, false);
        if (b < 0xb8) return (off + 1, b - 0x80, false);
        if (b < 0xc0) return _long(h, off, b - 0xb7, false, index);
        if (b < 0xf8) return (off + 1, b - 0xc0, true);
        return _long(h, off, b - 0xf7, true, index);
    }

    function _long(bytes calldata h, uint256 off, uint256 n, bool list, uint256 index)
        private
        pure
        returns (uint256 data, uint256 len, bool)
    {
        if (off + 1 + n > h.length || n > 4 || h[off + 1] == 0) revert MalformedHeader(index);
        for (uint256 i = 0; i < n; i++) {
            len = (len << 8) | uint8(h[off + 1 + i]);
        }
        // Canonical only: the seal hash re-encodes the list and extra-data
        // prefixes, so a padded prefix would anchor a hash no block has.
        if (len < 56) revert MalformedHeader(index);
        return (off + 1 + n, len, list);
    }

    function _word(bytes calldata h, uint256 d, uint256 l, uint256 index) private pure returns (bytes32) {
        if (l != 32) revert MalformedHeader(index);
        return bytes32(h[d:d + 32]);
    }

    function _address(bytes calldata h, uint256 d, uint256 l, uint256 index) private pure returns (address) {
        if (l != 20) revert MalformedHeader(index);
        return address(bytes20(h[d:d + 20]));
    }

    function _nonce(bytes calldata h, uint256 d, uint256 l, uint256 index) private pure returns (uint8) {
        if (l != 8) revert MalformedHeader(index);
        uint64 n = uint64(bytes8(h[d:d + 8]));
        if (n == 0) return NONCE_DROP;
        if (n == type(uint64).max) return NONCE_AUTH;
        return NONCE_OTHER;
    }

    function _uint64(bytes calldata h, uint256 d, uint256 l, uint256 index) private pure returns (uint64 v) {
        if (l > 8) revert MalformedHeader(index);
        for (uint256 i = 0; i < l; i++) {
            v = (v << 8) | uint8(h[d + i]);
        }
    }

    // _sealer recovers the Clique signer of h: the seal is the last 65 bytes
    // of extra-data (r, s, v with v 0 or 1) over keccak256 of the header's
    // RLP with extra-data shortened by those 65 bytes.
    function _sealer(bytes calldata h, Fields memory f, uint256 index) private pure returns (address) {
        uint256 shortLen = f.extraLen - SEAL;
        bytes memory extraPrefix = _prefix(0x80, shortLen);
        uint256 payloadLen = (f.end - f.payload) - (f.extraData + f.extraLen - f.extraItem) + extraPrefix.length + shortLen;
        bytes32 sealHash = keccak256(
            abi.encodePacked(
                _prefix(0xc0, payloadLen),
                h[f.payload:f.extraItem],
                extraPrefix,
                h[f.extraData:f.extraData + shortLen],
                h[f.extraData + f.extraLen:f.end]
            )
        );
        uint256 s = f.extraData + shortLen;
        bytes32 r = bytes32(h[s:s + 32]);
        bytes32 ss = bytes32(h[s + 32:s + 64]);
        uint8 v = uint8(h[s + 64]);
        if (v > 1) revert BadSeal(index);
        address signer = ecrecover(sealHash, v + 27, r, ss);
        if (signer == address(0)) revert BadSeal(index);
        return signer;
    }

    // _prefix is the RLP prefix of a string (base 0x80) or list (base 0xc0)
    // of len bytes, len at least 56 for lists and 32 for strings here.
    function _prefix(uint8 base, uint256 len) private pure returns (bytes memory) {
        if (len < 56) return abi.encodePacked(uint8(base + len));
        uint256 n = 0;
        for (uint256 l = len; l > 0; l >>= 8) n++;
        bytes memory out = new bytes(n + 1);
        out[0] = bytes1(uint8(base + 55 + n));
        for (uint256 i = 0; i < n; i++) {
            out[n - i] = bytes1(uint8(len >> (8 * i)));
        }
        return out;
    }

    // _checkSignerList checks that the signer list of a Clique epoch header
    // (the bytes of extra-data between the 32-byte vanity and the seal, 20
    // per signer) is exactly set, in the same (ascending) order.
    function _checkSignerList(bytes calldata h, Fields memory f, uint256 index, address[] memory set) private pure {
        uint256 n = f.extraLen - VANITY - SEAL;
        if (n != 20 * set.length) revert BadSignerList(index);
        uint256 base = f.extraData + VANITY;
        for (uint256 i = 0; i < set.length; i++) {
            if (address(bytes20(h[base + 20 * i:base + 20 * i + 20])) != set[i]) revert BadSignerList(index);
        }
    }

    // _count is the number of pending votes on candidate.
    function _count(Vote[] memory vs, address candidate) private pure returns (uint256 n) {
        for (uint256 i = 0; i < vs.length; i++) {
            if (vs[i].candidate == candidate) n++;
        }
    }

    // _dropVotes returns vs without the votes that match: of signer on
    // candidate (BY_SIGNER_ON), every vote of signer (BY_SIGNER) or every
    // vote on candidate (ON_CANDIDATE).
    function _dropVotes(Vote[] memory vs, address signer, address candidate, uint8 mode) private pure returns (Vote[] memory out) {
        bool[] memory drop = new bool[](vs.length);
        uint256 keep = 0;
        for (uint256 i = 0; i < vs.length; i++) {
            bool bySigner = vs[i].signer == signer;
            bool onCandidate = vs[i].candidate == candidate;
            drop[i] = mode == BY_SIGNER ? bySigner : mode == ON_CANDIDATE ? onCandidate : bySigner && onCandidate;
            if (!drop[i]) keep++;
        }
        if (keep == vs.length) return vs;
        out = new Vote[](keep);
        uint256 k = 0;
        for (uint256 i = 0; i < vs.length; i++) {
            if (!drop[i]) out[k++] = vs[i];
        }
    }

    function _push(Vote[] memory vs, Vote memory v) private pure returns (Vote[] memory out) {
        out = new Vote[](vs.length + 1);
        for (uint256 i = 0; i < vs.length; i++) {
            out[i] = vs[i];
        }
        out[vs.length] = v;
    }

    // _insert returns set (ascending) with a added in its place.
    function _insert(address[] memory set, address a) private pure returns (address[] memory out) {
        out = new address[](set.length + 1);
        uint256 k = 0;
        for (uint256 i = 0; i < set.length; i++) {
            if (k == i && a < set[i]) out[k++] = a;
            out[k++] = set[i];
        }
        if (k == set.length) out[k] = a;
    }

    function _remove(address[] memory set, address a) private pure returns (address[] memory out) {
        out = new address[](set.length - 1);
        uint256 k = 0;
        for (uint256 i = 0; i < set.length; i++) {
            if (set[i] != a) out[k++] = set[i];
        }
    }

    function _contains(address[] memory set, address a) private pure returns (bool) {
        for (uint256 i = 0; i < set.length; i++) {
            if (set[i] == a) return true;
        }
        return false;
    }

    function _checkSet(address[] calldata set) private pure {
        if (set.length == 0 || set[0] == address(0)) revert InvalidValidatorSet();
        for (uint256 i = 1; i < set.length; i++) {
            if (set[i] <= set[i - 1]) revert InvalidValidatorSet();
        }
    }
}
