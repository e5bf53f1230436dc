// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// What the lens reads of a pool: Ocean's Balancer-V1 `BPool`, V3 (0.6.9, solc 0.5.7) and V4 (1.0.0,
/// solc 0.8.12) alike, keeps each token's balance in a record (`getBalance`) and is its own share token.
interface IOceanPoolReads {
    function getBalance(address token) external view returns (uint256);
    function totalSupply() external view returns (uint256);
    function balanceOf(address account) external view returns (uint256);
}

/// Batch reads for a simulation of Ocean's published pools: what it samples every tick (every pool's
/// balances, every holder's datatokens and shares) in one call each instead of one call per balance.
/// The model's own read helper, not part of Ocean: it holds no state and sends nothing.
contract OceanLens {
    function balancesOf(IERC20 token, address[] calldata accounts) external view returns (uint256[] memory balances) {
        balances = new uint256[](accounts.length);
        for (uint256 i = 0; i < accounts.length; i++) balances[i] = token.balanceOf(accounts[i]);
    }

    /// Each pool's recorded balances (`getBalance`, in wei) of its datatoken and of OCEAN, and its share supply.
    function reserves(address[] calldata pools, address[] calldata datatokens, address ocean)
        external
        view
        returns (uint256[] memory datatokenBalances, uint256[] memory oceanBalances, uint256[] memory shareSupplies)
    {
        uint256 n = pools.length;
        require(datatokens.length == n, "OceanLens: one datatoken per pool");
        datatokenBalances = new uint256[](n);
        oceanBalances = new uint256[](n);
        shareSupplies = new uint256[](n);
        for (uint256 i = 0; i < n; i++) {
            IOceanPoolReads pool = IOceanPoolReads(pools[i]);
            datatokenBalances[i] = pool.getBalance(datatokens[i]);
            oceanBalances[i] = pool.getBalance(ocean);
            shareSupplies[i] = pool.totalSupply();
        }
    }

    /// Every holder's datatokens and shares of every pool (wei), holder-major: entry h·pools + p.
    function holdings(address[] calldata holders, address[] calldata pools, address[] calldata datatokens)
        external
        view
        returns (uint256[] memory datatokensHeld, uint256[] memory sharesHeld)
    {
        uint256 n = pools.length;
        require(datatokens.length == n, "OceanLens: one datatoken per pool");
        datatokensHeld = new uint256[](holders.length * n);
        sharesHeld = new uint256[](holders.length * n);
        for (uint256 p = 0; p < n; p++) {
            IERC20 datatoken = IERC20(datatokens[p]);
            IOceanPoolReads pool = IOceanPoolReads(pools[p]);
            for (uint256 h = 0; h < holders.length; h++) {
                datatokensHeld[h * n + p] = datatoken.balanceOf(holders[h]);
                sharesHeld[h * n + p] = pool.balanceOf(holders[h]);
            }
        }
    }
}
