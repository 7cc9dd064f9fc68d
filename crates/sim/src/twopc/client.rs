//! Client operations of the picture store and their answers: the seed's per-node
//! routes (upload, list, search, download, like, delete) and the two transactional
//! operations (delete-2pc, upload-2pc).
//!
//! Types only; the node serves them in `store` and `coordinator`.

use serde::{Deserialize, Serialize};

use crate::twopc::ids::TxId;

/// A client request to one node.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TwoPcRequest {
    /// Store a picture on this node (overwrites; likes reset to 0).
    Upload {
        /// The picture's name.
        filename: String,
    },
    /// The pictures on this node.
    List,
    /// Whether this node has the picture.
    Search {
        /// The picture's name.
        filename: String,
    },
    /// Fetch the picture.
    Download {
        /// The picture's name.
        filename: String,
    },
    /// Increment the picture's likes.
    Like {
        /// The picture's name.
        filename: String,
    },
    /// Delete the picture from this node only.
    Delete {
        /// The picture's name.
        filename: String,
    },
    /// Delete the picture from every participant, atomically (HTTP nodes only).
    Delete2pc {
        /// The picture's name.
        filename: String,
    },
    /// Store the picture on every participant, atomically (HTTP nodes only).
    Upload2pc {
        /// The picture's name.
        filename: String,
    },
}

impl TwoPcRequest {
    /// The op's name in scenario files.
    pub fn op(&self) -> &'static str {
        match self {
            TwoPcRequest::Upload { .. } => "upload",
            TwoPcRequest::List => "list",
            TwoPcRequest::Search { .. } => "search",
            TwoPcRequest::Download { .. } => "download",
            TwoPcRequest::Like { .. } => "like",
            TwoPcRequest::Delete { .. } => "delete",
            TwoPcRequest::Delete2pc { .. } => "delete2pc",
            TwoPcRequest::Upload2pc { .. } => "upload2pc",
        }
    }

    /// The filename, for ops that have one.
    pub fn filename(&self) -> Option<&str> {
        match self {
            TwoPcRequest::List => None,
            TwoPcRequest::Upload { filename }
            | TwoPcRequest::Search { filename }
            | TwoPcRequest::Download { filename }
            | TwoPcRequest::Like { filename }
            | TwoPcRequest::Delete { filename }
            | TwoPcRequest::Delete2pc { filename }
            | TwoPcRequest::Upload2pc { filename } => Some(filename),
        }
    }
}

/// A picture as `list` reports it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PictureSummary {
    /// The name.
    pub filename: String,
    /// Its likes.
    pub likes: u32,
}

/// The answer to a [`TwoPcRequest`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TwoPcResponse {
    /// Upload done.
    Uploaded {
        /// The picture.
        filename: String,
    },
    /// The node's pictures.
    Listed {
        /// In filename order.
        pictures: Vec<PictureSummary>,
    },
    /// Search result.
    Found {
        /// The picture.
        filename: String,
        /// Whether it is here.
        found: bool,
        /// Its likes (0 if absent).
        likes: u32,
    },
    /// Download result.
    Downloaded {
        /// The picture.
        filename: String,
        /// Its size.
        bytes: usize,
    },
    /// Like done.
    Liked {
        /// The picture.
        filename: String,
        /// Likes now.
        likes: u32,
    },
    /// Plain delete done.
    Deleted {
        /// The picture.
        filename: String,
    },
    /// The transaction committed (the decision is logged; participants apply it).
    Committed {
        /// The transaction.
        tx: TxId,
    },
    /// The transaction aborted.
    Aborted {
        /// The transaction.
        tx: TxId,
        /// Why.
        reason: String,
    },
    /// Bad input or a locked picture: nothing changed.
    Rejected {
        /// Why.
        reason: String,
    },
    /// The node was down (`crashed == false`) or crashed before answering.
    Unavailable {
        /// True if it crashed while the request was pending (outcome unknown).
        crashed: bool,
    },
}
