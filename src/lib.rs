//! Stödrutin: the routine for threats, violence and harassment against elected officials, carried
//! to the scene as an offline web app. See ARCHITECTURE.md for the map.

pub mod platform;
pub mod ui;
