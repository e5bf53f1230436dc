// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {OceanV3Datatoken} from "./OceanV3Datatoken.sol";
import {OceanV3Pool} from "./OceanV3Pool.sol";

/// Batch reads for a simulation: what it samples every tick (every pool's reserves, every holder's
/// datatokens and shares) in one call each instead of one call per balance.
contract OceanV3Lens {
    function balancesOf(IERC20 token, address[] calldata accounts) external view returns (uint256[] memory balances) {
        balances = new uint256[](accounts.length);
        for (uint256 i = 0; i < accounts.length; i++) balances[i] = token.balanceOf(accounts[i]);
    }

    /// Each pool's recorded balances and share supply.
    function reserves(OceanV3Pool[] calldata pools)
        external
        view
        returns (uint256[] memory datatokenBalances, uint256[] memory oceanBalances, uint256[] memory shareSupplies)
    {
        uint256 n = pools.length;
        datatokenBalances = new uint256[](n);
        oceanBalances = new uint256[](n);
        shareSupplies = new uint256[](n);
        for (uint256 i = 0; i < n; i++) (datatokenBalances[i], oceanBalances[i], shareSupplies[i]) = pools[i].reserves();
    }

    /// Every holder's datatokens and shares of every pool, holder-major: entry h·pools + p.
    function holdings(address[] calldata holders, OceanV3Pool[] calldata pools)
        external
        view
        returns (uint256[] memory datatokensHeld, uint256[] memory sharesHeld)
    {
        uint256 n = pools.length;
        datatokensHeld = new uint256[](holders.length * n);
        sharesHeld = new uint256[](holders.length * n);
        for (uint256 p = 0; p < n; p++) {
            uint256[] memory datatokens = OceanV3Datatoken(address(pools[p].datatoken())).balancesOf(holders);
            uint256[] memory shares = pools[p].sharesOf(holders);
            for (uint256 h = 0; h < holders.length; h++) {
                datatokensHeld[h * n + p] = datatokens[h];
                sharesHeld[h * n + p] = shares[h];
            }
        }
    }
}
