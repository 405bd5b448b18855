// SPDX-License-Identifier: LGPL-3.0-or-later
pragma solidity 0.8.30;

/// @title IDirectory: the role lookup every municipal contract makes
/// @notice The one question the other registry contracts ask the Directory:
///         "on behalf of which department does this account act in this role?"
///         An account belongs to at most one department; it acts for that
///         department in each role the city admin granted it, as long as the
///         department is active.
interface IDirectory {
    /// @notice The department `account` acts for in `role`, or zero if it holds
    ///         no such role (or its department was deactivated).
    /// @param account the account asking to act
    /// @param role one of the role numbers of Roles below
    function departmentWithRole(address account, uint8 role) external view returns (bytes32 department);
}

/// @title Roles: the role numbers of the Directory
/// @notice Roles are small numbers (a bit position in a 32-bit mask), so new
///         services can add roles without a new Directory.
library Roles {
    /// @notice Issues, revokes and supersedes documents for its department (Documents).
    uint8 internal constant ISSUER = 0;
    /// @notice Registers parcels and liens and approves title transfers (PropertyTitles).
    uint8 internal constant REGISTRAR = 1;
    /// @notice Runs markets, stalls and their lotteries (market stalls).
    uint8 internal constant MARKET_OPERATOR = 2;
    /// @notice Opens, closes and tallies polls (Active Citizen polls).
    uint8 internal constant POLL_ADMIN = 3;
    /// @notice Relays residents' signed ballots in batches (Active Citizen polls).
    uint8 internal constant RELAYER = 4;
    /// @notice Role numbers are below this bound (bits of a uint32 mask).
    uint8 internal constant MAX_ROLES = 32;
}
