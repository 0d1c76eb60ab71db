//! The page at `/`: HTML, CSS and a little JavaScript compiled into the binary.

use std::sync::Arc;

use axum::response::Html;
use axum::routing::get;
use axum::Router;

use super::state::Shared;

pub(super) fn routes() -> Router<Arc<Shared>> {
    Router::new().route(
        "/",
        get(|| async { Html("<!doctype html><title>podium</title>") }),
    )
}
