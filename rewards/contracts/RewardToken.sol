// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";

/// @title The reward token, as the operator's tools call it
/// @notice Any ERC-20 with metadata (OpenZeppelin's IERC20Metadata): the Java binding generated from
/// this interface reads balances, allowances, symbol and decimals of whatever token a deployment
/// pays in, without depending on the demo's TestToken.
interface RewardToken is IERC20Metadata {}
