//! ARC tasks: loading and validation.
