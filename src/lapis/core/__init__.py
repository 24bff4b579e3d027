"""The bottom layer of LAPIS: plumbing every app shares. It imports nothing above it."""
