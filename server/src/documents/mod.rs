//! Documents Hatang prints: the construction permit and the yearly report.
//!
//! One pipeline for all of them: a domain module gathers what a document says
//! into a [`model::Document`] (text only, in Vietnamese, dates and numbers
//! written as [`vn`] says), and the renderers make every format from that one
//! model —
//! - [`html`]: the print view, through an askama template that escapes;
//! - [`docx`]: the DOCX (docx-rs), what the office edits, signs and files;
//! - [`pdf`]: the PDF, LibreOffice's typesetting of that DOCX.
//!
//! Drawings (site plans, charts, QR codes) are SVG made from the model
//! ([`figures`]): the HTML shows them as they are, the DOCX as PNG.

pub mod charts;
pub mod docx;
pub mod figures;
pub mod html;
pub mod model;
pub mod pdf;
pub mod vn;

pub use model::{Align, Annex, Block, Document, Run, Signature, Table, Verification};
