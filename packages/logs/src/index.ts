// The logs pipeline of `agentkit exec` (issue 16) is being built; this package is its home.
export {};
