"""The command line: one module per noun, assembled lazily by `main`."""
