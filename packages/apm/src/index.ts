// The APM receiver (issue 15) is being built; this package is its home.
export {};
