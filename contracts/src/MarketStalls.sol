// SPDX-License-Identifier: LGPL-3.0-or-later
pragma solidity 0.8.30;

import {IDirectory, Roles} from "./IDirectory.sol";

/// @title MarketStalls: weekend-market stalls, application rounds, a verifiable lottery, leases, waitlists
/// @notice A department holding the MARKET_OPERATOR role runs markets and their
///         stalls. It opens an application round over some free stalls with an
///         application window and a commitment keccak256(seed) to a secret
///         seed. Traders apply during the window, once each. After the window
///         the operator closes the round, which fixes the draw block
///         (closing block + DRAW_DELAY); once that block exists the operator
///         reveals the seed and the draw runs on chain:
///             randomness = keccak256(abi.encode(seed, blockhash(drawBlock)))
///         and a Fisher-Yates shuffle of the applicants in application order,
///         for i = n-1 down to 1: j = uint256(keccak256(abi.encode(randomness, i))) % (i + 1),
///         swap(i, j). The first applicants of the shuffled order get the
///         round's stalls in the order the round lists them; the others form
///         the round's waitlist, in order. Anyone recomputes the draw from
///         public inputs (the seed, the block hash, the applications).
///
///         Trust: the operator commits before any application is known to
///         the block hash, and cannot choose the seed after seeing it; a
///         seed that does not match the commitment is refused. The signer
///         sealing the draw block can choose to withhold it and let the next
///         in-turn signer seal another one: one extra outcome per withheld
///         slot, visible on chain as a missed turn. An operator that never
///         reveals blocks the round (it cannot pick a better outcome).
///
///         A lease has a term (start and end time) and a fee status set by
///         the operator. When a lease of a stall drawn in a round is
///         released, the stall goes to the next applicant on that round's
///         waitlist, for the rest of the round's term.
/// @dev Storage layout (for eth_getProof): slot 0 marketCount, slot 1
///      stallCount, slot 2 roundCount, slot 3 leaseCount, then the mappings
///      below in order from slot 4.
contract MarketStalls {
    /// @notice Blocks between the closing transaction and the block whose hash seeds the draw.
    uint256 public constant DRAW_DELAY = 2;
    /// @notice Most applicants in one round (bounds the gas of the draw).
    uint256 public constant MAX_APPLICANTS = 2000;
    /// @notice Most stalls in one round.
    uint256 public constant MAX_ROUND_STALLS = 200;

    enum RoundState {
        None,
        Open, // applications taken during the window
        Closed, // draw block fixed, waiting for the reveal
        Drawn // stalls allocated, waitlist set
    }

    struct Market {
        bytes32 department;
        bytes32 code;
        string name;
    }

    struct Stall {
        uint256 market;
        bytes32 code; // e.g. "A-12"
        uint256 lease; // current lease, 0 if free
        uint256 round; // round the stall is offered in (Open or Closed), 0 if none
    }

    struct Round {
        uint256 market;
        uint64 opensAt;
        uint64 closesAt;
        uint64 leaseEnd; // end of the leases the round grants
        RoundState state;
        bytes32 commitment; // keccak256(abi.encode(seed))
        uint256 drawBlock;
        bytes32 randomness;
        uint256 waitlistNext; // index of the next applicant to promote in _waitlists
    }

    struct Lease {
        uint256 stall;
        address holder;
        uint64 start;
        uint64 end;
        uint256 round; // round it was drawn in, 0 for a direct lease
        bool feePaid;
        bool released;
    }

    uint256 public marketCount; // slot 0
    uint256 public stallCount; // slot 1
    uint256 public roundCount; // slot 2
    uint256 public leaseCount; // slot 3
    IDirectory public immutable directory;
    mapping(uint256 => Market) private _markets; // slot 4
    mapping(uint256 => Stall) private _stalls; // slot 5
    mapping(uint256 => Round) private _rounds; // slot 6
    mapping(uint256 => uint256[]) private _roundStalls; // slot 7
    mapping(uint256 => address[]) private _applicants; // slot 8
    mapping(uint256 => mapping(address => bool)) private _applied; // slot 9
    mapping(uint256 => address[]) private _waitlists; // slot 10
    mapping(uint256 => Lease) private _leases; // slot 11

    error ZeroDirectory();
    /// @notice The caller does not hold the MARKET_OPERATOR role.
    error NotMarketOperator(address account);
    /// @notice The market belongs to another department.
    error NotMarketDepartment(uint256 market, bytes32 department);
    error UnknownMarket(uint256 market);
    error UnknownStall(uint256 stall);
    error UnknownRound(uint256 round);
    error UnknownLease(uint256 lease);
    error EmptyCode();
    error EmptyName();
    /// @notice The stall belongs to another market than the round's.
    error StallOfOtherMarket(uint256 stall, uint256 market);
    /// @notice The stall is leased (or allocated by a draw) already.
    error StallLeased(uint256 stall, uint256 lease);
    /// @notice The stall is offered in an open or undrawn round.
    error StallInRound(uint256 stall, uint256 round);
    /// @notice A round needs 1 to MAX_ROUND_STALLS stalls.
    error InvalidStallCount(uint256 have);
    /// @notice Times out of order: opensAt < closesAt < leaseEnd, closesAt in the future.
    error InvalidWindow(uint64 opensAt, uint64 closesAt, uint64 leaseEnd, uint256 now);
    error EmptyCommitment();
    /// @notice The round is not in the state the action needs.
    error WrongRoundState(uint256 round, RoundState have, RoundState want);
    /// @notice Applications are taken only while opensAt <= now < closesAt.
    error ApplicationsClosed(uint256 round, uint64 opensAt, uint64 closesAt, uint256 now);
    /// @notice One application per applicant per round.
    error AlreadyApplied(uint256 round, address applicant);
    error RoundFull(uint256 round);
    /// @notice The application window has not ended yet.
    error RoundStillOpen(uint256 round, uint64 closesAt, uint256 now);
    /// @notice The draw block does not exist yet: reveal after it.
    error DrawTooEarly(uint256 round, uint256 drawBlock, uint256 now);
    /// @notice More than 256 blocks passed since the draw block: its hash is gone.
    error DrawExpired(uint256 round, uint256 drawBlock);
    /// @notice The revealed seed does not match the round's commitment.
    error WrongReveal(uint256 round);
    /// @notice Only the holder or the market's operator may do this.
    error NotHolderOrOperator(uint256 lease, address account);
    error LeaseReleased(uint256 lease);
    error FeeAlreadyPaid(uint256 lease);
    /// @notice A lease ends after it starts and in the future.
    error InvalidTerm(uint64 start, uint64 end, uint256 now);

    event MarketCreated(uint256 indexed market, bytes32 indexed department, bytes32 code, string name);
    event StallAdded(uint256 indexed stall, uint256 indexed market, bytes32 code);
    event RoundOpened(uint256 indexed round, uint256 indexed market, uint256[] stalls, uint64 opensAt, uint64 closesAt, uint64 leaseEnd, bytes32 commitment);
    event Applied(uint256 indexed round, address indexed applicant, uint256 position);
    event RoundClosed(uint256 indexed round, uint256 applicants, uint256 drawBlock);
    /// @notice The draw's public inputs and outcome summary.
    event Drawn(uint256 indexed round, bytes32 seed, bytes32 drawBlockHash, bytes32 randomness, uint256 allocated, uint256 waitlisted);
    event Leased(uint256 indexed lease, uint256 indexed stall, address indexed holder, uint64 start, uint64 end, uint256 round);
    event FeePaid(uint256 indexed lease);
    event Released(uint256 indexed lease, uint256 indexed stall, address by);
    /// @notice A waitlisted applicant received a released stall.
    event Promoted(uint256 indexed round, uint256 indexed stall, address indexed holder, uint256 lease);

    constructor(IDirectory directory_) {
        if (address(directory_) == address(0)) revert ZeroDirectory();
        directory = directory_;
    }

    // ---------------------------------------------------------------- operator

    function createMarket(bytes32 code, string calldata name) external returns (uint256 market) {
        bytes32 dept = _operatorDept();
        if (code == bytes32(0)) revert EmptyCode();
        if (bytes(name).length == 0) revert EmptyName();
        market = ++marketCount;
        _markets[market] = Market({department: dept, code: code, name: name});
        emit MarketCreated(market, dept, code, name);
    }

    function addStall(uint256 market, bytes32 code) external returns (uint256 stall) {
        _ownMarket(market);
        if (code == bytes32(0)) revert EmptyCode();
        stall = ++stallCount;
        _stalls[stall] = Stall({market: market, code: code, lease: 0, round: 0});
        emit StallAdded(stall, market, code);
    }

    /// @notice Opens an application round over free stalls of a market.
    ///         commitment is keccak256(abi.encode(seed)) of the operator's secret seed.
    function openRound(uint256 market, uint256[] calldata stalls, uint64 opensAt, uint64 closesAt, uint64 leaseEnd, bytes32 commitment)
        external
        returns (uint256 round)
    {
        _ownMarket(market);
        if (stalls.length == 0 || stalls.length > MAX_ROUND_STALLS) revert InvalidStallCount(stalls.length);
        if (opensAt >= closesAt || closesAt >= leaseEnd || closesAt <= block.timestamp) {
            revert InvalidWindow(opensAt, closesAt, leaseEnd, block.timestamp);
        }
        if (commitment == bytes32(0)) revert EmptyCommitment();
        round = ++roundCount;
        for (uint256 i = 0; i < stalls.length; i++) {
            Stall storage s = _existingStall(stalls[i]);
            if (s.market != market) revert StallOfOtherMarket(stalls[i], s.market);
            if (s.lease != 0) revert StallLeased(stalls[i], s.lease);
            if (s.round != 0) revert StallInRound(stalls[i], s.round);
            s.round = round;
        }
        _roundStalls[round] = stalls;
        Round storage r = _rounds[round];
        r.market = market;
        r.opensAt = opensAt;
        r.closesAt = closesAt;
        r.leaseEnd = leaseEnd;
        r.state = RoundState.Open;
        r.commitment = commitment;
        emit RoundOpened(round, market, stalls, opensAt, closesAt, leaseEnd, commitment);
    }

    /// @notice Ends applications after the window and fixes the draw block.
    function closeRound(uint256 round) external {
        Round storage r = _existingRound(round);
        _ownMarket(r.market);
        if (r.state != RoundState.Open) revert WrongRoundState(round, r.state, RoundState.Open);
        if (block.timestamp < r.closesAt) revert RoundStillOpen(round, r.closesAt, block.timestamp);
        r.state = RoundState.Closed;
        r.drawBlock = block.number + DRAW_DELAY;
        emit RoundClosed(round, _applicants[round].length, r.drawBlock);
    }

    /// @notice Reveals the seed and draws: leases for the first applicants of
    ///         the shuffled order, the waitlist for the others.
    function draw(uint256 round, bytes32 seed) external {
        Round storage r = _existingRound(round);
        _ownMarket(r.market);
        if (r.state != RoundState.Closed) revert WrongRoundState(round, r.state, RoundState.Closed);
        if (block.number <= r.drawBlock) revert DrawTooEarly(round, r.drawBlock, block.number);
        bytes32 bh = blockhash(r.drawBlock);
        if (bh == bytes32(0)) revert DrawExpired(round, r.drawBlock);
        if (keccak256(abi.encode(seed)) != r.commitment) revert WrongReveal(round);
        bytes32 randomness = keccak256(abi.encode(seed, bh));
        r.randomness = randomness;
        r.state = RoundState.Drawn;

        address[] memory order = shuffle(_applicants[round], randomness);
        uint256[] storage stalls = _roundStalls[round];
        uint256 allocated = order.length < stalls.length ? order.length : stalls.length;
        for (uint256 i = 0; i < stalls.length; i++) {
            _stalls[stalls[i]].round = 0;
            if (i < allocated) _lease(stalls[i], order[i], r.leaseEnd, round);
        }
        address[] storage wl = _waitlists[round];
        for (uint256 i = allocated; i < order.length; i++) wl.push(order[i]);
        emit Drawn(round, seed, bh, randomness, allocated, order.length - allocated);
    }

    /// @notice Leases a free stall directly (outside any round).
    function lease(uint256 stall, address holder, uint64 end) external returns (uint256 id) {
        Stall storage s = _existingStall(stall);
        _ownMarket(s.market);
        if (s.lease != 0) revert StallLeased(stall, s.lease);
        if (s.round != 0) revert StallInRound(stall, s.round);
        if (end <= block.timestamp) revert InvalidTerm(uint64(block.timestamp), end, block.timestamp);
        return _lease(stall, holder, end, 0);
    }

    /// @notice Records that a lease's fee was paid.
    function markFeePaid(uint256 id) external {
        Lease storage l = _existingLease(id);
        _ownMarket(_stalls[l.stall].market);
        if (l.released) revert LeaseReleased(id);
        if (l.feePaid) revert FeeAlreadyPaid(id);
        l.feePaid = true;
        emit FeePaid(id);
    }

    /// @notice Releases a lease (its holder or the market's operator); a
    ///         stall drawn in a round goes to the next on the round's waitlist.
    function release(uint256 id) external {
        Lease storage l = _existingLease(id);
        uint256 stall = l.stall;
        uint256 market = _stalls[stall].market;
        if (msg.sender != l.holder) {
            bytes32 dept = directory.departmentWithRole(msg.sender, Roles.MARKET_OPERATOR);
            if (dept == bytes32(0) || dept != _markets[market].department) revert NotHolderOrOperator(id, msg.sender);
        }
        if (l.released) revert LeaseReleased(id);
        l.released = true;
        _stalls[stall].lease = 0;
        emit Released(id, stall, msg.sender);
        uint256 round = l.round;
        if (round == 0) return;
        Round storage r = _rounds[round];
        address[] storage wl = _waitlists[round];
        if (r.waitlistNext < wl.length && block.timestamp < r.leaseEnd) {
            address next = wl[r.waitlistNext++];
            uint256 nl = _lease(stall, next, r.leaseEnd, round);
            emit Promoted(round, stall, next, nl);
        }
    }

    // ---------------------------------------------------------------- traders

    /// @notice Applies for a stall in a round (once per applicant).
    function applyFor(uint256 round) external {
        Round storage r = _existingRound(round);
        if (r.state != RoundState.Open || block.timestamp < r.opensAt || block.timestamp >= r.closesAt) {
            revert ApplicationsClosed(round, r.opensAt, r.closesAt, block.timestamp);
        }
        if (_applied[round][msg.sender]) revert AlreadyApplied(round, msg.sender);
        address[] storage list = _applicants[round];
        if (list.length >= MAX_APPLICANTS) revert RoundFull(round);
        _applied[round][msg.sender] = true;
        list.push(msg.sender);
        emit Applied(round, msg.sender, list.length - 1);
    }

    // ---------------------------------------------------------------- views

    /// @notice The draw's order: a Fisher-Yates shuffle of applicants by randomness.
    function shuffle(address[] memory applicants, bytes32 randomness) public pure returns (address[] memory order) {
        order = applicants;
        for (uint256 i = order.length; i > 1; i--) {
            uint256 j = uint256(keccak256(abi.encode(randomness, i - 1))) % i;
            (order[i - 1], order[j]) = (order[j], order[i - 1]);
        }
    }

    function getMarket(uint256 market) external view returns (Market memory) {
        if (_markets[market].department == bytes32(0)) revert UnknownMarket(market);
        return _markets[market];
    }

    function getStall(uint256 stall) external view returns (Stall memory) {
        return _existingStall(stall);
    }

    function getRound(uint256 round) external view returns (Round memory r, uint256[] memory stalls, address[] memory applicants) {
        r = _existingRound(round);
        return (r, _roundStalls[round], _applicants[round]);
    }

    function getLease(uint256 id) external view returns (Lease memory) {
        return _existingLease(id);
    }

    /// @notice The round's waitlist from the next applicant to promote on.
    function waitlist(uint256 round) external view returns (address[] memory rest) {
        Round storage r = _existingRound(round);
        address[] storage all = _waitlists[round];
        rest = new address[](all.length - r.waitlistNext);
        for (uint256 i = 0; i < rest.length; i++) rest[i] = all[r.waitlistNext + i];
    }

    // ---------------------------------------------------------------- internal

    function _lease(uint256 stall, address holder, uint64 end, uint256 round) private returns (uint256 id) {
        id = ++leaseCount;
        _leases[id] = Lease({stall: stall, holder: holder, start: uint64(block.timestamp), end: end, round: round, feePaid: false, released: false});
        _stalls[stall].lease = id;
        emit Leased(id, stall, holder, uint64(block.timestamp), end, round);
    }

    function _operatorDept() private view returns (bytes32 dept) {
        dept = directory.departmentWithRole(msg.sender, Roles.MARKET_OPERATOR);
        if (dept == bytes32(0)) revert NotMarketOperator(msg.sender);
    }

    function _ownMarket(uint256 market) private view {
        bytes32 want = _markets[market].department;
        if (want == bytes32(0)) revert UnknownMarket(market);
        bytes32 dept = _operatorDept();
        if (dept != want) revert NotMarketDepartment(market, want);
    }

    function _existingStall(uint256 stall) private view returns (Stall storage s) {
        s = _stalls[stall];
        if (s.market == 0) revert UnknownStall(stall);
    }

    function _existingRound(uint256 round) private view returns (Round storage r) {
        r = _rounds[round];
        if (r.state == RoundState.None) revert UnknownRound(round);
    }

    function _existingLease(uint256 id) private view returns (Lease storage l) {
        l = _leases[id];
        if (l.holder == address(0)) revert UnknownLease(id);
    }
}
