"""Pure domain core: catalogue, values, computation, rules. Standard library only, no Qt."""
