"""Writers, one per output. Each returns bytes (or text); `reportgen.build` writes them."""
