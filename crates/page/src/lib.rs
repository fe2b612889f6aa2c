//! The page toolkit: what the fetcher and the normaliser read from a page or a feed alike, so
//! that both read it one way. Pure: bytes or text in, data out.
//!
//! - [`charset`]: bytes to text for HTML and XML, in one documented order of trust.
//! - [`dates`]: date strings in the forms pages and feeds write them.

pub mod charset;
pub mod dates;
pub mod document;
pub mod facts;
pub mod jsonld;
pub mod lean;
pub mod meta;
pub mod pagewide;
pub mod pubdate;
pub mod textdate;
pub mod words;
