//! batt-search
