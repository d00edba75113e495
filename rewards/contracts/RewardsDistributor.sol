// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
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
/// @dev Leaves follow OpenZeppelin's StandardMerkleTree for ("address","uint256"):
/// keccak256(bytes.concat(keccak256(abi.encode(account, cumulative)))). A new root waits in
/// `pendingRoot` for `timelock` seconds, during which the guardian can revoke it.
contract RewardsDistributor is AccessControl, Pausable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice May submit new roots.
    bytes32 public constant UPDATER_ROLE = keccak256("UPDATER_ROLE");
    /// @notice May revoke a pending root and pause claims.
    bytes32 public constant GUARDIAN_ROLE = keccak256("GUARDIAN_ROLE");

    /// @notice A submitted root waiting for its timelock.
    struct PendingRoot {
        bytes32 root;
        bytes32 contentHash;
        uint64 epoch;
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
    /// @notice Seconds a submitted root waits before it can be accepted.
    uint64 public timelock;
    /// @notice The root waiting for its timelock, if any (root == 0 when none).
    PendingRoot public pendingRoot;
    /// @notice Cumulative amount already paid to each account.
    mapping(address account => uint256) public claimed;

    error ZeroAddress();
    error EpochNotIncreasing(uint64 submitted, uint64 latest);
    error NoPendingRoot();
    error TimelockNotExpired(uint64 validAt);
    error InvalidProof();
    error NothingToClaim(uint256 cumulative, uint256 alreadyClaimed);

    event RootSubmitted(bytes32 indexed root, uint64 indexed epoch, bytes32 contentHash, uint64 validAt);
    event RootAccepted(bytes32 indexed root, uint64 indexed epoch, bytes32 contentHash);
    event PendingRootRevoked(bytes32 indexed root, uint64 indexed epoch);
    event TimelockSet(uint64 timelock);
    event Claimed(address indexed account, uint256 amount, uint256 cumulative);

    /// @param token The ERC-20 paid out.
    /// @param admin Holds DEFAULT_ADMIN_ROLE: grants roles and sets the timelock.
    /// @param initialTimelock Seconds a submitted root waits before acceptance.
    constructor(IERC20 token, address admin, uint64 initialTimelock) {
        if (address(token) == address(0) || admin == address(0)) revert ZeroAddress();
        TOKEN = token;
        timelock = initialTimelock;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        emit TimelockSet(initialTimelock);
    }

    /// @notice Submits the root of an epoch; it becomes acceptable after the timelock. Replaces
    /// any pending root. Epochs must increase past the accepted root's epoch.
    /// @param newRoot The Merkle root of cumulative balances.
    /// @param newEpoch The epoch (UTC day number) the root covers.
    /// @param newContentHash Hash of the published distribution artifacts.
    function submitRoot(bytes32 newRoot, uint64 newEpoch, bytes32 newContentHash) external onlyRole(UPDATER_ROLE) {
        if (newEpoch <= epoch) revert EpochNotIncreasing(newEpoch, epoch);
        uint64 validAt = uint64(block.timestamp) + timelock;
        pendingRoot = PendingRoot({root: newRoot, contentHash: newContentHash, epoch: newEpoch, validAt: validAt});
        emit RootSubmitted(newRoot, newEpoch, newContentHash, validAt);
    }

    /// @notice Makes the pending root the claimable one once its timelock has passed. Anyone may call.
    function acceptRoot() external {
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

    /// @notice Stops claims.
    function pause() external onlyRole(GUARDIAN_ROLE) {
        _pause();
    }

    /// @notice Resumes claims.
    function unpause() external onlyRole(GUARDIAN_ROLE) {
        _unpause();
    }

    /// @notice Sets the timelock for roots submitted from now on.
    /// @param newTimelock Seconds a submitted root waits before acceptance.
    function setTimelock(uint64 newTimelock) external onlyRole(DEFAULT_ADMIN_ROLE) {
        timelock = newTimelock;
        emit TimelockSet(newTimelock);
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
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(account, cumulative))));
        if (!MerkleProof.verifyCalldata(proof, root, leaf)) revert InvalidProof();
        uint256 already = claimed[account];
        if (cumulative <= already) revert NothingToClaim(cumulative, already);
        amount = cumulative - already;
        claimed[account] = cumulative;
        TOKEN.safeTransfer(account, amount);
        emit Claimed(account, amount, cumulative);
    }
}
