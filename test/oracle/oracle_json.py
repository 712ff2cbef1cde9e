"""JSON for the oracle fixtures: JSON has no NaN, so it is spelled "NaN",
which the TypeScript tests read back as a number; numpy scalars become
Python numbers."""

import math


def encode_numbers(value):
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    if isinstance(value, dict):
        return {k: encode_numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [encode_numbers(v) for v in value]
    if hasattr(value, "item"):  # numpy scalars
        return encode_numbers(value.item())
    return value
