//! The picture store's plain operations, as the seed's per-node HTTP routes and gRPC
//! methods serve them: upload, list, search, download, like, delete. They act on the
//! node the client talks to only. Textbook mode refuses delete, like and upload of a
//! picture locked by a transaction (strict two-phase locking); downloads may read it.
//!
//! Bad input is refused here, with a reason, before anything changes. The two
//! transactional operations are passed on to `coordinator`.

use crate::ctx::Ctx;
use crate::id::RequestId;
use crate::twopc::TwoPc;
use crate::twopc::client::{PictureSummary, TwoPcRequest, TwoPcResponse};
use crate::twopc::ids::TxOp;
use crate::twopc::node::TwoPcNode;
use crate::twopc::picture::{Picture, validate_filename};

impl TwoPcNode {
    /// Serve a client request.
    pub(crate) fn serve(&mut self, id: RequestId, request: TwoPcRequest, ctx: &mut Ctx<'_, TwoPc>) {
        if let Some(Err(reason)) = request.filename().map(validate_filename) {
            ctx.reply(id, TwoPcResponse::Rejected { reason });
            return;
        }
        let locked = request
            .filename()
            .and_then(|f| self.lock_blocking(f, ctx.config()));
        let response = match request {
            TwoPcRequest::Delete2pc { filename } => {
                return self.begin(id, TxOp::Delete, filename, ctx);
            }
            TwoPcRequest::Upload2pc { filename } => {
                return self.begin(id, TxOp::Upload, filename, ctx);
            }
            TwoPcRequest::Upload { .. }
            | TwoPcRequest::Like { .. }
            | TwoPcRequest::Delete { .. }
                if locked.is_some() =>
            {
                let tx = locked.expect("checked by the guard");
                TwoPcResponse::Rejected {
                    reason: format!("locked by {tx}"),
                }
            }
            TwoPcRequest::Upload { filename } => {
                let name = ctx.config().node_name(self.id);
                self.pictures
                    .insert(filename.clone(), Picture::new(&filename, name, ctx.now()));
                self.store_version += 1;
                TwoPcResponse::Uploaded { filename }
            }
            TwoPcRequest::List => TwoPcResponse::Listed {
                pictures: self
                    .pictures
                    .iter()
                    .map(|(f, p)| PictureSummary {
                        filename: f.clone(),
                        likes: p.likes,
                    })
                    .collect(),
            },
            TwoPcRequest::Search { filename } => {
                let likes = self.pictures.get(&filename).map(|p| p.likes);
                TwoPcResponse::Found {
                    filename,
                    found: likes.is_some(),
                    likes: likes.unwrap_or(0),
                }
            }
            TwoPcRequest::Download { filename } => match self.pictures.get(&filename) {
                Some(p) => TwoPcResponse::Downloaded {
                    bytes: p.image.byte_len(),
                    filename,
                },
                None => TwoPcResponse::Rejected {
                    reason: format!("\"{filename}\" not found"),
                },
            },
            TwoPcRequest::Like { filename } => match self.pictures.get_mut(&filename) {
                Some(p) => {
                    p.likes += 1;
                    let likes = p.likes;
                    self.store_version += 1;
                    TwoPcResponse::Liked { filename, likes }
                }
                None => TwoPcResponse::Rejected {
                    reason: format!("\"{filename}\" not found"),
                },
            },
            TwoPcRequest::Delete { filename } => {
                if self.pictures.remove(&filename).is_some() {
                    self.store_version += 1;
                    TwoPcResponse::Deleted { filename }
                } else {
                    TwoPcResponse::Rejected {
                        reason: format!("\"{filename}\" not found"),
                    }
                }
            }
        };
        ctx.reply(id, response);
    }
}
