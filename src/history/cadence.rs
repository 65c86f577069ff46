//! Cadence metrics from the weekly series (in progress).
