// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {OceanV3Datatoken} from "./OceanV3Datatoken.sol";

/// Creates datatokens; whoever creates one is its publisher and sole minter.
contract OceanV3DatatokenFactory {
    event TokenCreated(address indexed token, address indexed publisher, string name, string symbol, uint256 cap);

    address[] public datatokens;

    function createToken(string calldata name, string calldata symbol, uint256 cap) external returns (address token) {
        token = address(new OceanV3Datatoken(name, symbol, cap, msg.sender));
        datatokens.push(token);
        emit TokenCreated(token, msg.sender, name, symbol, cap);
    }

    function datatokenCount() external view returns (uint256) {
        return datatokens.length;
    }
}
