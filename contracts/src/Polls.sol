// SPDX-License-Identifier: LGPL-3.0-or-later
pragma solidity 0.8.30;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

import {IDirectory, Roles} from "./IDirectory.sol";

/// @title Polls: Active Citizen polls with ballots signed by residents and relayed in batches
/// @notice A department holding the POLL_ADMIN role creates a poll: a question,
///         2 to 64 options, an open and a close time, and the Merkle root of
///         the eligible voters. A leaf of that tree is
///         keccak256(bytes.concat(keccak256(abi.encode(voterIndex, voter))))
///         for voter number voterIndex (0, 1, 2, ...) of the published list:
///         double hashed as in Documents, inner nodes hash the sorted pair
///         (OpenZeppelin MerkleProof).
///
///         A resident votes by signing the EIP-712 typed data
///         Ballot(uint64 poll,uint32 option) for the domain
///         {name: "CityPolls", version: "1", chainId, verifyingContract: this
///         contract}; the resident needs no ether. An account holding the
///         RELAYER role submits signed ballots in batches (relay): each ballot
///         is checked on its own, a valid one is counted (BallotCast), an
///         invalid one is skipped with BallotRejected naming the rule it broke
///         (the selector of one of the ballot errors below); one bad ballot
///         never fails the batch. Each voter index votes once per poll.
///
///         Tallies are in storage (tallies) and every counted ballot is an
///         event, so anyone can recount a poll from the BallotCast events and
///         compare with the contract.
/// @dev Storage layout (for eth_getProof): slots 0 and 1 are OpenZeppelin
///      EIP712's name and version fallbacks (unused: both fit in immutables),
///      then pollCount and the mappings below in order from slot 2 (the
///      artifact's storageLayout lists them). Voted flags are a
///      bitmap per poll, 256 voter indexes per slot, so a ballot costs a
///      fresh slot only once per 256 voters.
contract Polls is EIP712 {
    /// @notice A poll. Times are seconds since the Unix epoch; voting is open
    ///         while opensAt <= block.timestamp < closesAt and not cancelled.
    struct Poll {
        bytes32 department; // the creating department's code
        bytes32 eligibleRoot; // Merkle root of (voterIndex, voter) leaves
        uint64 opensAt;
        uint64 closesAt;
        uint32 voterCount; // leaves in the eligibility tree
        uint32 optionCount;
        bool cancelled;
    }

    /// @notice What a poll admin asks for: question, option labels, window
    ///         and eligibility (root of the tree and its number of leaves).
    struct PollSpec {
        string question;
        string[] options;
        uint64 opensAt;
        uint64 closesAt;
        bytes32 eligibleRoot;
        uint32 voterCount;
    }

    /// @notice A ballot as a relayer submits it. The resident signed
    ///         Ballot(poll, option); voter and voterIndex name the leaf of the
    ///         eligibility tree that proof places under the poll's root. The
    ///         signature is EIP-2098 compact (r, yParity and s in vs).
    struct SignedBallot {
        uint64 poll;
        uint32 option;
        uint32 voterIndex;
        address voter;
        bytes32 r;
        bytes32 vs;
        bytes32[] proof;
    }

    /// @notice EIP-712 type hash of the ballot a resident signs.
    bytes32 public constant BALLOT_TYPEHASH = keccak256("Ballot(uint64 poll,uint32 option)");
    /// @notice Most options a poll may have.
    uint256 public constant MAX_OPTIONS = 64;

    IDirectory public immutable directory; // in the code, no slot
    uint256 public pollCount; // slot 2; polls are numbered from 1
    mapping(uint256 poll => Poll) private _polls; // slot 3
    mapping(uint256 poll => string) private _questions; // slot 4
    mapping(uint256 poll => string[]) private _options; // slot 5
    mapping(uint256 poll => mapping(uint256 option => uint256)) private _tallies; // slot 6
    mapping(uint256 poll => mapping(uint256 word => uint256)) private _voted; // slot 7: bit i%256 of word i/256

    /// @notice The directory address was zero.
    error ZeroDirectory();
    /// @notice The caller does not hold the POLL_ADMIN role.
    error NotPollAdmin(address account);
    /// @notice The caller does not hold the RELAYER role.
    error NotRelayer(address account);
    /// @notice The poll question was empty.
    error EmptyQuestion();
    /// @notice A poll needs 2 to MAX_OPTIONS options.
    error InvalidOptionCount(uint256 have);
    /// @notice An option label was empty.
    error EmptyOption(uint256 option);
    /// @notice Opening and closing times are out of order, or closing is already past.
    error InvalidWindow(uint64 opensAt, uint64 closesAt, uint256 now);
    /// @notice The eligibility root or voter count was zero.
    error EmptyEligibility();
    /// @notice No poll has this number.
    error UnknownPoll(uint256 poll);
    /// @notice The poll belongs to another department.
    error NotPollDepartment(uint256 poll, bytes32 department);
    /// @notice The poll was cancelled already, or has closed (results are final).
    error PollFinished(uint256 poll);
    /// @notice A batch held no ballots.
    error EmptyBatch();

    // Ballot errors: a ballot in a batch breaking one of these rules is skipped,
    // and BallotRejected carries the error's selector as the reason.

    /// @notice The ballot was signed for another poll than the batch's.
    error BallotForOtherPoll(uint256 batchPoll, uint256 ballotPoll);
    /// @notice The poll is not open: not yet open, closed, or cancelled.
    error PollNotOpen(uint256 poll);
    /// @notice The option number is not below the poll's option count.
    error InvalidOption(uint256 poll, uint256 option);
    /// @notice The signature is malformed or was not made by the voter.
    error BadSignature(address voter);
    /// @notice The proof does not place (voterIndex, voter) under the poll's eligibility root.
    error NotEligible(uint256 poll, address voter, uint256 voterIndex);
    /// @notice This voter index has voted in this poll already.
    error AlreadyVoted(uint256 poll, uint256 voterIndex);

    /// @notice A poll was created.
    event PollCreated(uint256 indexed poll, bytes32 indexed department, PollSpec spec);
    /// @notice A poll was cancelled by its department.
    event PollCancelled(uint256 indexed poll);
    /// @notice A ballot was counted: the recount sums these per option.
    event BallotCast(uint256 indexed poll, address indexed voter, uint32 voterIndex, uint32 option);
    /// @notice A ballot was skipped; reason is the selector of the ballot error it broke,
    ///         position its place in the batch (from 0).
    event BallotRejected(uint256 indexed poll, address indexed voter, uint256 position, bytes4 reason);
    /// @notice A batch was processed.
    event BatchRelayed(uint256 indexed poll, address indexed relayer, uint256 accepted, uint256 rejected);

    /// @param directory_ the Directory contract holding the roles
    constructor(IDirectory directory_) EIP712("CityPolls", "1") {
        if (address(directory_) == address(0)) revert ZeroDirectory();
        directory = directory_;
    }

    // ---------------------------------------------------------------- admin

    /// @notice Creates a poll for the caller's department and returns its number.
    function createPoll(PollSpec calldata spec) external returns (uint256 poll) {
        bytes32 dept = directory.departmentWithRole(msg.sender, Roles.POLL_ADMIN);
        if (dept == bytes32(0)) revert NotPollAdmin(msg.sender);
        if (bytes(spec.question).length == 0) revert EmptyQuestion();
        uint256 n = spec.options.length;
        if (n < 2 || n > MAX_OPTIONS) revert InvalidOptionCount(n);
        for (uint256 i = 0; i < n; i++) {
            if (bytes(spec.options[i]).length == 0) revert EmptyOption(i);
        }
        if (spec.opensAt >= spec.closesAt || spec.closesAt <= block.timestamp) {
            revert InvalidWindow(spec.opensAt, spec.closesAt, block.timestamp);
        }
        if (spec.eligibleRoot == bytes32(0) || spec.voterCount == 0) revert EmptyEligibility();
        poll = ++pollCount;
        _polls[poll] = Poll({
            department: dept,
            eligibleRoot: spec.eligibleRoot,
            opensAt: spec.opensAt,
            closesAt: spec.closesAt,
            voterCount: spec.voterCount,
            optionCount: uint32(n),
            cancelled: false
        });
        _questions[poll] = spec.question;
        string[] storage stored = _options[poll];
        for (uint256 i = 0; i < n; i++) stored.push(spec.options[i]);
        emit PollCreated(poll, dept, spec);
    }

    /// @notice Cancels a poll of the caller's department that has not closed.
    function cancelPoll(uint256 poll) external {
        Poll storage p = _existing(poll);
        bytes32 dept = directory.departmentWithRole(msg.sender, Roles.POLL_ADMIN);
        if (dept == bytes32(0)) revert NotPollAdmin(msg.sender);
        if (dept != p.department) revert NotPollDepartment(poll, p.department);
        if (p.cancelled || block.timestamp >= p.closesAt) revert PollFinished(poll);
        p.cancelled = true;
        emit PollCancelled(poll);
    }

    // ---------------------------------------------------------------- ballots

    /// @notice Counts the valid ballots of a batch for `poll` and skips the
    ///         others with BallotRejected; returns how many were counted.
    function relay(uint256 poll, SignedBallot[] calldata ballots) external returns (uint256 accepted) {
        if (directory.departmentWithRole(msg.sender, Roles.RELAYER) == bytes32(0)) revert NotRelayer(msg.sender);
        if (ballots.length == 0) revert EmptyBatch();
        Poll storage p = _existing(poll);
        bool open = !p.cancelled && block.timestamp >= p.opensAt && block.timestamp < p.closesAt;
        bytes32 root = p.eligibleRoot;
        uint256 optionCount = p.optionCount;
        // Counts per option, written to storage once per batch.
        uint256[] memory counts = new uint256[](optionCount);
        for (uint256 i = 0; i < ballots.length; i++) {
            SignedBallot calldata b = ballots[i];
            bytes4 reason = open ? _check(poll, root, optionCount, b) : PollNotOpen.selector;
            if (reason != bytes4(0)) {
                emit BallotRejected(poll, b.voter, i, reason);
                continue;
            }
            counts[b.option]++;
            emit BallotCast(poll, b.voter, b.voterIndex, b.option);
        }
        for (uint256 o = 0; o < optionCount; o++) {
            if (counts[o] != 0) {
                _tallies[poll][o] += counts[o];
                accepted += counts[o];
            }
        }
        emit BatchRelayed(poll, msg.sender, accepted, ballots.length - accepted);
    }

    /// @dev Checks one ballot and marks its voter as voted; returns the
    ///      selector of the rule it breaks, or zero when it counts.
    function _check(uint256 poll, bytes32 root, uint256 optionCount, SignedBallot calldata b) private returns (bytes4) {
        if (b.poll != poll) return BallotForOtherPoll.selector;
        if (b.option >= optionCount) return InvalidOption.selector;
        (address signer, ECDSA.RecoverError err, ) = ECDSA.tryRecover(ballotDigest(b.poll, b.option), b.r, b.vs);
        if (err != ECDSA.RecoverError.NoError || signer != b.voter) return BadSignature.selector;
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(uint256(b.voterIndex), b.voter))));
        if (!MerkleProof.verifyCalldata(b.proof, root, leaf)) return NotEligible.selector;
        uint256 word = b.voterIndex >> 8;
        uint256 bit = uint256(1) << (b.voterIndex & 0xff);
        uint256 flags = _voted[poll][word];
        if (flags & bit != 0) return AlreadyVoted.selector;
        _voted[poll][word] = flags | bit;
        return bytes4(0);
    }

    // ---------------------------------------------------------------- views

    /// @notice The EIP-712 digest a resident signs to vote `option` in `poll`.
    function ballotDigest(uint64 poll, uint32 option) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(BALLOT_TYPEHASH, poll, option)));
    }

    /// @notice The EIP-712 domain separator of this contract.
    function domainSeparator() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    /// @notice A poll's settings.
    function getPoll(uint256 poll) external view returns (Poll memory) {
        return _existing(poll);
    }

    /// @notice A poll's question and option labels.
    function getQuestion(uint256 poll) external view returns (string memory question, string[] memory options) {
        _existing(poll);
        return (_questions[poll], _options[poll]);
    }

    /// @notice A poll's counted ballots per option.
    function tallies(uint256 poll) external view returns (uint256[] memory counts) {
        Poll storage p = _existing(poll);
        counts = new uint256[](p.optionCount);
        for (uint256 o = 0; o < counts.length; o++) counts[o] = _tallies[poll][o];
    }

    /// @notice Whether voter number voterIndex has voted in the poll.
    function hasVoted(uint256 poll, uint256 voterIndex) external view returns (bool) {
        return _voted[poll][voterIndex >> 8] & (uint256(1) << (voterIndex & 0xff)) != 0;
    }

    /// @notice Whether the poll takes ballots now.
    function isOpen(uint256 poll) external view returns (bool) {
        Poll storage p = _existing(poll);
        return !p.cancelled && block.timestamp >= p.opensAt && block.timestamp < p.closesAt;
    }

    function _existing(uint256 poll) private view returns (Poll storage p) {
        p = _polls[poll];
        if (p.voterCount == 0) revert UnknownPoll(poll);
    }
}
