// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// The fixture deploys published artifacts only; this keeps Hardhat's compile and TypeChain happy.
contract Placeholder {}
