// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {OceanV3Pool} from "./OceanV3Pool.sol";

/// Creates datatoken/OCEAN pools. In one transaction it deploys the pool, moves the caller's initial
/// liquidity into it (the caller approves this factory for both tokens first) and mints the
/// caller the initial shares: a pool is never seen unbound or half-funded.
contract OceanV3PoolFactory {
    using SafeERC20 for IERC20;

    event PoolCreated(address indexed pool, address indexed datatoken, address indexed controller);

    IERC20 public immutable ocean;
    address[] public pools;

    constructor(IERC20 ocean_) {
        ocean = ocean_;
    }

    function newPool(
        IERC20 datatoken,
        uint256 datatokenAmount,
        uint256 datatokenWeight,
        uint256 oceanAmount,
        uint256 oceanWeight,
        uint256 swapFee
    ) external returns (address pool) {
        OceanV3Pool created = new OceanV3Pool(datatoken, ocean, datatokenWeight, oceanWeight, swapFee, msg.sender);
        pool = address(created);
        datatoken.safeTransferFrom(msg.sender, pool, datatokenAmount);
        ocean.safeTransferFrom(msg.sender, pool, oceanAmount);
        created.initialize(datatokenAmount, oceanAmount);
        pools.push(pool);
        emit PoolCreated(pool, address(datatoken), msg.sender);
    }

    function poolCount() external view returns (uint256) {
        return pools.length;
    }
}
