// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {AccessControlEnumerable} from "@openzeppelin/contracts/access/extensions/AccessControlEnumerable.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

/// @title Payable AI rewards distributor
/// @notice Pays data contributors their cumulative rewards against a Merkle root, after the style
/// of Morpho's Universal Rewards Distributor. Each epoch's root commits to every account's
/// cumulative earnings; a claim pays the cumulative amount minus what the account already claimed,
/// so an account claims whenever it likes and never twice for the same wei.
/// @dev Leaves follow OpenZeppelin's StandardMerkleTree for
/// ("address","uint256","address","address","uint256") = (account, cumulative, token, distributor,
/// chain id): keccak256(bytes.concat(keccak256(abi.encode(...)))). Binding the token, this contract
/// and the chain means a tree can pay out only here, never on a second deployment or chain.
///
/// Three roles, meant for three keys: the admin (two-step transfer behind a delay, OpenZeppelin's
/// AccessControlDefaultAdminRules) grants roles and proposes timelock changes; the updater submits
/// roots; the guardian revokes pending roots and timelock changes, and pauses claims and
/// acceptance. Every root and every timelock change waits `timelock` seconds, the guardian's
/// review window. Role holders are enumerable, so governance can list who holds what.
contract RewardsDistributor is AccessControlDefaultAdminRules, AccessControlEnumerable, Pausable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice May submit new roots.
    bytes32 public constant UPDATER_ROLE = keccak256("UPDATER_ROLE");
    /// @notice May revoke a pending root or timelock change, and pause claims and acceptance.
    bytes32 public constant GUARDIAN_ROLE = keccak256("GUARDIAN_ROLE");
    /// @notice The shortest review window a timelock may give.
    uint64 public constant MIN_TIMELOCK = 1 hours;
    /// @notice The longest timelock, so that a typo cannot freeze distributions for good.
    uint64 public constant MAX_TIMELOCK = 30 days;

    /// @notice A submitted root waiting for its timelock.
    struct PendingRoot {
        bytes32 root;
        bytes32 contentHash;
        uint64 epoch;
        uint64 validAt;
    }

    /// @notice A timelock change waiting for the current timelock.
    struct PendingTimelock {
        uint64 value;
        uint64 validAt;
    }

    /// @notice The reward token.
    IERC20 public immutable TOKEN;
    /// @notice The accepted root claims are checked against.
    bytes32 public root;
    /// @notice Hash of the distribution's published artifacts (tree dump, report) for the accepted root.
    bytes32 public contentHash;
    /// @notice Epoch (UTC day number) of the accepted root.
    uint64 public epoch;
    /// @notice Seconds a submitted root or timelock change waits before it can be accepted.
    uint64 public timelock;
    /// @notice The root waiting for its timelock, if any (root == 0 when none).
    PendingRoot public pendingRoot;
    /// @notice The timelock change waiting, if any (validAt == 0 when none).
    PendingTimelock public pendingTimelock;
    /// @notice Cumulative amount already paid to each account.
    mapping(address account => uint256) public claimed;
    /// @notice Everything ever paid out, so funding checks need no scan of past events.
    uint256 public totalClaimed;

    error ZeroAddress();
    error ZeroRoot();
    error EpochNotIncreasing(uint64 submitted, uint64 latest);
    error EpochInFuture(uint64 submitted, uint64 today);
    error RootAlreadyPending(bytes32 pendingRoot, uint64 pendingEpoch);
    error NoPendingRoot();
    error TimelockNotExpired(uint64 validAt);
    error TimelockOutOfBounds(uint64 requested, uint64 min, uint64 max);
    error NoPendingTimelock();
    error InvalidProof();
    error NothingToClaim(uint256 cumulative, uint256 alreadyClaimed);

    event RootSubmitted(bytes32 indexed root, uint64 indexed epoch, bytes32 contentHash, uint64 validAt);
    event PendingRootReplaced(bytes32 indexed replacedRoot, uint64 indexed replacedEpoch, bytes32 indexed newRoot, uint64 newEpoch);
    event RootAccepted(bytes32 indexed root, uint64 indexed epoch, bytes32 contentHash);
    event PendingRootRevoked(bytes32 indexed root, uint64 indexed epoch);
    event TimelockProposed(uint64 timelock, uint64 validAt);
    event PendingTimelockRevoked(uint64 timelock);
    event TimelockSet(uint64 timelock);
    event Claimed(address indexed account, uint256 amount, uint256 cumulative);

    /// @param token The ERC-20 paid out.
    /// @param admin Holds DEFAULT_ADMIN_ROLE: grants roles and proposes timelock changes.
    /// @param updater Holds UPDATER_ROLE: submits roots.
    /// @param guardian Holds GUARDIAN_ROLE: revokes pending roots and timelock changes, pauses.
    /// @param initialTimelock Seconds a submitted root waits before acceptance, within the bounds.
    /// @param adminTransferDelay Seconds a new admin waits before accepting the role.
    constructor(IERC20 token, address admin, address updater, address guardian, uint64 initialTimelock, uint48 adminTransferDelay)
        AccessControlDefaultAdminRules(adminTransferDelay, admin)
    {
        if (address(token) == address(0) || updater == address(0) || guardian == address(0)) revert ZeroAddress();
        _checkTimelockBounds(initialTimelock);
        TOKEN = token;
        timelock = initialTimelock;
        _grantRole(UPDATER_ROLE, updater);
        _grantRole(GUARDIAN_ROLE, guardian);
        emit TimelockSet(initialTimelock);
    }

    /// @notice Submits the root of an epoch; it becomes acceptable after the timelock. Refuses
    /// while another root is pending: replacing one is explicit, with {replacePendingRoot}.
    /// @param newRoot The Merkle root of cumulative balances.
    /// @param newEpoch The epoch (UTC day number) the root covers: after the accepted one, not after today.
    /// @param newContentHash Hash of the published distribution artifacts.
    function submitRoot(bytes32 newRoot, uint64 newEpoch, bytes32 newContentHash) external onlyRole(UPDATER_ROLE) {
        PendingRoot memory pending = pendingRoot;
        if (pending.root != bytes32(0)) revert RootAlreadyPending(pending.root, pending.epoch);
        _setPendingRoot(newRoot, newEpoch, newContentHash);
    }

    /// @notice Replaces the pending root, restarting the timelock; the epoch may stay or advance,
    /// never go back. Emits {PendingRootReplaced} so reviewers see what was dropped.
    function replacePendingRoot(bytes32 newRoot, uint64 newEpoch, bytes32 newContentHash) external onlyRole(UPDATER_ROLE) {
        PendingRoot memory pending = pendingRoot;
        if (pending.root == bytes32(0)) revert NoPendingRoot();
        if (newEpoch < pending.epoch) revert EpochNotIncreasing(newEpoch, pending.epoch);
        emit PendingRootReplaced(pending.root, pending.epoch, newRoot, newEpoch);
        _setPendingRoot(newRoot, newEpoch, newContentHash);
    }

    /// @notice Makes the pending root the claimable one once its timelock has passed. Anyone may
    /// call, unless the guardian has paused the distributor.
    function acceptRoot() external whenNotPaused {
        PendingRoot memory pending = pendingRoot;
        if (pending.root == bytes32(0)) revert NoPendingRoot();
        if (block.timestamp < pending.validAt) revert TimelockNotExpired(pending.validAt);
        root = pending.root;
        contentHash = pending.contentHash;
        epoch = pending.epoch;
        delete pendingRoot;
        emit RootAccepted(pending.root, pending.epoch, pending.contentHash);
    }

    /// @notice Drops the pending root, e.g. when governance's review finds a problem.
    function revokePendingRoot() external onlyRole(GUARDIAN_ROLE) {
        PendingRoot memory pending = pendingRoot;
        if (pending.root == bytes32(0)) revert NoPendingRoot();
        delete pendingRoot;
        emit PendingRootRevoked(pending.root, pending.epoch);
    }

    /// @notice Stops claims and root acceptance, e.g. while the guardian investigates a root whose
    /// timelock is about to end.
    function pause() external onlyRole(GUARDIAN_ROLE) {
        _pause();
    }

    /// @notice Resumes claims and root acceptance.
    function unpause() external onlyRole(GUARDIAN_ROLE) {
        _unpause();
    }

    /// @notice Proposes a new timelock; it takes effect after the current one, and the guardian
    /// can revoke it meanwhile. Replaces any timelock change still pending.
    /// @param newTimelock Seconds, between MIN_TIMELOCK and MAX_TIMELOCK.
    function proposeTimelock(uint64 newTimelock) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _checkTimelockBounds(newTimelock);
        uint64 validAt = uint64(block.timestamp) + timelock;
        pendingTimelock = PendingTimelock({value: newTimelock, validAt: validAt});
        emit TimelockProposed(newTimelock, validAt);
    }

    /// @notice Applies the pending timelock change once its wait has passed. Anyone may call,
    /// unless the distributor is paused. Roots already pending keep their own validAt.
    function acceptTimelock() external whenNotPaused {
        PendingTimelock memory pending = pendingTimelock;
        if (pending.validAt == 0) revert NoPendingTimelock();
        if (block.timestamp < pending.validAt) revert TimelockNotExpired(pending.validAt);
        timelock = pending.value;
        delete pendingTimelock;
        emit TimelockSet(pending.value);
    }

    /// @notice Drops the pending timelock change.
    function revokePendingTimelock() external onlyRole(GUARDIAN_ROLE) {
        PendingTimelock memory pending = pendingTimelock;
        if (pending.validAt == 0) revert NoPendingTimelock();
        delete pendingTimelock;
        emit PendingTimelockRevoked(pending.value);
    }

    /// @notice Pays `account` its cumulative reward minus what it already claimed. Anyone may
    /// submit the claim; the tokens always go to `account`.
    /// @param account The rewarded account (the leaf's address).
    /// @param cumulative The account's cumulative reward in the accepted root (the leaf's amount).
    /// @param proof The Merkle proof of the leaf.
    /// @return amount The tokens transferred.
    function claim(address account, uint256 cumulative, bytes32[] calldata proof)
        external
        whenNotPaused
        nonReentrant
        returns (uint256 amount)
    {
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(account, cumulative, TOKEN, address(this), block.chainid))));
        if (!MerkleProof.verifyCalldata(proof, root, leaf)) revert InvalidProof();
        uint256 already = claimed[account];
        if (cumulative <= already) revert NothingToClaim(cumulative, already);
        amount = cumulative - already;
        claimed[account] = cumulative;
        totalClaimed += amount;
        TOKEN.safeTransfer(account, amount);
        emit Claimed(account, amount, cumulative);
    }

    function _setPendingRoot(bytes32 newRoot, uint64 newEpoch, bytes32 newContentHash) private {
        if (newRoot == bytes32(0)) revert ZeroRoot();
        if (newEpoch <= epoch) revert EpochNotIncreasing(newEpoch, epoch);
        // An epoch is a finished UTC day: a later one cannot be paid yet, and one far in the
        // future would lock out every real epoch after it.
        uint64 today = uint64(block.timestamp / 1 days);
        if (newEpoch > today) revert EpochInFuture(newEpoch, today);
        uint64 validAt = uint64(block.timestamp) + timelock;
        pendingRoot = PendingRoot({root: newRoot, contentHash: newContentHash, epoch: newEpoch, validAt: validAt});
        emit RootSubmitted(newRoot, newEpoch, newContentHash, validAt);
    }

    /// @inheritdoc AccessControlDefaultAdminRules
    function supportsInterface(bytes4 interfaceId)
        public
        view
        override(AccessControlDefaultAdminRules, AccessControlEnumerable)
        returns (bool)
    {
        return super.supportsInterface(interfaceId);
    }

    // The admin rules (no direct grant, revoke or renounce of the admin role) and enumeration
    // both extend AccessControl; these overrides only join them, in that order.

    function grantRole(bytes32 role, address account)
        public
        override(AccessControl, AccessControlDefaultAdminRules, IAccessControl)
    {
        super.grantRole(role, account);
    }

    function revokeRole(bytes32 role, address account)
        public
        override(AccessControl, AccessControlDefaultAdminRules, IAccessControl)
    {
        super.revokeRole(role, account);
    }

    function renounceRole(bytes32 role, address account)
        public
        override(AccessControl, AccessControlDefaultAdminRules, IAccessControl)
    {
        super.renounceRole(role, account);
    }

    function _setRoleAdmin(bytes32 role, bytes32 adminRole) internal override(AccessControl, AccessControlDefaultAdminRules) {
        super._setRoleAdmin(role, adminRole);
    }

    function _grantRole(bytes32 role, address account)
        internal
        override(AccessControlDefaultAdminRules, AccessControlEnumerable)
        returns (bool)
    {
        return super._grantRole(role, account);
    }

    function _revokeRole(bytes32 role, address account)
        internal
        override(AccessControlDefaultAdminRules, AccessControlEnumerable)
        returns (bool)
    {
        return super._revokeRole(role, account);
    }

    function _checkTimelockBounds(uint64 value) private pure {
        if (value < MIN_TIMELOCK || value > MAX_TIMELOCK) revert TimelockOutOfBounds(value, MIN_TIMELOCK, MAX_TIMELOCK);
    }
}
