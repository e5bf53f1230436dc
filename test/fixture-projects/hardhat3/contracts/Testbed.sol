// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// A contract for the engine's tests: it records chain time and fails in every way Solidity can.
contract Testbed {
    error TooLarge(uint256 value, uint256 limit);

    uint256 public immutable limit;
    uint256 public lastPokeTime;
    uint256 public pokes;
    mapping(address => uint256) public pokesBy;

    constructor(uint256 limit_) {
        limit = limit_;
    }

    function poke() external {
        lastPokeTime = block.timestamp;
        pokes++;
        pokesBy[msg.sender]++;
    }

    function checkedPoke(uint256 value) external {
        if (value >= limit) revert TooLarge(value, limit);
        pokes++;
    }

    function requirePositive(uint256 value) external {
        require(value > 0, "value must be positive");
        pokes++;
    }

    function divide(uint256 a, uint256 b) external returns (uint256) {
        pokes++;
        return a / b;
    }

    function viewNow() external view returns (uint256) {
        return block.timestamp;
    }

    uint256 public burned;
    uint256 public sequence;
    mapping(address => uint256) public deposits;

    /// Loops until it runs out of gas.
    function burnAll() external {
        while (true) {
            burned += 1;
        }
    }

    function deposit() external payable {
        deposits[msg.sender] += msg.value;
    }

    function checkedView(uint256 value) external view returns (uint256) {
        if (value >= limit) revert TooLarge(value, limit);
        return value;
    }

    /// An order-sensitive digest of the calls: sequence = sequence * 10 + v.
    function setLast(uint256 v) external {
        sequence = sequence * 10 + v;
    }
}

/// A constructor that reverts with a custom error (decoded by name only if known before deployment).
contract CappedCtor {
    error CapTooHigh(uint256 cap, uint256 limit);

    constructor(uint256 cap) {
        if (cap > 10) revert CapTooHigh(cap, 10);
    }
}

/// A view that calls another contract's view: the callee's custom error bubbles up through it.
contract Quoter {
    function quote(Testbed testbed, uint256 value) external view returns (uint256) {
        return testbed.checkedView(value);
    }
}
