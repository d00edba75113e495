// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title Minimal reward token for tests and the demo
/// @notice A plain ERC-20 whose owner can mint. Not for production: a real deployment pays in an
/// existing token.
contract TestToken is ERC20, Ownable {
    /// @param owner_ May mint.
    constructor(address owner_) ERC20("Payable Test Token", "PAYT") Ownable(owner_) {}

    /// @notice Mints `amount` to `to`.
    /// @param to Recipient.
    /// @param amount Amount in the token's smallest unit.
    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
    }
}
