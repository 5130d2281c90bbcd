//! The kinds of asset, one module each: what is particular to a tower, a
//! pole, a duct bank, a manhole, a trench, a cable route or a street cabinet.

pub mod cabinet;
pub mod cable;
pub mod duct;
pub mod manhole;
pub mod pole;
pub mod tower;
pub mod trench;
