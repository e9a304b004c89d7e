"""Writers, one per output. Each returns bytes (or text); `reportgen.pipeline.build` writes them."""
