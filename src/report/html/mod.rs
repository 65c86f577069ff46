//! HTML printers: a writer that escapes by construction ([`writer`]), inline SVG charts ([`chart`]) and the
//! escalation pack ([`pack`], [`sections`]), over the same [`crate::scan::ScanReport`] as the other printers.
//!
//! Invariant: nothing here writes a `<script>`, an event handler or a reference to anything outside the
//! page; a link can only point to an `http`/`https` URL ([`writer::WebUrl`]).

pub mod chart;
pub mod pack;
pub mod sections;
pub mod writer;

pub use pack::{PackDetails, to_html, write_html};
