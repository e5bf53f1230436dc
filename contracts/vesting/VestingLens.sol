// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {VestingWallet} from "@openzeppelin/contracts/finance/VestingWallet.sol";

/// What the vesting simulation samples every tick, in one call: sums over all vesting wallets at the
/// current block time, and the balances that define circulating supply.
contract VestingLens {
    struct Stats {
        uint256 vested;
        uint256 released;
        uint256 locked;
        uint256 treasury;
        uint256 market;
        uint256 totalSupply;
    }

    function stats(IERC20 token, address[] calldata wallets, address treasury, address market) external view returns (Stats memory s) {
        uint64 now_ = uint64(block.timestamp);
        for (uint256 i = 0; i < wallets.length; i++) {
            VestingWallet w = VestingWallet(payable(wallets[i]));
            s.vested += w.vestedAmount(address(token), now_);
            s.released += w.released(address(token));
            s.locked += token.balanceOf(wallets[i]);
        }
        s.treasury = token.balanceOf(treasury);
        s.market = token.balanceOf(market);
        s.totalSupply = token.totalSupply();
    }
}
