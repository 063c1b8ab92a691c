//! batt-prog
